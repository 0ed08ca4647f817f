// One data page (v1) of one column: rows [start, end) of an Arrow Data as the page's uncompressed body,
// the definition levels of an OPTIONAL column (4-byte length, then the RLE/bit-packed hybrid of bit
// width 1: one run when the rows are all valid or all null, else the validity bits as one bit-packed
// run), then the non-null values PLAIN-encoded. Fixed-width values without nulls are a view of the
// Arrow buffer (no copy). As apache-arrow slices: value and offset buffers start at the Data's first
// row, bitmaps (validity, booleans) at `data.offset`.

import type * as arrow from 'apache-arrow'
import type { PlainLayout } from './plain-column.js'

/** A page's uncompressed body and how many of its rows are null. */
export interface PageBody {
  readonly body: Uint8Array
  readonly nulls: number
}

const bitAt = (bitmap: Uint8Array, at: number): boolean => ((bitmap[at >> 3] as number) & (1 << (at & 7))) !== 0

/** The validity bitmap of `data` when it has nulls, else undefined. */
export function validityOf(data: arrow.Data): Uint8Array | undefined {
  const bitmap = data.nullBitmap
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a bitmap of a column without nulls marks every row valid, read alike
  return data.nullCount === 0 || bitmap === undefined || bitmap.length === 0 ? undefined : bitmap
}

/** Nulls among rows [start, end). */
export function nullsIn(data: arrow.Data, start: number, end: number): number {
  const validity = validityOf(data)
  if (validity === undefined) return 0
  let nulls = 0
  for (let i = data.offset + start; i < data.offset + end; i++) if (!bitAt(validity, i)) nulls++
  return nulls
}

/** Bytes of the ULEB128 varint `n`. */
function varint(n: number): number[] {
  const out: number[] = []
  let v = n
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80)
    v = Math.floor(v / 128)
  }
  out.push(v)
  return out
}

/** The definition levels of rows [start, end) (each 1 when valid, 0 when null) as a v1 page writes them. */
function definitionLevels(data: arrow.Data, start: number, end: number, nulls: number): Uint8Array {
  const n = end - start
  if (nulls === 0 || nulls === n) return withLength([...varint(n * 2), nulls === 0 ? 1 : 0], 0)
  const groups = Math.ceil(n / 8)
  const header = varint(groups * 2 + 1)
  const out = withLength(header, groups)
  const bits = out.subarray(4 + header.length)
  const validity = validityOf(data) as Uint8Array
  const first = data.offset + start
  // Stryker disable next-line EqualityOperator: a bit past the page's rows lies in the last group's padding or past the buffer
  for (let i = 0; i < n; i++) if (bitAt(validity, first + i)) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7))
  return out
}

/** `header` then `extra` zero bytes, after their 4-byte little-endian length. */
function withLength(header: readonly number[], extra: number): Uint8Array {
  const out = new Uint8Array(4 + header.length + extra)
  new DataView(out.buffer).setUint32(0, header.length + extra, true)
  out.set(header, 4)
  return out
}

/** PLAIN bytes of the non-null fixed-width values among rows [start, end). */
function fixedValues(data: arrow.Data, width: 4 | 8, start: number, end: number, nulls: number): Uint8Array {
  const values = data.values as Int32Array | BigInt64Array | Float32Array | Float64Array
  const validity = validityOf(data)
  // Stryker disable next-line ConditionalExpression: a column's all-valid rows copied one by one are the same bytes
  if (nulls === 0 || validity === undefined) return new Uint8Array(values.buffer, values.byteOffset + start * width, (end - start) * width)
  const words = width / 4
  const source = new Int32Array(values.buffer, values.byteOffset, values.length * words)
  const out = new Int32Array((end - start - nulls) * words)
  let o = 0
  // Stryker disable next-line EqualityOperator: a value past the page lands past the output, which drops it
  for (let i = start; i < end; i++) {
    if (!bitAt(validity, data.offset + i)) continue
    for (let w = 0; w < words; w++) out[o++] = source[i * words + w] as number
  }
  return new Uint8Array(out.buffer)
}

