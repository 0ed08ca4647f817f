// The check that Arrow string columns hold UTF-8: an Arrow `Utf8` vector is only offsets into a byte
// buffer, and nothing stops a producer (makeData, IPC from another tool) from putting other bytes there.
// Written as they are they make a Parquet file no reader decodes; read into rows they turn into U+FFFD.
// Cheap when the column is valid: one `isUtf8` over the values in range and a look at the first byte of
// every value (the whole range can be UTF-8 while a value boundary splits a character). Only when that
// fails are the values checked one by one, to name the first invalid row. Bytes under a null slot count
// too: the Parquet writer (arrow-rs) validates the whole buffer, as delta-rs does. A Utf8View column
// (polars' strings), which is written through rows, has its non-null values checked one by one.

import { isUtf8 } from 'node:buffer'
import * as arrow from 'apache-arrow'
import { ParquetError } from '../errors.js'

/** Where a string column first holds bytes that are not UTF-8: the column's path and the index in its Data. */
interface Invalid {
  readonly path: string
  readonly index: number
}

const isContinuation = (byte: number | undefined): boolean => byte !== undefined && (byte & 0xc0) === 0x80

/** True when the values `[from, to)` of a Utf8 Data are all UTF-8 (fast: one pass over their bytes). */
function allUtf8(bytes: Uint8Array, offsets: Int32Array | BigInt64Array, from: number, to: number): boolean {
  const start = Number(offsets[from])
  const end = Number(offsets[to])
  if (!isUtf8(bytes.subarray(start, end))) return false
  for (let i = from + 1; i < to; i++) {
    const at = Number(offsets[i])
    if (at < end && isContinuation(bytes[at])) return false
  }
  return true
}

function firstInvalidString(data: arrow.Data, from: number, to: number): number {
  const bytes = data.values as Uint8Array
  const offsets = data.valueOffsets as Int32Array | BigInt64Array
  if (to <= from || allUtf8(bytes, offsets, from, to)) return -1
  for (let i = from; i < to; i++) {
    if (!isUtf8(bytes.subarray(Number(offsets[i]), Number(offsets[i + 1])))) return i
  }
  return -1
}

/**
 * The first value of a Utf8View Data in `[from, to)` whose bytes are not UTF-8 (read as BinaryView
 * over the same buffers); null slots are skipped, as their views are never read.
 */
function firstInvalidView(data: arrow.Data, from: number, to: number): number {
  const views = arrow.makeVector(data.clone(new arrow.BinaryView())) as arrow.Vector<arrow.BinaryView>
  for (let i = from; i < to; i++) {
    const bytes = views.get(i)
    if (bytes !== null && !isUtf8(bytes)) return i
  }
  return -1
}

/** The value index of a list whose child values `[offsets[i], offsets[i+1])` hold child index `k`. */
function parentOf(offsets: Int32Array | BigInt64Array, from: number, to: number, k: number): number {
  for (let i = from; i < to; i++) if (k < Number(offsets[i + 1])) return i
  return -1
}

function firstInvalidNested(data: arrow.Data, path: string, from: number, to: number): Invalid | undefined {
  const type = data.type
  if (arrow.DataType.isStruct(type)) {
    let first: Invalid | undefined
    for (const [k, f] of type.children.entries()) {
      const found = firstInvalid(data.children[k] as arrow.Data, `${path}.${f.name}`, from, to)
      if (found !== undefined && (first === undefined || found.index < first.index)) first = found
    }
    return first
  }
  const child = data.children[0]
  if (child === undefined) return undefined
  if (arrow.DataType.isFixedSizeList(type)) {
    const found = firstInvalid(child, `${path}.element`, from * type.listSize, to * type.listSize)
    return found === undefined ? undefined : { path: found.path, index: Math.floor(found.index / type.listSize) }
  }
  const offsets = data.valueOffsets as Int32Array | BigInt64Array | undefined
  if (offsets === undefined) return undefined
  const inner = arrow.DataType.isMap(type) ? path : `${path}.element`
  const found = firstInvalid(child, inner, Number(offsets[from]), Number(offsets[to]))
  return found === undefined ? undefined : { path: found.path, index: parentOf(offsets, from, to, found.index) }
}

function firstInvalid(data: arrow.Data, path: string, from: number, to: number): Invalid | undefined {
  const type = data.type
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) {
    const index = firstInvalidString(data, from, to)
    return index < 0 ? undefined : { path, index }
  }
  if (type.typeId === arrow.Type.Utf8View) {
    const index = firstInvalidView(data, from, to)
    return index < 0 ? undefined : { path, index }
  }
  if (arrow.DataType.isDictionary(type)) {
    const dictionary = data.dictionary?.data[0]
    if (dictionary === undefined || firstInvalid(dictionary, path, 0, dictionary.length) === undefined) return undefined
    const indices = data.values as ArrayLike<number | bigint>
    for (let i = from; i < to; i++) {
      const d = Number(indices[i])
      if (firstInvalid(dictionary, path, d, d + 1) !== undefined) return { path, index: i }
    }
    return undefined
  }
  return firstInvalidNested(data, path, from, to)
}

/**
 * Checks that every string value of the batches (nested ones included) is UTF-8.
 * @throws ParquetError naming the column (`context.column`, a dotted path for a nested value) and the
 *   row (`context.row`: 0-based across the batches, plus `firstRow`) of the first value whose bytes are not UTF-8.
 */
export function checkArrowUtf8(batches: readonly arrow.RecordBatch[], firstRow = 0): void {
  let base = firstRow
  for (const batch of batches) {
    for (const [k, field] of batch.schema.fields.entries()) {
      const column = batch.data.children[k]
      const found = column === undefined ? undefined : firstInvalid(column, field.name, 0, column.length)
      if (found !== undefined) {
        const row = base + found.index
        throw new ParquetError(`column '${found.path}': expected UTF-8 text, found bytes that are not UTF-8 in row ${row}`, { context: { column: found.path, row, expected: 'UTF-8 text', found: 'invalid UTF-8 bytes' } })
      }
    }
    base += batch.numRows
  }
}
