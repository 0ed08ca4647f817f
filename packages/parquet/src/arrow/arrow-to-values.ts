// Arrow columns -> lake's exact JS values (the `Value` model): read straight from the Arrow buffers
// (BigInt64Array for int64 and timestamps, 128-bit words for decimals), never through the lossy
// `Vector.get` (which turns timestamps into float milliseconds).

import * as arrow from 'apache-arrow'
import { formatDecimal } from '../decimal.js'
import { ParquetError } from '../errors.js'
import { setField } from '../object-template.js'
import { formatDate, formatTimestamp } from '../temporal.js'
import type { Row, Value } from '../types.js'
import { arrowToDeltaType } from './arrow-schema.js'

/**
 * Reads the value at index `i` (relative to the Data's own offset) or null. apache-arrow slices the
 * value, offset and child buffers of a sliced Data; only validity bitmaps and boolean values are
 * indexed through `data.offset`.
 */
type Reader = (i: number) => Value

const LONG_MAX = 2n ** 63n - 1n
const TEXT = new TextDecoder()
const UNIT_TO_MICROS = [1_000_000n, 1000n, 1n] // SECOND, MILLISECOND, MICROSECOND

function lossy(column: string, what: string, found: string): ParquetError {
  return new ParquetError(`column '${column}': expected ${what}, found ${found}`, { context: { column } })
}

function isValid(data: arrow.Data, i: number): boolean {
  if (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0) return true
  const bit = data.offset + i
  return ((data.nullBitmap[bit >> 3] as number) & (1 << (bit & 7))) !== 0
}

function decimalReader(data: arrow.Data, scale: number): Reader {
  const words = data.values as Uint32Array
  const stride = (data.type as arrow.Decimal).bitWidth / 32
  return i => {
    const base = i * stride
    let unscaled = 0n
    for (let w = stride - 1; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[base + w] as number)
    return formatDecimal(BigInt.asIntN(stride * 32, unscaled), scale)
  }
}

function timestampReader(data: arrow.Data, utc: boolean, column: string): Reader {
  const type = data.type as arrow.Timestamp
  const values = data.values as BigInt64Array
  if (type.unit === arrow.TimeUnit.NANOSECOND) {
    return i => {
      const nanos = values[i] as bigint
      if (nanos % 1000n !== 0n) throw lossy(column, 'a timestamp in whole microseconds (Delta keeps microseconds)', `${nanos} ns`)
      return formatTimestamp(nanos / 1000n, utc)
    }
  }
  const factor = UNIT_TO_MICROS[type.unit] as bigint
  return i => formatTimestamp((values[i] as bigint) * factor, utc)
}

function dateReader(data: arrow.Data, column: string): Reader {
  if ((data.type as arrow.Date_).unit === arrow.DateUnit.DAY) return i => formatDate(data.values[i] as number)
  const values = data.values as BigInt64Array
  return i => {
    const ms = values[i] as bigint
    if (ms % 86_400_000n !== 0n) throw lossy(column, 'a date64 of whole days', `${ms} ms`)
    return formatDate(Number(ms / 86_400_000n))
  }
}

function bytesReader(data: arrow.Data, asString: boolean): Reader {
  const bytes = data.values as Uint8Array
  if (arrow.DataType.isFixedSizeBinary(data.type)) {
    const width = data.type.byteWidth
    return i => bytes.slice(i * width, (i + 1) * width)
  }
  const offsets = data.valueOffsets as Int32Array | BigInt64Array
  return i => {
    const start = Number(offsets[i])
    const end = Number(offsets[i + 1])
    return asString ? TEXT.decode(bytes.subarray(start, end)) : bytes.slice(start, end)
  }
}

function intReader(data: arrow.Data, column: string): Reader {
  const type = data.type as arrow.Int
  const values = data.values as ArrayLike<number | bigint>
  if (type.bitWidth < 64) return type.isSigned || type.bitWidth < 32 ? i => values[i] as number : i => BigInt(values[i] as number)
  return i => {
    const v = values[i] as bigint
    if (v > LONG_MAX) throw lossy(column, 'a uint64 at most 2^63-1 (Delta long)', String(v))
    return v
  }
}

function listReader(data: arrow.Data, column: string): Reader {
  const child = data.children[0] as arrow.Data
  const item = readerOf(child, `${column}.element`)
  if (arrow.DataType.isFixedSizeList(data.type)) {
    const size = data.type.listSize
    return i => Array.from({ length: size }, (_, k) => item(i * size + k))
  }
  const offsets = data.valueOffsets as Int32Array | BigInt64Array
  return i => {
    const out: Value[] = []
    for (let k = Number(offsets[i]); k < Number(offsets[i + 1]); k++) out.push(item(k))
    return out
  }
}

