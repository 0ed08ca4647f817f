// Reads one planned data file as logical rows: ranged Parquet reads of the needed columns, physical
// -> logical names, typed partition values injected, deletion-vector rows dropped, filter applied.

import { physicalSchema } from '../schema/column-mapping.js'
import { setField } from '../parquet-values.js'
import type { Row, StructType, Value } from '@lake/parquet'
import type { ObjectStore } from '@lake/storage'
import { decodeFilePath, isAbsolutePath } from '../actions/file-path.js'
import type { AddFile } from '../actions/types.js'
import { storeKeyOfAbsolutePath } from '../dv/descriptor.js'
import { readDeletionVector } from '../read/read-deletion-vector.js'
import { engineCodec } from '../engine.js'
import type { Engine } from '../engine.js'
import { evaluateRow } from '../expr/evaluate.js'
import { storeAsyncBuffer } from '../read/store-buffer.js'
import { parsePartitionValues } from '../partition/parse-partition-value.js'
import type { ScanPlan } from './plan-scan.js'
import { valueRenamer } from './rename-columns.js'
import type { ValueRenamer } from './rename-columns.js'

/** Per-scan state compiled once from a plan and shared by every file. */
export interface FileReader {
  readonly plan: ScanPlan
  readonly readSchema: StructType
  readonly readColumns: readonly string[]
  readonly build: (physical: Row, partitions: Row) => Row
  readonly project: ((row: Row) => Row) | undefined
}

/**
 * Compiles a plan into the row builders used for each file. Only the schema's columns are read, so a
 * stray `_change_type` column in a data file (PROTOCOL.md#Change Data Files) never reaches a row.
 */
export function compileFileReader(plan: ScanPlan): FileReader {
  const mode = plan.columnMappingMode
  const readSchema = physicalSchema({ kind: 'struct', fields: plan.dataFields }, mode)
  const partitionNames = new Set(plan.partitionColumns.map((c) => c.name))
  const steps = plan.rowFields.map((f) => {
    const dataIndex = plan.dataFields.indexOf(f)
    const physical = dataIndex < 0 ? undefined : readSchema.fields[dataIndex]?.name
    return { name: f.name, isPartition: partitionNames.has(f.name), physical, rename: valueRenamer(f.type, mode) as ValueRenamer }
  })
  // Files hold exactly the output row (no partition columns, no renames, same names and order): pass it on.
  const isIdentity =
    steps.length === readSchema.fields.length &&
    steps.every((s, i) => !s.isPartition && s.rename === undefined && s.physical === s.name && readSchema.fields[i]?.name === s.name)
  const build = (physical: Row, partitions: Row): Row => {
    if (isIdentity) return physical
    const row: Record<string, Value> = {}
    for (const s of steps) {
      if (s.isPartition) setField(row, s.name, (Object.hasOwn(partitions, s.name) ? partitions[s.name] : null) ?? null)
      else {
        const v = physical[s.physical ?? s.name] ?? null
        setField(row, s.name, s.rename === undefined || v === null ? v : s.rename(v))
      }
    }
    return row
  }
  const sameShape = plan.outputColumns.length === plan.rowFields.length && plan.outputColumns.every((c, i) => plan.rowFields[i]?.name === c)
  const project = sameShape
    ? undefined
    : (row: Row): Row => Object.fromEntries(plan.outputColumns.map((c) => [c, row[c] ?? null]))
  return { plan, readSchema, readColumns: readSchema.fields.map((f) => f.name), build, project }
}

/** Store key of an add action's path (URI-decoded; absolute URIs must lie inside the store). */
export function dataFileKey(store: ObjectStore, path: string): string {
  return isAbsolutePath(path) ? storeKeyOfAbsolutePath(store.url, path) : decodeFilePath(path)
}

/** Options of `readScanFile`. */
export interface ReadScanFileOptions {
  readonly batchRows?: number
  readonly signal?: AbortSignal
}

/** A batch of `readScanFileIndexed`: the rows and, per row, its physical row index in the file. */
export interface IndexedRows {
  readonly rows: Row[]
  /** `rowIndexes[i]` is the 0-based position of `rows[i]` among all rows of the Parquet file (deleted ones counted). */
  readonly rowIndexes: number[]
}

/**
 * The rows of one data file that survive its deletion vector and the plan's filter, in file order,
 * projected to the plan's output columns. Empty batches are not yielded.
 * @throws StorageError, ParquetError or CorruptDataError (naming the file's store key in the message and
 * `context.path`), DeletionVectorError or PartitionValueError from the parts.
 */
export async function* readScanFile(
  engine: Engine,
  reader: FileReader,
  add: AddFile,
  options: ReadScanFileOptions = {},
): AsyncGenerator<Row[], void, undefined> {
  for await (const batch of readBatches(engine, reader, add, options, false)) yield batch.rows
}

/**
 * `readScanFile` with each row's physical row index (the bit a deletion vector sets for it): a counter over
 * every row of the Parquet file, rows an existing deletion vector hides included (skipped, but counted).
 * @throws as `readScanFile`.
 */
export function readScanFileIndexed(
  engine: Engine,
  reader: FileReader,
  add: AddFile,
  options: ReadScanFileOptions = {},
): AsyncGenerator<IndexedRows, void, undefined> {
  return readBatches(engine, reader, add, options, true)
}

async function* readBatches(
  engine: Engine,
  reader: FileReader,
  add: AddFile,
  options: ReadScanFileOptions,
  withIndexes: boolean,
): AsyncGenerator<IndexedRows, void, undefined> {
  const { plan } = reader
  const { signal } = options
  const { store } = engine
  const partitions = parsePartitionValues(add.partitionValues, plan.partitionColumns, add.path)
  const deleted = add.deletionVector ? await readDeletionVector(store, add.deletionVector, { signal }) : undefined
  const key = dataFileKey(store, add.path)
  const file = await storeAsyncBuffer(store, key, add.size, signal)
  const matchBy = plan.columnMappingMode === 'id' ? 'id' : 'name'
  const readOptions = { columns: reader.readColumns, matchBy, signal, path: key, ...(options.batchRows === undefined ? {} : { batchRows: options.batchRows }) } as const
  const noIndexes: number[] = []
  let offset = 0
  let cursor = 0
  for await (const batch of engineCodec(engine).readRows(file, reader.readSchema, readOptions)) {
    const out: Row[] = []
    const indexes = withIndexes ? [] as number[] : noIndexes
    for (let i = 0; i < batch.length; i++) {
      if (deleted !== undefined) {
        // Row index = physical position in the file; `deleted` is sorted, so walk it alongside.
        while (cursor < deleted.length && (deleted[cursor] as number) < offset + i) cursor++
        if (deleted[cursor] === offset + i) continue
      }
      const row = reader.build(batch[i] as Row, partitions)
      if (plan.predicate !== undefined && !evaluateRow(plan.predicate, row)) continue
      out.push(reader.project === undefined ? row : reader.project(row))
      if (withIndexes) indexes.push(offset + i)
    }
    offset += batch.length
    if (out.length > 0) yield { rows: out, rowIndexes: indexes }
  }
}
