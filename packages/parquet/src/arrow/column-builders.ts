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

class NumericBuilder implements ColumnBuilder {
  #values: NumericArray
  #rows = 0
  readonly #validity = new Validity()

  constructor(
    readonly type: arrow.DataType,
    ctor: NumericCtor,
    readonly convert: (value: unknown) => number | bigint,
  ) {
    this.#values = new ctor(1024)
  }

  append(value: unknown): void {
    const row = this.#rows++
    if (row >= this.#values.length) this.#values = grow(this.#values, this.#values.length * 2)
    this.#validity.mark(row, value !== null && value !== undefined, this.#values.length)
    if (value !== null && value !== undefined) this.#values[row] = this.convert(value)
  }

  finish(length: number): arrow.Data {
    const nullBitmap = this.#validity.finish(length)
    const data = this.#values.subarray(0, length)
    return arrow.makeData({ type: this.type, length, nullCount: this.#validity.nulls, data, ...(nullBitmap === undefined ? {} : { nullBitmap }) } as never)
  }
}

class BooleanBuilder implements ColumnBuilder {
  #bits = new Uint8Array(128)
  #rows = 0
  readonly #validity = new Validity()

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

class Utf8Builder implements ColumnBuilder {
  #bytes = new Uint8Array(16 * 1024)
  #offsets = new Int32Array(1024)
  #used = 0
  #rows = 0
  readonly #validity = new Validity()

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
    this.#bytes.set(bytes.subarray(start, end), this.#used)
    this.#used += length
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

function builderFor(type: DataType): ColumnBuilder | undefined {
  if (type.kind !== 'primitive') return undefined
  const arrowType = deltaToArrowType(type)
  switch (type.name) {
    case 'long': return new NumericBuilder(arrowType, BigInt64Array, toBigInt)
    case 'integer': return new NumericBuilder(arrowType, Int32Array, toNumber)
    case 'short': return new NumericBuilder(arrowType, Int16Array, toNumber)
    case 'byte': return new NumericBuilder(arrowType, Int8Array, toNumber)
    case 'double': return new NumericBuilder(arrowType, Float64Array, toNumber)
    case 'float': return new NumericBuilder(arrowType, Float32Array, toNumber)
    case 'date': return new NumericBuilder(arrowType, Int32Array, toDays)
    case 'timestamp': return new NumericBuilder(arrowType, BigInt64Array, toMicros(true))
    case 'timestamp_ntz': return new NumericBuilder(arrowType, BigInt64Array, toMicros(false))
    case 'boolean': return new BooleanBuilder()
    case 'string': return new Utf8Builder()
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

/**
 * A builder for `schema` when every column is a flat primitive the builders cover (numbers,
 * booleans, strings, dates, timestamps); undefined otherwise (decimals, binary, nested types).
 */
export function batchBuilderFor(schema: StructType): BatchBuilder | undefined {
  const builders: ColumnBuilder[] = []
  for (const field of schema.fields) {
    const builder = builderFor(field.type)
    if (builder === undefined) return undefined
    builders.push(builder)
  }
  return new BatchBuilder(schema, builders)
}
