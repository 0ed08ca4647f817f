// encodeParquet: Delta rows -> one Parquet file (bytes) plus Delta stats, via hyparquet-writer.
// In-memory and synchronous: the caller sizes its input (one data file or one checkpoint part per call).

import { ByteWriter, ParquetWriter } from 'hyparquet-writer'
import { writeCodec } from './compressors.js'
import { buildEncoder, StatsAllocator } from './encode-values.js'
import type { FieldEncoder } from './encode-values.js'
import { ParquetError, toParquetError } from './errors.js'
import { plainColumns } from './negative-zero.js'
import { addPageCrcs } from './page-crc/add-page-crcs.js'
import { deltaToParquetSchema, isStored } from './schema-to-parquet.js'
import { buildFileStats, DEFAULT_STATS_COLUMN_LIMIT } from './stats.js'
import type { Compression, FileStats, Row, StructType, Value } from './types.js'

/** Default rows per row group. */
export const DEFAULT_ROW_GROUP_ROWS = 128 * 1024
/** Default estimated in-memory bytes per row group (bounds row groups of wide rows). */
export const DEFAULT_ROW_GROUP_BYTES = 128 << 20 // 128 MiB
const CREATED_BY = 'lake-parquet version 0.1.0 (hyparquet-writer)'
const SIZE_SAMPLE_ROWS = 64

/** Options of {@link encodeParquet}. */
export interface EncodeOptions {
  /** Page compression; default `'zstd'`. */
  readonly compression?: Compression
  /** Maximum rows per row group; default {@link DEFAULT_ROW_GROUP_ROWS}. */
  readonly rowGroupSize?: number
  /** Target estimated bytes per row group; default {@link DEFAULT_ROW_GROUP_BYTES}. */
  readonly rowGroupBytes?: number
  /** Leaf columns (depth-first) that get stats; default 32 (`delta.dataSkippingNumIndexedCols`). */
  readonly statsColumnLimit?: number
  /** Write Parquet `field_id` from field metadata `delta.columnMapping.id` (`'whenPresent'`: where it is); default false. */
  readonly fieldIds?: boolean | 'whenPresent'
}

/** The encoded file and what the Delta add action needs to know about it. */
export interface EncodedParquet {
  readonly bytes: Uint8Array
  readonly numRecords: number
  readonly stats: FileStats
}

function estimateBytes(value: Value | undefined): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1
  if (typeof value === 'string') return value.length + 4
  if (typeof value === 'number' || typeof value === 'bigint') return 8
  if (value instanceof Uint8Array) return value.length + 4
  let total = 4
  if (Array.isArray(value)) for (const item of value as readonly Value[]) total += estimateBytes(item)
  else if (value instanceof Map) for (const [k, v] of value as ReadonlyMap<Value, Value>) total += estimateBytes(k) + estimateBytes(v)
  else for (const item of Object.values(value)) total += estimateBytes(item)
  return total
}

function rowsPerGroup(rows: readonly Row[], maxRows: number, maxBytes: number): number {
  if (rows.length === 0) return maxRows
  const step = Math.max(1, Math.floor(rows.length / SIZE_SAMPLE_ROWS))
  let bytes = 0
  let sampled = 0
  for (let i = 0; i < rows.length; i += step, sampled++) bytes += estimateBytes(rows[i] as Row)
  return Math.max(1, Math.min(maxRows, Math.floor(maxBytes / Math.max(1, bytes / sampled))))
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 0 || (value === 0 && name !== 'statsColumnLimit')) {
    throw new ParquetError(`expected ${name} to be a ${name === 'statsColumnLimit' ? 'non-negative' : 'positive'} integer, found ${value}`)
  }
  return value
}

/** One stored top-level column: its name, encoder and physical values. */
export interface ColumnWriter {
  readonly name: string
  readonly encoder: FieldEncoder
  readonly data: unknown[]
}

function checkRow(row: Row, i: number): void {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new ParquetError(`row ${i}: expected a plain object, found ${row === null ? 'null' : typeof row}`)
  }
}

