// Snapshot: the reconciled state of a table at one version, with its parsed schema and config.
// Immutable; built by `loadSnapshot`. Refuses protocols lake cannot read at construction.

import type { StructType } from '@lake/parquet'
import type { AddFile, CommitInfo, DomainMetadata, Metadata, Protocol, RemoveFile, Txn } from '../actions/types.js'
import { ProtocolError, SchemaError } from '../errors.js'
import type { LogSegment } from '../log/log-segment.js'
import { checkReadable, hasReaderFeature } from '../features/index.js'
import type { ReplayState } from '../replay/log-replay.js'
import type { ColumnMappingMode } from '../schema/column-mapping.js'
import { parseSchema } from '../schema/parse-schema.js'
import { parseTableConfig } from '../protocol/table-config.js'
import type { TableConfig } from '../protocol/table-config.js'

/** What a `Snapshot` is built from. */
export interface SnapshotInit {
  readonly state: ReplayState
  readonly segment: LogSegment
  /** Commit timestamp of the version in epoch ms (in-commit timestamp or file modification time). */
  readonly timestamp: number
  readonly tableUrl: string
}

/** A table at one version. Files are held in memory once, shared by every accessor. */
export class Snapshot {
  readonly version: number
  readonly protocol: Protocol
  readonly metadata: Metadata
  /** The logical schema (column mapping not applied). */
  readonly schema: StructType
  readonly partitionColumns: readonly string[]
  readonly columnMappingMode: ColumnMappingMode
  /** Commit timestamp of this version in epoch ms (in-commit timestamp or file modification time). */
  readonly timestamp: number
  /** The log files this snapshot was built from. */
  readonly segment: LogSegment
  /** The commitInfo of this version, when its commit file was read. */
  readonly commitInfo?: CommitInfo
  /** The table root, as the store names it. */
  readonly tableUrl: string
  readonly #state: ReplayState
  #config: TableConfig | undefined
  #files: readonly AddFile[] | undefined

  /**
   * @throws ProtocolError `InvalidProtocol`/`UnsupportedFeature` when lake cannot read the table,
   * `CorruptLog` when the schema or partition columns are malformed.
   */
  constructor(init: SnapshotInit) {
    const { state, segment } = init
    this.version = segment.version
    checkReadable(state.protocol, this.version)
    this.protocol = state.protocol
    this.metadata = state.metadata
    this.schema = parseTableSchema(state.metadata, this.version)
    this.partitionColumns = state.metadata.partitionColumns
    checkPartitionColumns(this.schema, this.partitionColumns, this.version)
    this.columnMappingMode = columnMappingModeOf(state.protocol, state.metadata)
    this.timestamp = init.timestamp
    this.segment = segment
    this.tableUrl = init.tableUrl
    if (state.commitInfo !== undefined) this.commitInfo = state.commitInfo
    this.#state = state
  }

  /** Parsed table properties (parsed on first use). @throws TableConfigError `InvalidConfig`. */
  get config(): TableConfig {
    this.#config ??= parseTableConfig(this.metadata.configuration)
    return this.#config
  }

  /** Number of live data files. */
  get numFiles(): number {
    return this.#state.files.size
  }

  /** The live data files (add actions after reconciliation), in no particular order. */
  files(): readonly AddFile[] {
    this.#files ??= [...this.#state.files.values()]
    return this.#files
  }

  /** Removed files not re-added (tombstones), for VACUUM; expiry is the caller's decision. */
  tombstones(): readonly RemoveFile[] {
    return [...this.#state.tombstones.values()]
  }

  /** The latest `txn.version` committed by `appId`, or `undefined` when it never committed. */
  txnVersion(appId: string): number | undefined {
    return this.#state.appTransactions.get(appId)?.version
  }

  /** Latest `txn` per appId. */
  get appTransactions(): ReadonlyMap<string, Txn> {
    return this.#state.appTransactions
  }

  /** Live (non-removed) domain metadata per domain. */
  get domainMetadata(): ReadonlyMap<string, DomainMetadata> {
    return this.#state.domainMetadata
  }
}

function parseTableSchema(metadata: Metadata, version: number): StructType {
  try {
    return parseSchema(metadata.schemaString)
  } catch (cause) {
    if (!(cause instanceof SchemaError)) throw cause
    throw new ProtocolError('CorruptLog', `metaData.schemaString at version ${version}: ${cause.message}`, { cause, context: { version } })
  }
}

function checkPartitionColumns(schema: StructType, columns: readonly string[], version: number): void {
  for (const column of columns) {
    if (!schema.fields.some((f) => f.name === column)) {
      throw new ProtocolError(
        'CorruptLog',
        `metaData at version ${version}: expected partition column '${column}' in the schema, found only ${schema.fields.map((f) => f.name).join(', ')}`,
        { context: { version } },
      )
    }
  }
}

/**
 * `delta.columnMapping.mode`, honoured only when the protocol supports column mapping
 * (PROTOCOL.md#Column Mapping: reader 2, or reader 3 with the feature).
 */
export function columnMappingModeOf(protocol: Protocol, metadata: Metadata): ColumnMappingMode {
  const raw = metadata.configuration['delta.columnMapping.mode']
  if (raw === undefined || !hasReaderFeature(protocol, 'columnMapping')) return 'none'
  return parseTableConfig({ 'delta.columnMapping.mode': raw }).columnMappingMode
}
