// A MERGE source of row objects of one shape (source-shape.ts: plain objects, the same own keys in the
// same order) transposed into the table's column builders column by column: one loop per column reads
// every row's value by the column's name and stores it. Values of the form ETL code passes (a safe
// integer for a long, a number for a double, a string, a boolean) go straight into the column; any
// other value goes through the column's compiled coercer, as the row-by-row transposer does, so the
// columns hold the same values either way. A string key holding a lone UTF-16 surrogate throws (the
// caller hands such a source to the row route, columnar-source.ts).

import type { BatchBuilder, DataType, StructType } from '@lake/parquet'
import { coerceNullable, compileCoercer } from '../../rows/compile-coercer.js'
import type { Coercer } from '../../rows/compile-coercer.js'
import { dateDays } from '../../rows/coerce-temporal.js'
import { formatType } from '../../schema/format-type.js'

type Row = Readonly<Record<string, unknown>>

/** A lone UTF-16 surrogate (a paired one is one code point, not `Cs`, under the `u` flag). */
export const LONE_SURROGATE = /\p{Cs}/u

const SMALL_INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
}

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

function fillString({ builder, slot, rows, name, coerce }: Column, key: boolean): void {
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    if (typeof v !== 'string') builder.appendValue(slot, coerce(v, i))
    else if (key && LONE_SURROGATE.test(v)) throw new TypeError('a lone surrogate in a key')
    else builder.appendValue(slot, v)
  }
}

function fillDate({ builder, slot, rows, name, coerce }: Column): void {
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    const days = typeof v === 'string' ? dateDays(v) : Number.NaN
    if (Number.isFinite(days)) builder.appendNumber(slot, days)
    else builder.appendValue(slot, coerce(v, i))
  }
}

function fillBoolean({ builder, slot, rows, name, coerce }: Column): void {
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Row)[name]
    builder.appendValue(slot, typeof v === 'boolean' ? v : coerce(v, i))
  }
}

function fill(column: Column, type: DataType, key: boolean): void {
  const name = type.kind === 'primitive' ? type.name : undefined
  const range = name === undefined ? undefined : SMALL_INT_RANGES[name]
  if (name === 'long') fillLong(column)
  else if (range !== undefined) fillSmallInt(column, range)
  else if (name === 'double') fillDouble(column)
  else if (name === 'string') fillString(column, key)
  else if (name === 'boolean') fillBoolean(column)
  else if (name === 'date') fillDate(column)
  else fillCoerced(column)
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
