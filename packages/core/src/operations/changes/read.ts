// Reading the change data feed (docs/row-level-plan.md §8): resolves the range, plans the sources of each
// version (plan.ts) and streams their rows with `_change_type`, `_commit_version` and `_commit_timestamp`,
// filtered and projected. Rows use the schema in effect at the end of the range; batches come in version
// order, one source (file) at a time, so memory stays bounded by a file's batch.

import type { Row, StructField, StructType, Value } from '@lake/parquet'
import type { AddFile, RemoveFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import type { BoundPredicate } from '../../expr/ast.js'
import { bindPredicate } from '../../expr/bind.js'
import { evaluateRow } from '../../expr/evaluate.js'
import { isPartitionOnly } from '../../expr/referenced-columns.js'
import { CHANGE_TYPE_COLUMN } from '../../files/cdc-files.js'
import { parsePartitionValues } from '../../partition/parse-partition-value.js'
import { formatTimestamp } from '../../partition/temporal.js'
import { readDeletionVector } from '../../read/read-deletion-vector.js'
import { dataFileKey } from '../../scan/read-scan-file.js'
import { compileFileReader, readScanFile, readScanFileIndexed } from '../../scan/read-scan-file.js'
import type { FileReader } from '../../scan/read-scan-file.js'
import { planScan } from '../../scan/plan-scan.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import { columnMappingModeOf } from '../../snapshot/snapshot.js'
import { parseSchema } from '../../schema/parse-schema.js'
import { PHYSICAL_NAME_KEY } from '../../schema/column-mapping.js'
import { resolveColumnNames } from '../../schema/find-field.js'
import { planChanges } from './plan.js'
import type { ChangeSource, ChangesPlan } from './plan.js'
import { readChangeCommits } from './range.js'
import type { ChangeRangeOptions } from './range.js'

/** The columns the change data feed adds to the table's. */
export const CHANGE_METADATA_FIELDS: readonly StructField[] = [
  { name: CHANGE_TYPE_COLUMN, type: { kind: 'primitive', name: 'string' }, nullable: false, metadata: {} },
  { name: '_commit_version', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
  { name: '_commit_timestamp', type: { kind: 'primitive', name: 'timestamp' }, nullable: false, metadata: {} },
]

/** Options of `changes` / `readChanges`. */
export interface ChangesOptions extends ChangeRangeOptions {
  /** Columns to return (table columns and the three change columns, case-insensitive); default all. */
  readonly columns?: readonly string[]
  /** A predicate over the table's and the change columns: only rows for which it is TRUE are returned. */
  readonly filter?: string
}

interface Readers {
  readonly table: FileReader
  readonly cdc: FileReader
  readonly filter: BoundPredicate | undefined
  /** The filter when it reads partition columns only: decides whole files from their partition values. */
  readonly partitionFilter: BoundPredicate | undefined
  readonly output: readonly string[]
}

/**
 * The change data feed of a table over a range: iterate it for batches of rows (each read streams the
 * feed anew), or `toArray()` for every row at once (small ranges).
 */
export class ChangeFeed implements AsyncIterable<Row[]> {
  readonly #engine: Engine
  readonly #options: ChangesOptions

  constructor(engine: Engine, options: ChangesOptions) {
    this.#engine = engine
    this.#options = options
  }

  [Symbol.asyncIterator](): AsyncIterator<Row[]> {
    return readChanges(this.#engine, this.#options)[Symbol.asyncIterator]()
  }

  /** Every change row of the range, in version order. */
  async toArray(): Promise<Row[]> {
    const out: Row[] = []
    for await (const batch of this) out.push(...batch)
    return out
  }
}

/**
 * The change rows of versions `startingVersion..endingVersion` (or the timestamps' versions), in batches:
 * each table row with `_change_type` (`insert`, `delete`, `update_preimage`, `update_postimage`),
 * `_commit_version` (a number) and `_commit_timestamp` (ISO-8601 UTC).
 * @throws ChangeDataError `ChangeDataNotRecorded` naming the first version without the change data feed;
 *   TableError `VersionNotFound` when the log no longer holds a version of the range; InvalidArgumentError
 *   for a bad range or column; PredicateError `InvalidPredicate`; read errors as `scan`.
 */
export async function* readChanges(engine: Engine, options: ChangesOptions): AsyncGenerator<Row[], void, undefined> {
  const { signal } = options
  const commits = await readChangeCommits(engine, options)
  const first = commits[0]?.version ?? 0
  const start = await loadSnapshot(engine, { version: first, ...(signal === undefined ? {} : { signal }) })
  yield* readChangesPlan(engine, planChanges(start, commits), options)
}

/**
 * The change rows of a planned range (a stream's change-feed batch plans its own), filtered and projected.
 * @throws InvalidArgumentError for an unknown column; PredicateError `InvalidPredicate`; read errors as `scan`.
 */
export async function* readChangesPlan(engine: Engine, plan: ChangesPlan, options: Pick<ChangesOptions, 'columns' | 'filter' | 'signal'>): AsyncGenerator<Row[], void, undefined> {
  const { signal } = options
  const readers = compileReaders(plan, options)
  for (const source of plan.sources) {
    if (!mayMatch(source, readers)) continue
    for await (const rows of sourceRows(engine, readers, source, signal)) {
      const out = finish(rows, source, readers)
      if (out.length > 0) yield out
    }
  }
}

function compileReaders(plan: ChangesPlan, options: Pick<ChangesOptions, 'columns' | 'filter'>): Readers {
  const schema = parseSchema(plan.metadata.schemaString)
  const columnMappingMode = columnMappingModeOf(plan.protocol, plan.metadata)
  const partitionColumns = plan.metadata.partitionColumns
  const table = compileFileReader(planScan({ schema, partitionColumns, columnMappingMode, files: () => [] }))
  const typeField = { ...(CHANGE_METADATA_FIELDS[0] as StructField), metadata: { [PHYSICAL_NAME_KEY]: CHANGE_TYPE_COLUMN } }
  const cdcSchema: StructType = { kind: 'struct', fields: [...schema.fields, typeField] }
  const cdc = compileFileReader(planScan({ schema: cdcSchema, partitionColumns, columnMappingMode, files: () => [] }))
  const full: StructType = { kind: 'struct', fields: [...schema.fields, ...CHANGE_METADATA_FIELDS] }
  const filter = options.filter === undefined ? undefined : bindPredicate(options.filter, full)
  const partitionFilter = filter !== undefined && partitionColumns.length > 0 && isPartitionOnly(filter, partitionColumns) ? filter : undefined
  return { table, cdc, filter, partitionFilter, output: outputColumns(full, options.columns) }
}

/** False when a partition-only filter rules the source's file out by its partition values (no read). */
function mayMatch(source: ChangeSource, readers: Readers): boolean {
  if (readers.partitionFilter === undefined) return true
  const file = source.kind === 'deletionVectorDiff' ? source.add : source.file
  const values = parsePartitionValues(file.partitionValues ?? {}, readers.table.plan.partitionColumns, file.path)
  return evaluateRow(readers.partitionFilter, values) === true
}

function outputColumns(schema: StructType, columns: readonly string[] | undefined): string[] {
  if (columns === undefined) return schema.fields.map((f) => f.name)
  return resolveColumnNames(schema.fields, columns)
}

/** Adds the change columns, filters, projects. */
function finish(rows: readonly (readonly [Row, string])[], source: ChangeSource, readers: Readers): Row[] {
  const timestamp = formatTimestamp(BigInt(source.timestamp) * 1000n)
  const out: Row[] = []
  for (const [row, type] of rows) {
    const full: Row = { ...row, [CHANGE_TYPE_COLUMN]: type, _commit_version: source.version, _commit_timestamp: timestamp }
    if (readers.filter !== undefined && !evaluateRow(readers.filter, full)) continue
    out.push(Object.fromEntries(readers.output.map((c): [string, Value] => [c, full[c] ?? null])))
  }
  return out
}

/** Rows of one source, each with its change type. */
async function* sourceRows(engine: Engine, readers: Readers, source: ChangeSource, signal: AbortSignal | undefined): AsyncGenerator<(readonly [Row, string])[]> {
  const options = signal === undefined ? {} : { signal }
  switch (source.kind) {
    case 'cdc': {
      const file: AddFile = { ...source.file, modificationTime: 0 }
      for await (const rows of readScanFile(engine, readers.cdc, file, options)) {
        yield rows.map((row) => [row, String(row[CHANGE_TYPE_COLUMN] ?? '')] as const)
      }
      return
    }
    case 'insert':
      for await (const rows of readScanFile(engine, readers.table, source.file, options)) yield rows.map((row) => [row, 'insert'] as const)
      return
    case 'delete': {
      const file = await removedFile(engine, source.file, signal)
      for await (const rows of readScanFile(engine, readers.table, file, options)) yield rows.map((row) => [row, 'delete'] as const)
      return
    }
    case 'deletionVectorDiff':
      yield* deletionVectorDiff(engine, readers.table, source.add, source.remove, signal)
      return
    default: {
      const unreachable: never = source
      return unreachable
    }
  }
}

/** A removed file as an add to read (its size from the store when the remove does not record it). */
async function removedFile(engine: Engine, remove: RemoveFile, signal: AbortSignal | undefined): Promise<AddFile> {
  const size = remove.size ?? (await engine.store.head(dataFileKey(engine.store, remove.path), { signal })).size
  return { path: remove.path, partitionValues: remove.partitionValues ?? {}, size, modificationTime: 0, dataChange: true, deletionVector: remove.deletionVector ?? null }
}

/**
 * The rows a remove+add pair of one file changes (Spark's processDeletionVectorActions): rows in the new
 * deletion vector and not the old are deletes, rows in the old and not the new are re-inserts.
 */
async function* deletionVectorDiff(engine: Engine, reader: FileReader, add: AddFile, remove: RemoveFile, signal: AbortSignal | undefined): AsyncGenerator<(readonly [Row, string])[]> {
  const options = signal === undefined ? {} : { signal }
  const before = new Set(remove.deletionVector ? await readDeletionVector(engine.store, remove.deletionVector, options) : [])
  const after = new Set(add.deletionVector ? await readDeletionVector(engine.store, add.deletionVector, options) : [])
  for await (const batch of readScanFileIndexed(engine, reader, { ...add, deletionVector: null }, options)) {
    const out: (readonly [Row, string])[] = []
    batch.rows.forEach((row, i) => {
      const index = batch.rowIndexes[i] as number
      if (after.has(index) && !before.has(index)) out.push([row, 'delete'])
      else if (before.has(index) && !after.has(index)) out.push([row, 'insert'])
    })
    if (out.length > 0) yield out
  }
}