function mapReader(data: arrow.Data, column: string): Reader {
  const entries = data.children[0] as arrow.Data
  const key = readerOf(entries.children[0] as arrow.Data, `${column}.key`)
  const value = readerOf(entries.children[1] as arrow.Data, `${column}.value`)
  const offsets = data.valueOffsets as Int32Array
  return i => {
    const out = new Map<Value, Value>()
    for (let k = offsets[i] as number; k < (offsets[i + 1] as number); k++) out.set(key(k), value(k))
    return out
  }
}

function structReader(data: arrow.Data, column: string): Reader {
  const fields = (data.type as arrow.Struct).children
  const readers = fields.map((f, k) => ({ name: f.name, read: readerOf(data.children[k] as arrow.Data, `${column}.${f.name}`) }))
  return i => {
    const out: Record<string, Value> = {}
    for (const { name, read } of readers) setField(out, name, read(i))
    return out
  }
}

function dictionaryReader(data: arrow.Data, column: string): Reader {
  const dictionary = data.dictionary?.data[0]
  if (dictionary === undefined) throw lossy(column, 'a dictionary column with its dictionary', 'none')
  const indices = data.values as ArrayLike<number | bigint>
  const read = readerOf(dictionary, column)
  return i => read(Number(indices[i]))
}

/** Utf8View / BinaryView (polars' strings): read through apache-arrow's own view decoding. */
function viewReader(data: arrow.Data): Reader {
  const vector = arrow.makeVector(data) as arrow.Vector
  return i => {
    const v = vector.get(i) as string | Uint8Array
    return typeof v === 'string' ? v : v.slice()
  }
}

function innerReader(data: arrow.Data, column: string): Reader {
  const type = data.type
  if (arrow.DataType.isDictionary(type)) return dictionaryReader(data, column)
  if (type.typeId === arrow.Type.Utf8View || type.typeId === arrow.Type.BinaryView) return viewReader(data)
  if (arrow.DataType.isNull(type)) return () => null
  if (arrow.DataType.isInt(type)) return intReader(data, column)
  if (arrow.DataType.isFloat(type)) {
    if (type.precision === arrow.Precision.HALF) return i => arrow.util.uint16ToFloat64(data.values[i] as number)
    return i => data.values[i] as number
  }
  if (arrow.DataType.isBool(type)) return i => ((data.values[(data.offset + i) >> 3] as number) & (1 << ((data.offset + i) & 7))) !== 0
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return bytesReader(data, true)
  if (arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type) || arrow.DataType.isFixedSizeBinary(type)) return bytesReader(data, false)
  if (arrow.DataType.isDate(type)) return dateReader(data, column)
  if (arrow.DataType.isTimestamp(type)) return timestampReader(data, Boolean(type.timezone), column)
  if (arrow.DataType.isDecimal(type)) return decimalReader(data, type.scale)
  if (arrow.DataType.isStruct(type)) return structReader(data, column)
  if (arrow.DataType.isMap(type)) return mapReader(data, column)
  if (arrow.DataType.isList(type) || arrow.DataType.isFixedSizeList(type) || type.typeId === arrow.Type.LargeList) return listReader(data, column)
  arrowToDeltaType(type, column) // throws the refusal naming the column
  throw lossy(column, 'a supported Arrow type', String(type))
}

/** The reader of one Arrow `Data` (nulls included). */
export function readerOf(data: arrow.Data, column: string): Reader {
  const inner = innerReader(data, column)
  return i => (isValid(data, i) ? inner(i) : null)
}

/**
 * The rows of an Arrow batch as lake `Row`s keyed by the Arrow field names, values exact.
 * @throws ParquetError naming the column for a type or value Delta cannot hold.
 */
export function arrowBatchToRows(batch: arrow.RecordBatch): Row[] {
  const fields = batch.schema.fields
  const readers = fields.map((f, k) => ({ name: f.name, read: readerOf(batch.data.children[k] as arrow.Data, f.name) }))
  const rows: Row[] = new Array<Row>(batch.numRows)
  for (let i = 0; i < batch.numRows; i++) {
    const row: Record<string, Value> = {}
    for (const { name, read } of readers) setField(row, name, read(i))
    rows[i] = row
  }
  return rows
}
