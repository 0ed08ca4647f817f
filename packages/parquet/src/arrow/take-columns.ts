// Columns as values of a flat Arrow batch (the types `BatchBuilder` builds: fixed-width numbers, dates,
// timestamps, booleans, UTF-8 strings): taking rows by index out of one or more chunks into a new
// column, reading a key column's values, counting a column's bytes, and assembling a RecordBatch of a
// Delta schema from columns. Other layouts (decimals, binary, nested, dictionaries) are not columns
// here: `isFlatColumn` says which are, and callers take another route for the rest. As apache-arrow
// slices: value and offset buffers start at the slice (index from 0), bitmaps (validity, booleans) at `offset`.

import * as arrow from 'apache-arrow'
import type { StructType } from '../types.js'
import { deltaToArrowType } from './arrow-schema.js'
import { int64AsNumber } from '../int64-words.js'

/** One column of a batch (an Arrow `Data`). */
export type ArrowColumn = arrow.Data

type Fixed = BigInt64Array | Int32Array | Int16Array | Int8Array | Float64Array | Float32Array

const FIXED = new Set<arrow.Type>([arrow.Type.Int, arrow.Type.Float, arrow.Type.Date, arrow.Type.Timestamp])

/** True when `column` has a layout this module takes (fixed-width numbers, dates, timestamps, booleans, UTF-8). */
export function isFlatColumn(column: ArrowColumn): boolean {
  const id = column.typeId
  return FIXED.has(id) || id === arrow.Type.Bool || id === arrow.Type.Utf8
}

/** True when `column` holds exactly the Arrow type the builders give a Delta column of `type`. */
export function hasCanonicalType(column: ArrowColumn, type: StructType['fields'][number]['type']): boolean {
  return isFlatColumn(column) && String(column.type) === String(deltaToArrowType(type))
}

