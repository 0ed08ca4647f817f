// Arrow batch -> Parquet without row objects: columns already in the canonical Arrow type of their
// Delta type are written as they are (stats and null checks from the buffers); other columns (uint32,
// nanosecond timestamps, dictionaries, ...) are read exactly, checked and re-laid out one by one.

import * as arrow from 'apache-arrow'
import { DEFAULT_ROW_GROUP_ROWS } from '../encode.js'
import type { EncodedParquet, EncodeOptions } from '../encode.js'
import { buildEncoder, StatsAllocator } from '../encode-values.js'
import { ParquetError } from '../errors.js'
import { isStored } from '../schema-to-parquet.js'
import { buildFileStats, DEFAULT_STATS_COLUMN_LIMIT } from '../stats.js'
import type { FileStats, StructField, StructType } from '../types.js'
import { deltaToArrowSchema, deltaToArrowType } from './arrow-schema.js'
import { columnStats, summaryStats } from './arrow-stats.js'
import { requireFlatNonNull } from './non-null.js'
import { readerOf } from './arrow-to-values.js'
import { physicalToArrow, storedOnly } from './physical-to-arrow.js'
import { writeArrowParquet } from './arrow-parquet.js'
import { plainColumns, writePlainFile } from '../plain-writer/write-plain.js'
import type { PlainFile } from '../plain-writer/write-plain.js'
import type { WasmWriteOptions } from './wasm-writer.js'

function convertColumn(data: arrow.Data | undefined, field: StructField, length: number, allocator: StatsAllocator): arrow.Data {
  // Stryker disable next-line ArrowFunction: the encoder takes undefined as null
  const read = data === undefined ? () => null : readerOf(data, field.name)
  const encode = buildEncoder(field.type, field.nullable, [field.name], allocator).encode
  // Stryker disable next-line ArrayDeclaration: a buffer the loop below fills whole
  const physical = new Array<unknown>(length)
  for (let i = 0; i < length; i++) physical[i] = encode(read(i))
  return physicalToArrow(physical, field.type)
}

/** `data` itself when of the `target` type; re-typed without a copy when only the zone name differs (`+00:00` for `UTC`). */
function sameLayout(data: arrow.Data, target: arrow.DataType): arrow.Data | undefined {
  if (arrow.util.compareTypes(data.type, target)) return data
  // Stryker disable next-line ConditionalExpression,LogicalOperator,BooleanLiteral: a column not re-typed here is converted value by value (convertColumn), to the same values
  if (!arrow.DataType.isTimestamp(data.type) || !arrow.DataType.isTimestamp(target)) return undefined
  const source = data.type as arrow.Timestamp
  const wanted = target as arrow.Timestamp
  // Stryker disable next-line ConditionalExpression: false converts the column to the same values, as above (true, which re-types milliseconds as microseconds, fails test/arrow-stats-edges.test.ts)
  return source.unit === wanted.unit && Boolean(source.timezone) === Boolean(wanted.timezone) ? data.clone(wanted) : undefined
}

function checkColumns(batch: arrow.RecordBatch, schema: StructType): void {
  const names = new Set(schema.fields.map(f => f.name))
  for (const f of batch.schema.fields) {
    if (!names.has(f.name)) throw new ParquetError(`column '${f.name}': expected a column of the schema, found an extra Arrow column`, { context: { column: f.name } })
  }
}

/** A batch as canonical Arrow data in the schema's order, and its Delta stats. */
export interface CanonicalBatch {
  readonly table: arrow.Table
  /**
   * The file stats, computed on first call when every column was already canonical (so a caller can
   * start encoding first), else at preparation.
   * @throws ParquetError naming the column of a null where the schema forbids one.
   */
  stats(): FileStats
  /**
   * When every column was already canonical and the plain writer takes the table: checks the columns'
   * nulls, writes the table with `write` and takes the Delta stats from the written columns' summaries
   * (no second pass over the values, but floats'); `stats()` then returns them. Undefined otherwise.
   * @throws ParquetError naming the column of a null where the schema forbids one (nothing written).
   */
  readonly writePlain?: (write: (table: arrow.Table) => PlainFile) => { bytes: Uint8Array; stats: FileStats }
}

