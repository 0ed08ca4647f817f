// DeltaTable: the object ETL code holds (delta-rs `DeltaTable` in TypeScript idiom). A thin facade
// over snapshots, scans, history and writes; every method delegates to a function of the core.

import type { Row, StructType } from '@lake/parquet'
import type { OpenStoreOptions } from '@lake/storage'
import type { AddFile, Metadata, Protocol } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { readHistory } from '../read/read-history.js'
import type { HistoryEntry } from '../read/read-history.js'
import { scan } from '../scan/scan.js'
import type { ScanOptions } from '../scan/scan.js'
import { loadSnapshot } from '../snapshot/load-snapshot.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import { versionAtTimestamp } from '../snapshot/version-at-timestamp.js'
import type { TimestampInput } from '../snapshot/version-at-timestamp.js'
import { resolveTable } from './resolve-table.js'
import type { TableLocation } from './resolve-table.js'
import { writeDelta } from './write-delta.js'
import type { WriteOptions, WriteResult } from './write-options.js'
import { WriteError } from '../errors.js'

/** Options of `DeltaTable.open`: at most one of `version` and `timestamp`. */
export interface OpenTableOptions {
  readonly version?: number
  /** The latest version committed at or before this instant (epoch ms, ISO-8601 or Date; no zone means UTC). */
  readonly timestamp?: TimestampInput
  readonly storage?: OpenStoreOptions
  readonly signal?: AbortSignal
}

/** Options of `DeltaTable.create`. */
export interface CreateTableOptions {
  readonly schema: StructType
  readonly partitionBy?: readonly string[]
  readonly configuration?: Readonly<Record<string, string>>
  readonly name?: string
  readonly description?: string
  /** `error` (default) fails when the table exists; `ignore` opens the existing table instead. */
  readonly mode?: 'error' | 'ignore'
  readonly storage?: OpenStoreOptions
  readonly signal?: AbortSignal
}

/** A Delta table at one version. Immutable: `refresh()` and `write()` return new instances. */
export class DeltaTable {
  readonly engine: Engine
  readonly snapshot: Snapshot

  private constructor(engine: Engine, snapshot: Snapshot) {
    this.engine = engine
    this.snapshot = snapshot
  }

  /**
   * Opens a table at its latest version, a version, or a timestamp.
   * @throws TableError `TableNotFound`, `VersionNotFound`, `TimestampOutOfRange`; ProtocolError for unsupported tables.
   */
  static async open(location: TableLocation, options: OpenTableOptions = {}): Promise<DeltaTable> {
    const engine = await resolveTable(location, options.storage)
    const snapshot = await loadSnapshot(engine, {
      ...(options.version === undefined ? {} : { version: options.version }),
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })
    return new DeltaTable(engine, snapshot)
  }

  /**
   * Creates an empty table (version 0 with protocol and metadata only).
   * @throws WriteError `TableExists` when a table exists and mode is `error`.
   */
  static async create(location: TableLocation, options: CreateTableOptions): Promise<DeltaTable> {
    const engine = await resolveTable(location, options.storage)
    const result = await writeDelta(engine, [], {
      mode: options.mode ?? 'error',
      schema: options.schema,
      ...(options.partitionBy === undefined ? {} : { partitionBy: options.partitionBy }),
      ...(options.configuration === undefined ? {} : { configuration: options.configuration }),
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })
    if (result.status === 'skipped' && options.mode !== 'ignore') {
      throw new WriteError('TableExists', `table ${engine.store.url} already exists: ${result.reason}`)
    }
    return DeltaTable.open(engine)
  }

  get version(): number {
    return this.snapshot.version
  }
  get schema(): StructType {
    return this.snapshot.schema
  }
  get metadata(): Metadata {
    return this.snapshot.metadata
  }
  get protocol(): Protocol {
    return this.snapshot.protocol
  }
  get partitionColumns(): readonly string[] {
    return this.snapshot.partitionColumns
  }

  /** The live data files of this version. */
  files(): readonly AddFile[] {
    return this.snapshot.files()
  }

  /** Commit history, newest first. */
  history(options: { limit?: number; signal?: AbortSignal } = {}): Promise<HistoryEntry[]> {
    return readHistory(this.engine, options)
  }

  /** Rows of this version in batches, with projection, filter, partition pruning and file skipping. */
  scan(options: ScanOptions = {}): AsyncIterable<Row[]> {
    return scan(this.engine, this.snapshot, options)
  }

  /** Every row of this version (optionally filtered); for small tables — prefer `scan`. */
  async toArray(options: ScanOptions = {}): Promise<Row[]> {
    const out: Row[] = []
    for await (const batch of this.scan(options)) out.push(...batch)
    return out
  }

  /** The version that was current at `timestamp` (Delta's rule: latest committed at or before it). */
  versionAt(timestamp: TimestampInput): Promise<number> {
    return versionAtTimestamp(this.engine, timestamp)
  }

  /** This table at another version or timestamp. */
  async at(options: { version?: number; timestamp?: TimestampInput }): Promise<DeltaTable> {
    return DeltaTable.open(this.engine, options)
  }

  /** The latest version of this table. */
  async refresh(): Promise<DeltaTable> {
    return DeltaTable.open(this.engine)
  }

  /** Writes rows to this table (mode defaults to `append` here). */
  write(rows: readonly unknown[] | AsyncIterable<unknown>, options: WriteOptions = {}): Promise<WriteResult> {
    return writeDelta(this.engine, rows, { mode: 'append', ...options })
  }
}
