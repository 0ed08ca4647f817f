// A MERGE source of row objects of one shape (source-shape.ts: plain objects, the same own keys in the
// same order) transposed into the table's column builders column by column: one loop per column reads
// every row's value by the column's name and stores it (numeric columns: the leading run of numbers and
// NULLs in one call, `appendNumbers`). Values of the form ETL code passes (a safe
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

/** Scratch for one column's numbers and nulls, reused column after column (fresh memory is slow to touch). */
let numbers = new Float64Array(0)
let nulls = new Uint8Array(0)

/**
 * Reads the column's leading run of values `number` maps to a stored number (undefined: it does not) or
 * that are NULL, appends the run in one call and returns its length: the caller takes the rest value by value.
 */
function leadingNumbers({ builder, slot, rows, name }: Column, number: (v: unknown) => number | undefined): number {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: fresh scratch (always, or also when just large enough) holds the same numbers
  if (numbers.length < rows.length) [numbers, nulls] = [new Float64Array(rows.length), new Uint8Array(rows.length)]
  let anyNull = false
  let i = 0
  for (; i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    if (v === null || v === undefined) {
      numbers[i] = 0
      nulls[i] = 1
      anyNull = true
      continue
    }
    const x = number(v)
    if (x === undefined) break
    numbers[i] = x
    nulls[i] = 0
  }
  builder.appendNumbers(slot, numbers, anyNull ? nulls : undefined, i)
  return i
}

const safeInteger = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined)

function fillLong(column: Column): void {
  const { builder, slot, rows, name, coerce } = column
  for (let i = leadingNumbers(column, safeInteger); i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    if (typeof v === 'number' && Number.isSafeInteger(v)) builder.appendNumber(slot, v)
    else builder.appendValue(slot, coerce(v, i))
  }
}

function fillSmallInt(column: Column, [min, max]: readonly [number, number]): void {
  const { builder, slot, rows, name, coerce } = column
  // Stryker disable next-line EqualityOperator: a bound itself through the coercer is stored alike (only slower)
  const inRange = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined)
  for (let i = leadingNumbers(column, inRange); i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    // Stryker disable next-line EqualityOperator: a bound itself through the coercer is stored alike (only slower)
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) builder.appendNumber(slot, v)
    else builder.appendValue(slot, coerce(v, i))
  }
}

function fillDouble(column: Column): void {
  const { builder, slot, rows, name, coerce } = column
  // Stryker disable next-line UpdateOperator: the double coercer takes numbers only, which the leading run took: the first value after it is refused, so the loop never steps
  for (let i = leadingNumbers(column, (v) => (typeof v === 'number' ? v : undefined)); i < rows.length; i++) {
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

/** Distinct date texts `fillDate` remembers per column: a large source repeats its dates (100,000 distinct days span 270 years). */
const DATE_CACHE = 4096

function fillDate(column: Column): void {
  const { builder, slot, rows, name, coerce } = column
  const known = new Map<string, number>()
  const day = (v: unknown): number | undefined => {
    if (typeof v !== 'string') return undefined
    let days = known.get(v)
    // Stryker disable next-line ConditionalExpression: parsing a text seen before again gives the same day (only slower)
    if (days === undefined) {
      days = dateDays(v)
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a cache without its bound holds the same days (only more of them)
      if (known.size < DATE_CACHE) known.set(v, days)
    }
    return Number.isFinite(days) ? days : undefined
  }
  for (let i = leadingNumbers(column, day); i < rows.length; i++) {
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