function statsLimit(options: EncodeOptions): number {
  const limit = options.statsColumnLimit ?? DEFAULT_STATS_COLUMN_LIMIT
  if (!Number.isInteger(limit) || limit < 0) throw new ParquetError(`expected statsColumnLimit to be a non-negative integer, found ${limit}`)
  return limit
}

/** The columns of `batch` for `fields`: a column's own data when already canonical, else undefined. */
function columnsOf(batch: arrow.RecordBatch, fields: readonly StructField[]): { data: arrow.Data | undefined; same: arrow.Data | undefined }[] {
  const index = new Map(batch.schema.fields.map((f, k) => [f.name, k]))
  return fields.map(field => {
    const k = index.get(field.name)
    const data = k === undefined ? undefined : (batch.data.children[k] as arrow.Data)
    return { data, same: data === undefined ? undefined : sameLayout(data, deltaToArrowType(storedOnly(field.type))) }
  })
}

/** The batch's columns as canonical Arrow data in the schema's order, with the Delta stats (see `CanonicalBatch.stats`). */
export function canonicalBatch(batch: arrow.RecordBatch, schema: StructType, options: EncodeOptions): CanonicalBatch {
  checkColumns(batch, schema)
  const fields = schema.fields.filter(f => isStored(f.type))
  if (fields.length === 0) throw new ParquetError('expected a schema with at least one non-void column, found none')
  const allocator = new StatsAllocator(statsLimit(options))
  const columns = columnsOf(batch, fields)
  const collect = (): arrow.Data[] => columns.map(({ data, same }, k) => {
    const field = fields[k] as StructField
    if (same === undefined) return convertColumn(data, field, batch.numRows, allocator)
    columnStats(same, field, [field.name], allocator)
    return same
  })
  const deferred = columns.every(c => c.same !== undefined)
  const children = deferred ? columns.map(c => c.same as arrow.Data) : collect()
  let stats = deferred ? undefined : buildFileStats(batch.numRows, allocator.columns)
  const arrowSchema = deltaToArrowSchema(storedOnly(schema) as StructType, { fieldIds: options.fieldIds ?? false })
  const data = arrow.makeData({ type: new arrow.Struct(arrowSchema.fields), length: batch.numRows, nullCount: 0, children })
  const table = new arrow.Table([new arrow.RecordBatch(arrowSchema, data)])
  const writePlain = (write: (table: arrow.Table) => PlainFile): { bytes: Uint8Array; stats: FileStats } => {
    children.forEach((column, k) => requireFlatNonNull(column, fields[k] as StructField))
    const file = write(table)
    file.columns.forEach((summary, k) => summaryStats(children[k] as arrow.Data, fields[k] as StructField, summary, allocator))
    stats = buildFileStats(batch.numRows, allocator.columns)
    return { bytes: file.bytes, stats }
  }
  return {
    table,
    ...(deferred && plainColumns(table) !== undefined ? { writePlain } : {}),
    stats: () => {
      if (stats !== undefined) return stats
      collect()
      stats = buildFileStats(batch.numRows, allocator.columns)
      return stats
    },
  }
}

/**
 * Encodes an Arrow batch as one Parquet file of `schema` (columns matched by name; a schema column
 * missing from the batch is all null). Any Arrow type `arrowToDeltaType` accepts is converted exactly.
 * @throws ParquetError naming the column: an extra column, a null where the schema forbids it, a
 * value the Delta type cannot hold.
 */
export function encodeArrowBatch(batch: arrow.RecordBatch, schema: StructType, options: EncodeOptions = {}): EncodedParquet {
  const canonical = canonicalBatch(batch, schema, options)
  const written = canonical.writePlain?.((table) => writePlainFile(table, wasmOptions(options)))
  if (written !== undefined) return { ...written, numRecords: batch.numRows }
  const stats = canonical.stats()
  const bytes = writeArrowParquet(canonical.table, wasmOptions(options))
  return { bytes, numRecords: batch.numRows, stats }
}

/** The writer options of `options`. */
export function wasmOptions(options: EncodeOptions): WasmWriteOptions {
  return { compression: options.compression ?? 'zstd', rowGroupSize: options.rowGroupSize ?? DEFAULT_ROW_GROUP_ROWS }
}
