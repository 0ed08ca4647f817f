// Pure planning of a write: which schema the data is checked against, whether the commit carries
// new metadata or protocol, and which options combinations are refused. No I/O.
//
//   const plan = planWrite(snapshot, rows, { mode: 'append', schema }, engine.now())  // { kind: 'write' | 'skip', ... }

import { randomUUID } from 'node:crypto'
import type { Compression, StructType } from '@lake/parquet'
import type { Metadata, Protocol } from '../../actions/types.js'
import { serializeSchema } from '../../schema/serialize-schema.js'
import { parseTableConfig } from '../../protocol/table-config.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { inferSchema } from '../../rows/infer-schema.js'
import { minimalProtocol, upgradeProtocol } from '../../features/index.js'
import { mergeSchemas } from '../../schema/schema-evolution.js'
import { assignColumnMapping } from '../../schema/assign-column-mapping.js'
import type { ColumnMappingMode } from '../../schema/column-mapping.js'
import { validateSchema } from '../../schema/validate-schema.js'
import { WriteError } from '../../errors.js'

/** How the table's state is changed by a write. */
export type WriteMode = 'error' | 'append' | 'overwrite' | 'ignore'
/** `merge` adds new columns (mergeSchema); `overwrite` replaces schema and partitioning (overwriteSchema). */
export type SchemaMode = 'merge' | 'overwrite'

const WRITE_MODES: readonly string[] = ['error', 'append', 'overwrite', 'ignore'] satisfies WriteMode[]
const SCHEMA_MODES: readonly string[] = ['merge', 'overwrite'] satisfies SchemaMode[]
const COMPRESSIONS: readonly string[] = ['zstd', 'snappy', 'gzip', 'uncompressed'] satisfies Compression[]

/** The parts of the write options that decide the plan. */
export interface WritePlanInput {
  readonly mode: WriteMode
  readonly schemaMode?: SchemaMode
  /** Validated here only (idempotency is checked against the snapshot by the caller). */
  readonly txn?: { readonly appId: string; readonly version: number }
  readonly schema?: StructType
  readonly partitionBy?: readonly string[]
  readonly replaceWhere?: string
  readonly name?: string
  readonly description?: string
  readonly configuration?: Readonly<Record<string, string>>
  readonly compression?: string
}

/** What the write will do, decided before any data file is written. */
export type WritePlan =
  | { readonly kind: 'skip'; readonly reason: string }
  | {
      readonly kind: 'write'
      /** The schema rows are checked against and files are written with. */
      readonly schema: StructType
      readonly partitionColumns: readonly string[]
      /** New metadata to commit (table creation or schema change), if any. */
      readonly metadata?: Metadata
      /** New protocol to commit (table creation or required upgrade), if any. */
      readonly protocol?: Protocol
      /** True when every live file is removed (plain overwrite). */
      readonly removeAll: boolean
      readonly isCreate: boolean
    }

/**
 * Decides the plan of a write. `rows` are only sampled for schema inference.
 * @throws WriteError `TableExists` (mode error), `InvalidArgument` (bad option combinations).
 * @throws SchemaError for invalid or incompatible schemas.
 */
export function planWrite(snapshot: Snapshot | undefined, rows: readonly unknown[], input: WritePlanInput, now: number): WritePlan {
  validateWriteOptions(input)
  if (snapshot === undefined) return planCreate(rows, input, now)
  if (input.mode === 'error') {
    throw new WriteError('TableExists', `table ${snapshot.tableUrl} already exists at version ${snapshot.version}: expected mode 'append', 'overwrite' or 'ignore' to write to it`, {
      context: { version: snapshot.version },
    })
  }
  if (input.mode === 'ignore') return { kind: 'skip', reason: `table exists at version ${snapshot.version} and mode is 'ignore'` }
  if (input.schemaMode === 'overwrite') return planOverwriteSchema(snapshot, rows, input)
  checkNoMetadataOptions(snapshot, input)
  checkPartitionBy(snapshot, input.partitionBy)
  const removeAll = input.mode === 'overwrite' && input.replaceWhere === undefined
  if (input.schemaMode === 'merge') {
    const incoming = input.schema ?? inferSchema(rows)
    const merged = mergeSchemas(snapshot.schema, incoming)
    if (merged.changed) {
      validateSchema(merged.schema, snapshot.partitionColumns)
      const { schema, configuration } = assignColumnMapping(merged.schema, snapshot.columnMappingMode, snapshot.metadata.configuration, snapshot.schema)
      const metadata: Metadata = { ...snapshot.metadata, schemaString: serializeSchema(schema), configuration }
      return { kind: 'write', schema, partitionColumns: snapshot.partitionColumns, metadata, ...upgrade(snapshot, schema, configuration), removeAll, isCreate: false }
    }
  }
  return { kind: 'write', schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, removeAll, isCreate: false }
}

