// Column builders: coerced values (a row coercer's output: bigint longs, canonical date and timestamp
// strings) appended straight into Arrow buffers (typed arrays, UTF-8 bytes with offsets, validity
// bitmaps), then one RecordBatch in the canonical Arrow types of the Delta schema, for
// `encodeArrowBatch`. Flat primitive columns only: `batchBuilderFor` says undefined for other schemas.

import * as arrow from 'apache-arrow'
import { parseDate, parseTimestamp } from '../temporal.js'
import type { DataType, StructType } from '../types.js'
import { deltaToArrowType } from './arrow-schema.js'
import { ParquetError } from '../errors.js'

type NumericArray = BigInt64Array | Int32Array | Int16Array | Int8Array | Float64Array | Float32Array
type NumericCtor = new (length: number) => NumericArray

/** Appends one coerced value (or null) per row and builds the column's Arrow data. */
interface ColumnBuilder {
  append(value: unknown): void
  finish(length: number): arrow.Data
}

/** Validity bits, one per row, grown with the column; null when every row so far is valid. */
class Validity {
  #bits: Uint8Array | null = null
  #nulls = 0

  get nulls(): number {
    return this.#nulls
  }

  mark(row: number, valid: boolean, capacity: number): void {
    if (valid && this.#bits === null) return
    if (this.#bits === null) this.#bits = new Uint8Array(Math.ceil(capacity / 8)).fill(0xff)
    if (this.#bits.length * 8 < capacity) this.#bits = grow(this.#bits, Math.ceil(capacity / 8), 0xff)
    if (valid) return
    this.#nulls++
    this.#bits[row >> 3] = (this.#bits[row >> 3] as number) & ~(1 << (row & 7))
  }

  finish(length: number): Uint8Array | undefined {
    return this.#bits === null ? undefined : this.#bits.subarray(0, Math.ceil(length / 8))
  }
}

function grow<T extends Uint8Array | Int32Array | NumericArray>(array: T, length: number, fill = 0): T {
  const next = new (array.constructor as new (n: number) => T)(length)
  ;(next as Uint8Array).set(array as Uint8Array)
  if (fill !== 0) (next as Uint8Array).fill(fill, array.length)
  return next
}

/** The platform stores integers little-endian (every Node target does): int64 words can be written as two int32s. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
const TWO_32 = 4294967296

class NumericBuilder implements ColumnBuilder {
  #values: NumericArray
  /** The int32 words of a 64-bit integer column's values (little-endian platforms), to store numbers without a bigint. */
  #words: Int32Array | undefined
  #rows = 0
  readonly #validity = new Validity()

  constructor(
    readonly type: arrow.DataType,
    ctor: NumericCtor,
    readonly convert: (value: unknown) => number | bigint,
    capacity: number,
  ) {
    this.#values = new ctor(capacity)
    this.#words = this.#wordsOf(this.#values)
  }

  #wordsOf(values: NumericArray): Int32Array | undefined {
    return values instanceof BigInt64Array && LITTLE_ENDIAN ? new Int32Array(values.buffer, values.byteOffset, values.length * 2) : undefined
  }

  #next(valid: boolean): number {
    const row = this.#rows++
    if (row >= this.#values.length) {
      this.#values = grow(this.#values, this.#values.length * 2)
      this.#words = this.#wordsOf(this.#values)
    }
    this.#validity.mark(row, valid, this.#values.length)
    return row
  }

  append(value: unknown): void {
    const valid = value !== null && value !== undefined
    const row = this.#next(valid)
    if (valid) this.#values[row] = this.convert(value)
  }

