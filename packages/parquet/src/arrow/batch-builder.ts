// BatchBuilder: coerced rows (or values column by column) into the column builders of a flat Delta
// schema, then one RecordBatch in the canonical Arrow types of the schema, for `encodeArrowBatch`.
// `withBatch` lends the batch over the builders' own buffers and keeps them for the next rows, so a
// builder reused chunk after chunk touches no fresh memory. `batchBuilderFor` says undefined for a
// schema with a column the builders do not cover.

import * as arrow from 'apache-arrow'
import type { StructType } from '../types.js'
import { deltaToArrowType } from './arrow-schema.js'
import { ParquetError } from '../errors.js'
import { builderFor, NumericBuilder, Utf8Builder } from './column-builders.js'
import type { ColumnBuilder } from './column-builders.js'

/** Builds one RecordBatch of a flat schema from coerced rows, column by column. */
export class BatchBuilder {
  readonly #names: readonly string[]
  readonly #builders: readonly ColumnBuilder[]
  #rows = 0
  /** `finish()` gave out a batch over the current buffers: `reset()` must not reuse them. */
  #handedOut = false

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

  /**
   * Appends `values[0, count)` to numeric column `k`, one value per row of the rows being built column by
   * column, NULL where `nulls[i]` is 1 (`values[i]` then 0): `appendNumber` for a run of rows at once.
   * @throws ParquetError when column `k` is not numeric.
   */
  appendNumbers(k: number, values: Float64Array, nulls: Uint8Array | undefined, count: number): void {
    const builder = this.#builders[k]
    if (!(builder instanceof NumericBuilder)) throw new ParquetError(`column ${k} ('${this.#names[k] ?? ''}'): expected a numeric column for numbers, found another type`, { context: { column: this.#names[k] } })
    builder.appendNumbers(values, nulls, count)
  }

  /** Completes the row built with `appendValue` / `appendUtf8`. */
  endRow(): void {
    this.#rows++
  }

  /**
   * The batch of every appended row, in the canonical Arrow types of the schema. It owns the rows'
   * memory: a later `reset()` gives the builder new buffers.
   */
  finish(): arrow.RecordBatch {
    this.#handedOut = true
    return this.#build()
  }

  /**
   * Calls `use` with the batch of every appended row and returns its result, then empties the builder
   * keeping its buffers for the next rows (no fresh memory to touch). The batch is a view of those
   * buffers: it is valid only while `use` runs, so `use` must be synchronous and keep nothing of it.
   * @throws ParquetError when `use` returns a promise (the buffers are then left to it, not reused).
   */
  withBatch<T>(use: (batch: arrow.RecordBatch) => T): T {
    let result: T | undefined
    try {
      result = use(this.#build())
    } finally {
      const pending = typeof (result as { then?: unknown } | undefined)?.then === 'function'
      if (pending) this.#handedOut = true
      this.reset()
      if (pending) throw new ParquetError('withBatch: expected a synchronous use of the batch, found a promise returned')
    }
    return result as T
  }

  /**
   * Empties the builder for new rows. Its buffers are kept unless `finish()` handed them out since the
   * last reset (a finished batch stays valid; the builder takes new memory instead).
   */
  reset(): void {
    for (const builder of this.#builders) builder.reset(!this.#handedOut)
    this.#handedOut = false
    this.#rows = 0
  }

  #build(): arrow.RecordBatch {
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
