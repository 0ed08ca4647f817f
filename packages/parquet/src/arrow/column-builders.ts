// Column builders: coerced values (a row coercer's output: bigint longs, canonical date and timestamp
// strings) appended straight into Arrow buffers (typed arrays, UTF-8 bytes with offsets, validity
// bitmaps), one builder per column of a `BatchBuilder` (batch-builder.ts). Flat primitive columns
// only: `builderFor` says undefined for other types.

import * as arrow from 'apache-arrow'
import { parseDate, parseTimestamp } from '../temporal.js'
import type { DataType } from '../types.js'
import { deltaToArrowType } from './arrow-schema.js'
import { grow, Validity } from './builder-buffers.js'
import type { NumericArray } from './builder-buffers.js'
import { LITTLE_ENDIAN } from '../int64-words.js'

type NumericCtor = new (length: number) => NumericArray

/** Appends one coerced value (or null) per row and builds the column's Arrow data. */
export interface ColumnBuilder {
  append(value: unknown): void
  finish(length: number): arrow.Data
  /** Empties the column for a new batch, keeping its memory when `keep` (else the finished data keeps it). */
  reset(keep: boolean): void
}

const TWO_32 = 4294967296

export class NumericBuilder implements ColumnBuilder {
  #values: NumericArray
  /** The int32 words of a 64-bit integer column's values (little-endian platforms), to store numbers without a bigint. */
  #words: Int32Array | undefined
  #rows = 0
  readonly #validity = new Validity()
  /** The value stored in a null slot (so a reused buffer holds nothing of an earlier batch there). */
  readonly #zero: number | bigint

  constructor(
    readonly type: arrow.DataType,
    ctor: NumericCtor,
    readonly convert: (value: unknown) => number | bigint,
    capacity: number,
  ) {
    this.#values = new ctor(capacity)
    this.#words = this.#wordsOf(this.#values)
    this.#zero = this.#values instanceof BigInt64Array ? 0n : 0
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
    this.#values[row] = valid ? this.convert(value) : this.#zero
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

  /**
   * Appends `values[0, count)`, the column's stored numbers (not checked, as `appendNumber`), NULL where
   * `nulls[i]` is 1 (its `values[i]` must then be 0). One loop for a whole column: no call per value.
   */
  appendNumbers(values: Float64Array, nulls: Uint8Array | undefined, count: number): void {
    const start = this.#rows
    if (start + count > this.#values.length) {
      this.#values = grow(this.#values, Math.max(start + count, this.#values.length * 2))
      this.#words = this.#wordsOf(this.#values)
    }
    this.#rows = start + count
    const words = this.#words
    const target = this.#values
    if (words !== undefined) {
      for (let i = 0; i < count; i++) {
        const x = values[i] as number
        const high = Math.floor(x / TWO_32)
        words[2 * (start + i)] = x - high * TWO_32
        words[2 * (start + i) + 1] = high
      }
    } else if (target instanceof BigInt64Array) for (let i = 0; i < count; i++) target[start + i] = BigInt(values[i] as number)
    else target.set(values.subarray(0, count), start)
    if (nulls !== undefined) for (let i = 0; i < count; i++) if (nulls[i] === 1) this.#validity.mark(start + i, false, target.length)
  }

  finish(length: number): arrow.Data {
    const nullBitmap = this.#validity.finish(length)
    const data = this.#values.subarray(0, length)
    return arrow.makeData({ type: this.type, length, nullCount: this.#validity.nulls, data, ...(nullBitmap === undefined ? {} : { nullBitmap }) } as never)
  }

  reset(keep: boolean): void {
    this.#rows = 0
    this.#validity.reset(keep)
    if (keep) return
    this.#values = new (this.#values.constructor as NumericCtor)(this.#values.length)
    this.#words = this.#wordsOf(this.#values)
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

  reset(keep: boolean): void {
    if (keep) this.#bits.fill(0, 0, Math.ceil(this.#rows / 8))
    else this.#bits = new Uint8Array(this.#bits.length)
    this.#rows = 0
    this.#validity.reset(keep)
  }
}

const encoder = new TextEncoder()

/** Strings up to this many bytes (or ASCII chars) are copied one by one (cheaper than a subarray and a set, or the encoder). */
const SHORT_COPY = 48

export class Utf8Builder implements ColumnBuilder {
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
      const length = value.length
      if (this.#used + length * 3 > this.#bytes.length) this.#bytes = grow(this.#bytes, Math.max(this.#bytes.length * 2, this.#used + length * 3))
      // A short ASCII string is copied char by char (much cheaper than a call into the encoder); any other goes through it.
      const bytes = this.#bytes
      const at = this.#used
      let j = 0
      if (length <= SHORT_COPY) {
        for (; j < length; j++) {
          const c = value.charCodeAt(j)
          if (c > 0x7f) break
          bytes[at + j] = c
        }
      }
      this.#used = j === length ? at + length : at + encoder.encodeInto(value, bytes.subarray(at)).written
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

  reset(keep: boolean): void {
    this.#rows = 0
    this.#used = 0
    this.#validity.reset(keep)
    if (keep) return
    this.#offsets = new Int32Array(this.#offsets.length)
    this.#bytes = new Uint8Array(this.#bytes.length)
  }
}

const toNumber = (value: unknown): number => value as number
const toBigInt = (value: unknown): bigint => value as bigint
const toDays = (value: unknown): number => parseDate(value as string) ?? 0
const toMicros = (utc: boolean) => (value: unknown): bigint => parseTimestamp(value as string, utc) ?? 0n

export function builderFor(type: DataType, capacity: number): ColumnBuilder | undefined {
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