/** PLAIN bytes (int32) of the non-null int8/int16 values among rows [start, end). */
function narrowValues(data: arrow.Data, start: number, end: number, nulls: number): Uint8Array {
  const values = data.values as Int8Array | Int16Array
  const validity = validityOf(data)
  const out = new Int32Array(end - start - nulls)
  let o = 0
  // Stryker disable next-line EqualityOperator: a value past the page lands past the output, which drops it
  for (let i = start; i < end; i++) if (validity === undefined || bitAt(validity, data.offset + i)) out[o++] = values[i] as number
  return new Uint8Array(out.buffer)
}

/** PLAIN bytes (bit-packed, LSB first) of the non-null booleans among rows [start, end). */
function booleanValues(data: arrow.Data, start: number, end: number, nulls: number): Uint8Array {
  const bitmap = data.values as Uint8Array
  const validity = validityOf(data)
  // Byte-aligned and no nulls: the bitmap's own bytes (bits past `end` in the last byte are never read).
  // Stryker disable next-line ConditionalExpression,ArithmeticOperator,EqualityOperator: the bit loop below packs the same bytes (test/plain-writer.test.ts reads back aligned columns with nulls)
  if (nulls === 0 && (data.offset + start) % 8 === 0) return bitmap.subarray((data.offset + start) >> 3, (data.offset + end + 7) >> 3)
  const out = new Uint8Array(Math.ceil((end - start - nulls) / 8))
  let o = 0
  // Stryker disable next-line EqualityOperator: a bit past the page lands in the last byte's padding or past the output
  for (let i = data.offset + start; i < data.offset + end; i++) {
    if (validity !== undefined && !bitAt(validity, i)) continue
    if (bitAt(bitmap, i)) out[o >> 3] = (out[o >> 3] as number) | (1 << (o & 7))
    o++
  }
  return out
}

/** PLAIN bytes (4-byte length, then the bytes) of the non-null byte strings among rows [start, end). */
function byteValues(data: arrow.Data, start: number, end: number): Uint8Array {
  const offsets = data.valueOffsets as Int32Array
  const bytes = data.values as Uint8Array
  const validity = validityOf(data)
  let size = 0
  for (let i = start; i < end; i++) if (validity === undefined || bitAt(validity, data.offset + i)) size += 4 + (offsets[i + 1] as number) - (offsets[i] as number)
  const out = new Uint8Array(size)
  const view = new DataView(out.buffer)
  let o = 0
  for (let i = start; i < end; i++) {
    if (validity !== undefined && !bitAt(validity, data.offset + i)) continue
    const s = offsets[i] as number
    const e = offsets[i + 1] as number
    view.setInt32(o, e - s, true)
    o += 4
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: both copy the same bytes (a loop is cheaper for short strings)
    if (e - s > 32) out.set(bytes.subarray(s, e), o)
    else {
      // Stryker disable next-line EqualityOperator: a byte past the value is overwritten by the next length or lies past the output
      for (let k = s; k < e; k++) out[o + k - s] = bytes[k] as number
    }
    o += e - s
  }
  return out
}

function plainValues(data: arrow.Data, layout: PlainLayout, start: number, end: number, nulls: number): Uint8Array {
  switch (layout.kind) {
    case 'fixed': return fixedValues(data, layout.width, start, end, nulls)
    case 'narrow': return narrowValues(data, start, end, nulls)
    case 'boolean': return booleanValues(data, start, end, nulls)
    case 'bytes': return byteValues(data, start, end)
  }
}

/** A buffer for joining levels and values, reused page after page (fresh memory is slow to touch, see ipc-stream.ts). */
let scratch = new Uint8Array(0)

/**
 * The body of the page of rows [start, end) of `data`; `optional` columns carry definition levels.
 * The body may be a view of the Arrow buffers or of a buffer the next call overwrites: use it (compress
 * or copy it) before the next call.
 */
export function pageBody(data: arrow.Data, layout: PlainLayout, optional: boolean, start: number, end: number): PageBody {
  const nulls = nullsIn(data, start, end)
  const values = plainValues(data, layout, start, end, nulls)
  if (!optional) return { body: values, nulls }
  const levels = definitionLevels(data, start, end, nulls)
  const size = levels.length + values.length
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: any scratch of at least `size` bytes holds the body
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2))
  const body = scratch.subarray(0, size)
  body.set(levels)
  body.set(values, levels.length)
  return { body, nulls }
}