/** A plan that writes. */
export type WritingPlan = Extract<WritePlan, { kind: 'write' }>

/**
 * Widens `plan` by the schema of a later chunk of a streamed input (schemaMode 'merge'): the union
 * schema, with the metadata and protocol the commit then needs (a new table's are rebuilt for it).
 * Returns `plan` itself when the chunk adds nothing.
 * @throws SchemaError when the chunk's schema does not merge (e.g. a string into a long column).
 */
export function mergeIntoPlan(snapshot: Snapshot | undefined, plan: WritingPlan, incoming: StructType): WritingPlan {
  const merged = mergeSchemas(plan.schema, incoming)
  if (!merged.changed) return plan
  validateSchema(merged.schema, plan.partitionColumns)
  const base = plan.metadata ?? snapshot?.metadata
  if (base === undefined) throw new WriteError('InvalidArgument', 'a write plan without a snapshot must carry the new table\'s metadata, found none')
  const { schema, configuration } = assignColumnMapping(merged.schema, mappingMode(base.configuration), base.configuration, plan.schema)
  const metadata: Metadata = { ...base, schemaString: serializeSchema(schema), configuration }
  const protocol = snapshot === undefined ? { protocol: minimalProtocol(schema, configuration) } : upgrade(snapshot, schema, configuration)
  return { ...plan, schema, metadata, ...protocol }
}

/**
 * Checks the option values and their combinations, before any I/O.
 * @throws WriteError `InvalidArgument` naming the option, what it expects and what was found.
 */
export function validateWriteOptions(input: WritePlanInput): void {
  // Callers in plain JS can pass anything: an unknown mode must not fall through to an append.
  if (!WRITE_MODES.includes(input.mode)) {
    throw new WriteError('InvalidArgument', `mode must be one of ${WRITE_MODES.join(', ')}, found '${String(input.mode)}'`)
  }
  if (input.schemaMode !== undefined && !SCHEMA_MODES.includes(input.schemaMode)) {
    throw new WriteError('InvalidArgument', `schemaMode must be 'merge' or 'overwrite', found '${String(input.schemaMode)}'`)
  }
  const txn = input.txn
  if (txn !== undefined && (typeof txn.appId !== 'string' || txn.appId === '' || !Number.isSafeInteger(txn.version) || txn.version < 0)) {
    throw new WriteError('InvalidArgument', `txn must be { appId: non-empty string, version: integer >= 0 }, found appId '${String(txn.appId)}', version ${String(txn.version)}`)
  }
  if (input.schemaMode === 'overwrite' && input.mode !== 'overwrite') {
    throw new WriteError('InvalidArgument', `schemaMode 'overwrite' (overwriteSchema) needs mode 'overwrite', found mode '${input.mode}'`)
  }
  if (input.replaceWhere !== undefined && input.mode !== 'overwrite') {
    throw new WriteError('InvalidArgument', `replaceWhere needs mode 'overwrite', found mode '${input.mode}'`)
  }
  if (input.compression !== undefined && !COMPRESSIONS.includes(input.compression)) {
    throw new WriteError('InvalidArgument', `compression must be one of ${COMPRESSIONS.join(', ')}, found '${String(input.compression)}'`)
  }
  if (input.replaceWhere !== undefined && input.schemaMode === 'overwrite') {
    throw new WriteError('InvalidArgument', `replaceWhere cannot be combined with schemaMode 'overwrite': replacing part of a table keeps its schema`)
  }
}

function planCreate(rows: readonly unknown[], input: WritePlanInput, now: number): WritePlan {
  const given = input.schema ?? inferSchema(rows)
  if (given.fields.length === 0) {
    throw new WriteError('InvalidArgument', 'cannot create a table with no columns: expected a `schema` option or at least one row to infer it from, found neither')
  }
  const partitionColumns = input.partitionBy ?? []
  validateSchema(given, partitionColumns)
  const { schema, configuration } = assignColumnMapping(given, mappingMode(input.configuration ?? {}), input.configuration ?? {})
  const metadata: Metadata = {
    id: randomUUID(),
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.description === undefined ? {} : { description: input.description }),
    format: { provider: 'parquet', options: {} },
    schemaString: serializeSchema(schema),
    partitionColumns,
    createdTime: now,
    configuration,
  }
  return { kind: 'write', schema, partitionColumns, metadata, protocol: minimalProtocol(schema, configuration), removeAll: false, isCreate: true }
}