  /** Appends `x`, the column's stored number (a safe integer for a 64-bit column): no conversion, no bigint. */
  appendNumber(x: number): void {
    const row = this.#next(true)
    const words = this.#words
    if (words === undefined) {
      if (this.#values instanceof BigInt64Array) this.#values[row] = BigInt(x)
      else this.#values[row] = x
      return
    }
    const high = Math.floor(x / TWO_32)
    words[2 * row] = x - high * TWO_32
    words[2 * row + 1] = high
  }

  finish(length: number): arrow.Data {
    const nullBitmap = this.#validity.finish(length)
    const data = this.#values.subarray(0, length)
    return arrow.makeData({ type: this.type, length, nullCount: this.#validity.nulls, data, ...(nullBitmap === undefined ? {} : { nullBitmap }) } as never)
  }
}

class BooleanBuilder implements ColumnBuilder {
  #bits: Uint8Array
  #rows = 0
  readonly #validity = new Validity()

  constructor(capacity: number) {
    this.#bits = new Uint8Array(Math.ceil(capacity / 8))
  }

  append(value: unknown): void {
    const row = this.#rows++
    if (row >= this.#bits.length * 8) this.#bits = grow(this.#bits, this.#bits.length * 2)
    this.#validity.mark(row, value !== null && value !== undefined, this.#bits.length * 8)
    if (value === true) this.#bits[row >> 3] = (this.#bits[row >> 3] as number) | (1 << (row & 7))
  }

  finish(length: number): arrow.Data {
    const nullBitmap = this.#validity.finish(length)
    const data = this.#bits.subarray(0, Math.ceil(length / 8))
    return arrow.makeData({ type: new arrow.Bool(), length, nullCount: this.#validity.nulls, data, ...(nullBitmap === undefined ? {} : { nullBitmap }) })
  }
}

const encoder = new TextEncoder()

/** Strings up to this many bytes are copied byte by byte (cheaper than a subarray and a set). */
const SHORT_COPY = 48

class Utf8Builder implements ColumnBuilder {
  #bytes: Uint8Array
  #offsets: Int32Array
  #used = 0
  #rows = 0
  readonly #validity = new Validity()

  constructor(capacity: number) {
    this.#offsets = new Int32Array(capacity + 1)
    this.#bytes = new Uint8Array(Math.max(16 * 1024, capacity * 8))
  }

  append(value: unknown): void {
    const row = this.#rows++
    if (row + 1 >= this.#offsets.length) this.#offsets = grow(this.#offsets, this.#offsets.length * 2)
    this.#validity.mark(row, value !== null && value !== undefined, this.#offsets.length)
    if (typeof value === 'string') {
      if (this.#used + value.length * 3 > this.#bytes.length) this.#bytes = grow(this.#bytes, Math.max(this.#bytes.length * 2, this.#used + value.length * 3))
      this.#used += encoder.encodeInto(value, this.#bytes.subarray(this.#used)).written
    }
    this.#offsets[row + 1] = this.#used
  }

  /** Appends `bytes[start, end)` as one value (UTF-8 already; not checked). */
  appendBytes(bytes: Uint8Array, start: number, end: number): void {
    const row = this.#rows++
    if (row + 1 >= this.#offsets.length) this.#offsets = grow(this.#offsets, this.#offsets.length * 2)
    this.#validity.mark(row, true, this.#offsets.length)
    const length = end - start
    if (this.#used + length > this.#bytes.length) this.#bytes = grow(this.#bytes, Math.max(this.#bytes.length * 2, this.#used + length))
    const target = this.#bytes
    const at = this.#used
    if (length > SHORT_COPY) target.set(bytes.subarray(start, end), at)
    else for (let j = 0; j < length; j++) target[at + j] = bytes[start + j] as number
    this.#used = at + length
    this.#offsets[row + 1] = this.#used
  }

  finish(length: number): arrow.Data {
    const nullBitmap = this.#validity.finish(length)
    const valueOffsets = this.#offsets.subarray(0, length + 1)
    const data = this.#bytes.subarray(0, this.#used)
    return arrow.makeData({ type: new arrow.Utf8(), length, nullCount: this.#validity.nulls, data, valueOffsets, ...(nullBitmap === undefined ? {} : { nullBitmap }) })
  }
}

const toNumber = (value: unknown): number => value as number
const toBigInt = (value: unknown): bigint => value as bigint
const toDays = (value: unknown): number => parseDate(value as string) ?? 0
const toMicros = (utc: boolean) => (value: unknown): bigint => parseTimestamp(value as string, utc) ?? 0n

function builderFor(type: DataType, capacity: number): ColumnBuilder | undefined {
  if (type.kind !== 'primitive') return undefined
  const arrowType = deltaToArrowType(type)
  switch (type.name) {
    case 'long': return new NumericBuilder(arrowType, BigInt64Array, toBigInt, capacity)
    case 'integer': return new NumericBuilder(arrowType, Int32Array, toNumber, capacity)
    case 'short': return new NumericBuilder(arrowType, Int16Array, toNumber, capacity)
    case 'byte': return new NumericBuilder(arrowType, Int8Array, toNumber, capacity)
    case 'double': return new NumericBuilder(arrowType, Float64Array, toNumber, capacity)
    case 'float': return new NumericBuilder(arrowType, Float32Array, toNumber, capacity)
    case 'date': return new NumericBuilder(arrowType, Int32Array, toDays, capacity)
    case 'timestamp': return new NumericBuilder(arrowType, BigInt64Array, toMicros(true), capacity)
    case 'timestamp_ntz': return new NumericBuilder(arrowType, BigInt64Array, toMicros(false), capacity)
    case 'boolean': return new BooleanBuilder(capacity)
    case 'string': return new Utf8Builder(capacity)
    default: return undefined
  }
}

/** Builds one RecordBatch of a flat schema from coerced rows, column by column. */
export class BatchBuilder {
  readonly #names: readonly string[]
  readonly #builders: readonly ColumnBuilder[]
  #rows = 0

  constructor(readonly schema: StructType, builders: readonly ColumnBuilder[]) {
    this.#names = schema.fields.map((f) => f.name)
    this.#builders = builders
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.#rows
  }

  /** Appends one coerced row (a missing column is null). */
  append(row: Readonly<Record<string, unknown>>): void {
    for (let k = 0; k < this.#builders.length; k++) (this.#builders[k] as ColumnBuilder).append(row[this.#names[k] as string])
    this.#rows++
  }

  /**
   * Appends column `k`'s coerced value (or null) to the row being built column by column: every
   * column gets one value (`appendValue` or `appendUtf8`), then `endRow()`.
   */
  appendValue(k: number, value: unknown): void {
    ;(this.#builders[k] as ColumnBuilder).append(value)
  }

  /**
   * Appends UTF-8 bytes `bytes[start, end)` (not checked) as the value of string column `k`.
   * @throws ParquetError when column `k` is not a string column.
   */
  appendUtf8(k: number, bytes: Uint8Array, start: number, end: number): void {
    const builder = this.#builders[k]
    if (!(builder instanceof Utf8Builder)) throw new ParquetError(`column ${k} ('${this.#names[k] ?? ''}'): expected a string column for UTF-8 bytes, found another type`, { context: { column: this.#names[k] } })
    builder.appendBytes(bytes, start, end)
  }

  /**
   * Appends `x` as the value of numeric column `k`: its stored number, not checked (a safe integer
   * for long and timestamp columns, days for a date, in range for the smaller integers). Cheaper than
   * `appendValue` for a long: no bigint is made.
   * @throws ParquetError when column `k` is not numeric.
   */
  appendNumber(k: number, x: number): void {
    const builder = this.#builders[k]
    if (!(builder instanceof NumericBuilder)) throw new ParquetError(`column ${k} ('${this.#names[k] ?? ''}'): expected a numeric column for a number, found another type`, { context: { column: this.#names[k] } })
    builder.appendNumber(x)
  }

  /** Completes the row built with `appendValue` / `appendUtf8`. */
  endRow(): void {
    this.#rows++
  }

  /** The batch of every appended row, in the canonical Arrow types of the schema. */
  finish(): arrow.RecordBatch {
    const fields = this.schema.fields.map((f) => new arrow.Field(f.name, deltaToArrowType(f.type), f.nullable))
    const children = this.#builders.map((b) => b.finish(this.#rows))
    const struct = arrow.makeData({ type: new arrow.Struct(fields), length: this.#rows, nullCount: 0, children })
    return new arrow.RecordBatch(new arrow.Schema(fields), struct)
  }
}

/** Rows the buffers hold before they first grow, unless the caller expects more. */
const DEFAULT_CAPACITY = 1024
/** Beyond this many rows the buffers grow as they fill (a wrong guess never allocates more than about 1 MB per column). */
const MAX_CAPACITY = 1 << 17

/**
 * A builder for `schema` when every column is a flat primitive the builders cover (numbers,
 * booleans, strings, dates, timestamps); undefined otherwise (decimals, binary, nested types).
 * `expectedRows` sizes the buffers up front (they still grow past it).
 */
export function batchBuilderFor(schema: StructType, expectedRows = DEFAULT_CAPACITY): BatchBuilder | undefined {
  const capacity = Math.min(MAX_CAPACITY, Math.max(8, Math.ceil(expectedRows) || 0))
  const builders: ColumnBuilder[] = []
  for (const field of schema.fields) {
    const builder = builderFor(field.type, capacity)
    if (builder === undefined) return undefined
    builders.push(builder)
  }
  return new BatchBuilder(schema, builders)
}