const valid = (column: ArrowColumn, i: number): boolean => {
  const bitmap = column.nullBitmap
  if (column.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return true
  const at = column.offset + i
  return ((bitmap[at >> 3] as number) & (1 << (at & 7))) !== 0
}

/** Where each wanted row lives: per index, its chunk and its position in the chunk. */
function locate(chunks: readonly ArrowColumn[], indexes: Int32Array): { chunk: Uint16Array | undefined; at: Int32Array } {
  if (chunks.length === 1) return { chunk: undefined, at: indexes }
  const starts = new Int32Array(chunks.length + 1)
  chunks.forEach((c, k) => (starts[k + 1] = (starts[k] as number) + c.length))
  const chunk = new Uint16Array(indexes.length)
  const at = new Int32Array(indexes.length)
  let last = 0
  for (let j = 0; j < indexes.length; j++) {
    const i = indexes[j] as number
    // Ascending runs stay in one chunk: try the previous row's chunk before searching.
    if (i < (starts[last] as number) || i >= (starts[last + 1] as number)) last = chunkOf(starts, i)
    chunk[j] = last
    at[j] = i - (starts[last] as number)
  }
  return { chunk, at }
}

/** The chunk holding row `i`, given the chunks' start rows (`starts`, one more entry than chunks). */
function chunkOf(starts: Int32Array, i: number): number {
  let [lo, hi] = [0, starts.length - 2]
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((starts[mid] as number) <= i) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Validity of the taken rows, and their null count (undefined bitmap when none is null). */
function takeValidity(chunks: readonly ArrowColumn[], where: ReturnType<typeof locate>): { bitmap: Uint8Array | undefined; nulls: number } {
  if (chunks.every((c) => c.nullCount === 0)) return { bitmap: undefined, nulls: 0 }
  const n = where.at.length
  const bitmap = new Uint8Array(Math.ceil(n / 8))
  let nulls = 0
  for (let j = 0; j < n; j++) {
    if (valid(chunks[where.chunk?.[j] ?? 0] as ArrowColumn, where.at[j] as number)) bitmap[j >> 3] = (bitmap[j >> 3] as number) | (1 << (j & 7))
    else nulls++
  }
  return { bitmap: nulls === 0 ? undefined : bitmap, nulls }
}

function takeFixed(chunks: readonly ArrowColumn[], where: ReturnType<typeof locate>): Fixed {
  const first = chunks[0]?.values as Fixed
  const out = new (first.constructor as new (n: number) => Fixed)(where.at.length)
  if (chunks.length === 1) takeWords(first, where.at, out)
  else takeChunked(chunks, where, out)
  return out
}

/**
 * One chunk's values at `at` into `out`, copied as 32-bit words (8-byte values as two): no bigint is
 * made and no NaN payload of a float is rewritten.
 */
function takeWords(values: Fixed, at: Int32Array, out: Fixed): void {
  const size = values.BYTES_PER_ELEMENT
  if (size < 4) {
    const from = values as Int16Array
    for (let j = 0; j < at.length; j++) (out as Int16Array)[j] = from[at[j] as number] as number
    return
  }
  const from = new Int32Array(values.buffer, values.byteOffset, values.length * (size / 4))
  const into = new Int32Array(out.buffer, out.byteOffset, out.length * (size / 4))
  if (size === 4) {
    for (let j = 0; j < at.length; j++) into[j] = from[at[j] as number] as number
    return
  }
  for (let j = 0; j < at.length; j++) {
    const i = 2 * (at[j] as number)
    into[2 * j] = from[i] as number
    into[2 * j + 1] = from[i + 1] as number
  }
}

/** `takeWords` over several chunks (each row's chunk in `where`). */
function takeChunked(chunks: readonly ArrowColumn[], where: ReturnType<typeof locate>, out: Fixed): void {
  const size = out.BYTES_PER_ELEMENT
  if (size < 4) {
    const sources = chunks.map((c) => c.values as Int16Array)
    for (let j = 0; j < where.at.length; j++) (out as Int16Array)[j] = (sources[where.chunk?.[j] ?? 0] as Int16Array)[where.at[j] as number] as number
    return
  }
  const words = size / 4
  const into = new Int32Array(out.buffer, out.byteOffset, out.length * words)
  const sources = chunks.map((c) => {
    const values = c.values as Fixed
    return new Int32Array(values.buffer, values.byteOffset, values.length * words)
  })
  for (let j = 0; j < where.at.length; j++) {
    const from = sources[where.chunk?.[j] ?? 0] as Int32Array
    const i = (where.at[j] as number) * words
    for (let w = 0; w < words; w++) into[j * words + w] = from[i + w] as number
  }
}

function takeBits(chunks: readonly ArrowColumn[], where: ReturnType<typeof locate>): Uint8Array {
  const out = new Uint8Array(Math.ceil(where.at.length / 8))
  for (let j = 0; j < where.at.length; j++) {
    const c = chunks[where.chunk?.[j] ?? 0] as ArrowColumn
    const at = c.offset + (where.at[j] as number)
    if (((c.values as Uint8Array)[at >> 3] as number) & (1 << (at & 7))) out[j >> 3] = (out[j >> 3] as number) | (1 << (j & 7))
  }
  return out
}

function takeUtf8(chunks: readonly ArrowColumn[], where: ReturnType<typeof locate>): { offsets: Int32Array; bytes: Uint8Array } {
  const n = where.at.length
  const offsets = new Int32Array(n + 1)
  const sources = chunks.map((c) => ({ offsets: c.valueOffsets as Int32Array, bytes: c.values as Uint8Array }))
  for (let j = 0; j < n; j++) {
    const s = sources[where.chunk?.[j] ?? 0] as (typeof sources)[number]
    const i = where.at[j] as number
    offsets[j + 1] = (offsets[j] as number) + (s.offsets[i + 1] as number) - (s.offsets[i] as number)
  }
  const bytes = new Uint8Array(offsets[n] as number)
  // Consecutive rows of one chunk are consecutive bytes: one copy per run (a DELETE keeps long runs).
  for (let j = 0; j < n; ) {
    const chunk = where.chunk?.[j] ?? 0
    const s = sources[chunk] as (typeof sources)[number]
    const first = where.at[j] as number
    let end = first + 1
    let k = j + 1
    while (k < n && where.at[k] === end && (where.chunk?.[k] ?? 0) === chunk) {
      end++
      k++
    }
    bytes.set(s.bytes.subarray(s.offsets[first] as number, s.offsets[end] as number), offsets[j] as number)
    j = k
  }
  return { offsets, bytes }
}

/**
 * The rows `indexes` (positions across the chunks, in order) of a column split into `chunks` of one
 * flat type, as one new column (its `nullCount` counts the taken nulls).
 */
export function takeColumn(chunks: readonly ArrowColumn[], indexes: Int32Array): ArrowColumn {
  const first = chunks[0]
  if (first === undefined) throw new RangeError('takeColumn: expected at least one chunk, found none')
  const where = locate(chunks, indexes)
  const { bitmap, nulls } = takeValidity(chunks, where)
  const base = { type: first.type, length: indexes.length, nullCount: nulls, ...(bitmap === undefined ? {} : { nullBitmap: bitmap }) }
  if (first.typeId === arrow.Type.Bool) return arrow.makeData({ ...base, data: takeBits(chunks, where) } as never)
  if (first.typeId === arrow.Type.Utf8) {
    const { offsets, bytes } = takeUtf8(chunks, where)
    return arrow.makeData({ ...base, data: bytes, valueOffsets: offsets } as never)
  }
  return arrow.makeData({ ...base, data: takeFixed(chunks, where) } as never)
}

/**
 * The values of an integer or string column split into `chunks` (bigint for 64-bit integers, number
 * for narrower ones, string, null): a MERGE key column. Undefined for other types.
 */
export function keyColumnValues(chunks: readonly ArrowColumn[]): (number | bigint | string | null)[] | undefined {
  if (!chunks.every((c) => c.typeId === arrow.Type.Int || c.typeId === arrow.Type.Utf8)) return undefined
  const out: (number | bigint | string | null)[] = []
  const decoder = new TextDecoder()
  for (const c of chunks) {
    const values = c.values as Fixed | Uint8Array
    const offsets = c.valueOffsets as Int32Array | undefined
    for (let at = 0; at < c.length; at++) {
      if (!valid(c, at)) out.push(null)
      else if (offsets === undefined) out.push((values as Fixed)[at] as number | bigint)
      else out.push(decoder.decode((values as Uint8Array).subarray(offsets[at] as number, offsets[at + 1] as number)))
    }
  }
  return out
}

/**
 * The values of an integer column split into `chunks` as numbers (NaN for null), read without making
 * bigints; undefined for other types or when a 64-bit value is not a safe integer (outside [-2^53, 2^53)).
 */
export function integerKeyNumbers(chunks: readonly ArrowColumn[]): Float64Array | undefined {
  if (!chunks.every((c) => c.typeId === arrow.Type.Int)) return undefined
  const out = new Float64Array(chunks.reduce((n, c) => n + c.length, 0))
  let next = 0
  for (const c of chunks) {
    if (!chunkNumbers(c, out, next)) return undefined
    next += c.length
  }
  return out
}

/** Writes integer column `c` as numbers at `out[at...]` (one loop for the values, one for the nulls); false when a valid 64-bit value is not exact. */
function chunkNumbers(c: ArrowColumn, out: Float64Array, at: number): boolean {
  const values = c.values as Fixed
  const words = values instanceof BigInt64Array ? new Int32Array(values.buffer, values.byteOffset, values.length * 2) : undefined
  if (words === undefined) for (let i = 0; i < c.length; i++) out[at + i] = values[i] as number
  else {
    for (let i = 0; i < c.length; i++) {
      const n = int64AsNumber(words, i)
      // A null's slot may hold any value: only a valid one must be exact.
      if (n !== n && valid(c, i)) return false
      out[at + i] = n
    }
  }
  if (c.nullCount > 0) for (let i = 0; i < c.length; i++) if (!valid(c, i)) out[at + i] = Number.NaN
  return true
}

/** The bytes of a column's buffers (values, offsets, validity): its size in memory. */
export function columnBytes(column: ArrowColumn): number {
  return (column.values?.byteLength ?? 0) + (column.valueOffsets?.byteLength ?? 0) + (column.nullBitmap?.byteLength ?? 0)
}

/** A RecordBatch of `schema` (names and nullability) over `columns`, one per field and of equal length. */
export function batchOfColumns(schema: StructType, columns: readonly ArrowColumn[], length: number): arrow.RecordBatch {
  const fields = schema.fields.map((f, k) => new arrow.Field(f.name, (columns[k] as ArrowColumn).type, f.nullable))
  const struct = arrow.makeData({ type: new arrow.Struct(fields), length, nullCount: 0, children: [...columns] })
  return new arrow.RecordBatch(new arrow.Schema(fields), struct)
}
