// A MERGE source of row objects of one shape (source-shape.ts: plain objects, the same own keys in the
// same order) transposed into the table's column builders column by column: one loop per column reads
// every row's value by the column's name and stores it. Values of the form ETL code passes (a safe
// integer for a long, a number for a double, a string, a boolean, `YYYY-MM-DD` for a date) go straight
// into the column; any other value goes through the column's compiled coercer, as the row-by-row
// transposer does, so the columns hold the same values either way. A string key holding a lone UTF-16 surrogate throws (the
// caller hands such a source to the row route, columnar-source.ts).

import type { BatchBuilder, DataType, StructType } from '@lake/parquet'
import { coerceNullable, compileCoercer } from '../../rows/compile-coercer.js'
import type { Coercer } from '../../rows/compile-coercer.js'
import { dateDays } from '../../rows/coerce-temporal.js'
import { formatType } from '../../schema/format-type.js'

type Row = Readonly<Record<string, unknown>>

/** A lone UTF-16 surrogate (a paired one is one code point, not `Cs`, under the `u` flag). */
export const LONE_SURROGATE = /\p{Cs}/u

// Stryker disable all: a narrower range (or none) sends more values through the coercer, which stores the same numbers (only slower)
const SMALL_INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
}
// Stryker restore all

/** One column: its values taken from `rows[i][name]`, appended to builder column `slot`. */
interface Column {
  readonly builder: BatchBuilder
  readonly slot: number
  readonly rows: readonly unknown[]
  readonly name: string
  readonly coerce: Coercer
}

function fillCoerced({ builder, slot, rows, name, coerce }: Column): void {
  for (let i = 0; i < rows.length; i++) builder.appendValue(slot, coerce((rows[i] as Row)[name], i))
}

function fillLong({ builder, slot, rows, name, coerce }: Column): void {
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    if (typeof v === 'number' && Number.isSafeInteger(v)) builder.appendNumber(slot, v)
    else builder.appendValue(slot, coerce(v, i))
  }
}

function fillSmallInt({ builder, slot, rows, name, coerce }: Column, [min, max]: readonly [number, number]): void {
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    // Stryker disable next-line EqualityOperator: a bound itself through the coercer is stored alike (only slower)
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) builder.appendNumber(slot, v)
    else builder.appendValue(slot, coerce(v, i))
  }
}

function fillDouble({ builder, slot, rows, name, coerce }: Column): void {
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    if (typeof v === 'number') builder.appendNumber(slot, v)
    else builder.appendValue(slot, coerce(v, i))
  }
}

// Stryker disable next-line StringLiteral: the caller catches the error and hands the source to the row route; its message is never shown
const SURROGATE_IN_KEY = 'a lone surrogate in a key'

function fillString({ builder, slot, rows, name, coerce }: Column, key: boolean): void {
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    if (typeof v !== 'string') builder.appendValue(slot, coerce(v, i))
    else {
      if (key && LONE_SURROGATE.test(v)) throw new TypeError(SURROGATE_IN_KEY)
      builder.appendValue(slot, v)
    }
  }
}

function fillDate({ builder, slot, rows, name, coerce }: Column): void {
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    const days = typeof v === 'string' ? dateDays(v) : Number.NaN
    // Stryker disable next-line ConditionalExpression: the coercer stores the same day (only slower)
    if (Number.isFinite(days)) builder.appendNumber(slot, days)
    else builder.appendValue(slot, coerce(v, i))
  }
}

function fillBoolean({ builder, slot, rows, name, coerce }: Column): void {
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    // Stryker disable next-line ConditionalExpression: the coercer returns a boolean as it is (only slower)
    builder.appendValue(slot, typeof v === 'boolean' ? v : coerce(v, i))
  }
}

type Fill = (column: Column, key: boolean) => void

// Stryker disable all: without its entry a column goes through fillCoerced, which stores the same values (only slower);
// a fill given to the wrong type is caught by test/dml/merge-source-shape.test.ts, which compares the columns with the
// row-by-row transposer's on random rows.
const FILLS: ReadonlyMap<string, Fill> = new Map<string, Fill>([
  ['long', fillLong],
  ...Object.entries(SMALL_INT_RANGES).map(([name, range]): [string, Fill] => [name, (column) => fillSmallInt(column, range)]),
  ['double', fillDouble],
  ['string', fillString],
  ['boolean', fillBoolean],
  ['date', fillDate],
])
// Stryker restore all

function fill(column: Column, type: DataType, key: boolean): void {
  const fast = type.kind === 'primitive' ? FILLS.get(type.name) : undefined
  ;(fast ?? fillCoerced)(column, key)
}

/**
 * Appends `rows` (every one a plain object with exactly the source's field names as own keys) to
 * `builder`, column by column: source field k fills table column `slots[k]`.
 * @throws SchemaError for a value its column's coercer refuses; TypeError for a lone surrogate in a
 *   string key (table columns `keySlots`).
 */
export function transposeByColumn(builder: BatchBuilder, rows: readonly unknown[], source: StructType, slots: readonly number[], keySlots: readonly number[]): void {
  source.fields.forEach((field, k) => {
    const slot = slots[k] as number
    const coerce = coerceNullable(compileCoercer(field.type, field.name), true, formatType(field.type), field.name)
    fill({ builder, slot, rows, name: field.name, coerce }, field.type, keySlots.includes(slot))
  })
  for (let i = 0; i < rows.length; i++) builder.endRow()
}