/** Column at a time: each loop calls one encoder, so V8 keeps its call site monomorphic. */
function encodeByColumn(rows: readonly Row[], writers: readonly ColumnWriter[]): void {
  for (let i = 0; i < rows.length; i++) checkRow(rows[i] as Row, i)
  for (const { name, encoder, data } of writers) {
    const encode = encoder.encode
    for (let i = 0; i < rows.length; i++) data[i] = encode((rows[i] as Row)[name])
  }
}

/** Row at a time: the reference order of checks, used to report the first bad value of the first bad row. */
function encodeByRow(rows: readonly Row[], writers: readonly ColumnWriter[]): void {
  rows.forEach((row, i) => {
    checkRow(row, i)
    for (const w of writers) w.data[i] = w.encoder.encode(row[w.name])
  })
}

/**
 * Encode rows of a Delta schema as one Parquet file. Column names are the schema's field names (pass
 * physical names under column mapping). Values follow the `Value` model; `void` columns are not written.
 * @returns the file bytes, the row count and the Delta stats (min/max/nullCount of the first leaf columns)
 * @throws ParquetError on a value that does not match its type (wrong JS type, null in a non-null field,
 * out of range) or when the schema has no stored column.
 */
export function encodeParquet(rows: readonly Row[], schema: StructType, options: EncodeOptions = {}): EncodedParquet {
  const { codec, compressors } = writeCodec(options.compression ?? 'zstd')
  const { writers, stats } = convertColumns(rows, schema, options)
  const rowGroupSize = rowGroupRows(rows, options)
  let bytes: Uint8Array
  try {
    const writer = new ParquetWriter({
      writer: new ByteWriter(),
      schema: deltaToParquetSchema(schema, { fieldIds: options.fieldIds ?? false }),
      codec,
      compressors,
      createdBy: CREATED_BY,
    })
    const plain = plainColumns(schema)
    const columnData = writers.map(w => ({ name: w.name, data: w.data, ...(plain.has(w.name) ? { encoding: 'PLAIN' as const } : {}) }))
    void writer.write({ columnData, rowGroupSize }) // synchronous: a ByteWriter never flushes
    void writer.finish()
    bytes = addPageCrcs(writer.writer.getBytes())
  } catch (err) {
    throw toParquetError(err, 'cannot write Parquet file')
  }
  return { bytes, numRecords: rows.length, stats }
}

/** Rows per row group: the option (default 128Ki) bounded by the estimated bytes per row. */
export function rowGroupRows(rows: readonly Row[], options: EncodeOptions): number {
  return rowsPerGroup(
    rows,
    positive(options.rowGroupSize, DEFAULT_ROW_GROUP_ROWS, 'rowGroupSize'),
    positive(options.rowGroupBytes, DEFAULT_ROW_GROUP_BYTES, 'rowGroupBytes'),
  )
}

/**
 * Checks and converts rows to physical column values (days, micros, unscaled decimals, UTF-8 bytes)
 * of the schema's stored fields, computing the Delta stats on the way. Shared by every encoder.
 * @throws ParquetError for the first bad value in row order, or a schema without stored columns.
 */
export function convertColumns(rows: readonly Row[], schema: StructType, options: EncodeOptions): { writers: ColumnWriter[]; stats: FileStats } {
  const fields = schema.fields.filter(f => isStored(f.type))
  if (fields.length === 0) throw new ParquetError('expected a schema with at least one non-void column, found none')
  const allocator = new StatsAllocator(positive(options.statsColumnLimit, DEFAULT_STATS_COLUMN_LIMIT, 'statsColumnLimit'))
  const writers: ColumnWriter[] = fields.map(f => ({
    name: f.name,
    encoder: buildEncoder(f.type, f.nullable, [f.name], allocator),
    data: new Array<unknown>(rows.length),
  }))
  try {
    encodeByColumn(rows, writers)
  } catch (err) {
    encodeByRow(rows, writers) // throws the first error in row order, as documented
    throw err
  }
  return { writers, stats: buildFileStats(rows.length, allocator.columns) }
}