function planOverwriteSchema(snapshot: Snapshot, rows: readonly unknown[], input: WritePlanInput): WritePlan {
  const given = input.schema ?? inferSchema(rows)
  const partitionColumns = input.partitionBy ?? snapshot.partitionColumns.filter((c) => given.fields.some((f) => f.name === c))
  validateSchema(given, partitionColumns)
  const wanted = { ...snapshot.metadata.configuration, ...input.configuration }
  checkNoInCommitTimestampEnablement(snapshot, wanted)
  const { schema, configuration } = assignColumnMapping(given, mappingMode(wanted), wanted, snapshot.schema)
  const metadata: Metadata = {
    ...snapshot.metadata,
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.description === undefined ? {} : { description: input.description }),
    schemaString: serializeSchema(schema),
    partitionColumns,
    configuration,
  }
  return { kind: 'write', schema, partitionColumns, metadata, ...upgrade(snapshot, schema, configuration), removeAll: true, isCreate: false }
}

/**
 * Turning in-commit timestamps on for an existing table needs enablement properties that name the
 * commit's own version, which the commit loop may still change on a rebase: lake enables them only
 * at table creation.
 */
function checkNoInCommitTimestampEnablement(snapshot: Snapshot, configuration: Readonly<Record<string, string>>): void {
  if (snapshot.config.enableInCommitTimestamps) return
  if (parseTableConfig(configuration).enableInCommitTimestamps) {
    throw new WriteError('UnsupportedFeature', 'delta.enableInCommitTimestamps can only be turned on when lake creates a table, found it set for an existing table without in-commit timestamps')
  }
}

/** The `delta.columnMapping.mode` of a table with `configuration`. @throws TableConfigError `InvalidConfig` for an unknown mode. */
function mappingMode(configuration: Readonly<Record<string, string>>): ColumnMappingMode {
  return parseTableConfig({ ...(configuration['delta.columnMapping.mode'] === undefined ? {} : { 'delta.columnMapping.mode': configuration['delta.columnMapping.mode'] }) }).columnMappingMode
}

/** Table properties, name and description are set at creation or with overwriteSchema only. */
function checkNoMetadataOptions(snapshot: Snapshot, input: WritePlanInput): void {
  const given = (['configuration', 'name', 'description'] as const).filter((k) => input[k] !== undefined)
  if (given.length > 0) {
    throw new WriteError(
      'InvalidArgument',
      `${given.join(', ')} apply when a table is created or replaced (schemaMode 'overwrite'), found them for the existing table at version ${snapshot.version}`,
    )
  }
}

/** A new protocol when the schema needs features the table's protocol lacks (e.g. timestamp_ntz). */
function upgrade(snapshot: Snapshot, schema: StructType, configuration: Readonly<Record<string, string>>): { protocol?: Protocol } {
  const protocol = upgradeProtocol(snapshot.protocol, schema, configuration)
  return protocol === undefined ? {} : { protocol }
}

/**
 * Checks that a `partitionBy` given for a write into an existing table names exactly its partition
 * columns, in order (absent: nothing to check). Other writers (e.g. `@lake/ingest`) call it too.
 * @throws WriteError `InvalidArgument` naming both (`context.partitionBy`, `context.partitionColumns`).
 */
export function checkPartitionBy(snapshot: Pick<Snapshot, 'partitionColumns'>, wanted: readonly string[] | undefined): void {
  if (wanted === undefined) return
  const same = wanted.length === snapshot.partitionColumns.length && wanted.every((c, i) => c === snapshot.partitionColumns[i])
  if (!same) {
    throw new WriteError(
      'InvalidArgument',
      `partitionBy [${wanted.join(', ')}] differs from the table's partition columns [${snapshot.partitionColumns.join(', ')}]: ` +
        `expected the same columns, or mode 'overwrite' with schemaMode 'overwrite' to repartition`,
      { context: { partitionBy: wanted.join(','), partitionColumns: snapshot.partitionColumns.join(',') } },
    )
  }
}
