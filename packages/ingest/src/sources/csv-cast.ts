// Typed CSV cells: casts text to a Delta column type, and infers a column type from a sample.
// Empty cells are null. Pure.

import type { DataType, StructField, StructType } from '@lake/parquet'

const INTEGER = /^[+-]?\d+$/
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(Infinity|NaN)$/
const BOOLEAN = /^(true|false)$/i
const DATE = /^\d{4}-\d{2}-\d{2}$/
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/

/** A cast cell, or why it does not fit. */
export type CastOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string }

/**
 * Casts one cell. long → bigint; integer/short/byte → number; float/double → number; boolean →
 * `true`/`false` (any case); string, decimal, date and timestamps stay text (the row coercer
 * checks their form); other types (binary, nested) stay text and are rejected by the coercer.
 */
export function castCell(text: string, type: DataType, column: string): CastOutcome {
  if (text === '') return { ok: true, value: null }
  if (type.kind !== 'primitive') return { ok: true, value: text }
  switch (type.name) {
    case 'long':
      return INTEGER.test(text) ? { ok: true, value: BigInt(text) } : fail(column, type.name, text)
    case 'integer':
    case 'short':
    case 'byte':
      return INTEGER.test(text) ? { ok: true, value: Number(text) } : fail(column, type.name, text)
    case 'float':
    case 'double':
      return NUMBER.test(text) ? finite(text, column, type.name) : fail(column, type.name, text)
    case 'boolean':
      return BOOLEAN.test(text) ? { ok: true, value: text.toLowerCase() === 'true' } : fail(column, type.name, text)
    default:
      return { ok: true, value: text }
  }
}

/**
 * The type of a column from sample cells (empty cells ignored), first that fits every cell:
 * long (integers within int64), double (decimal numbers, exponents, `Infinity`, `NaN`; an integer
 * beyond int64 makes the column string, as a double would round it), boolean
 * (`true`/`false`, any case), date (`YYYY-MM-DD`), timestamp (ISO-8601 with a zone), else string
 * (also for a column with no non-empty cell). The one CSV typer of every route.
 */
export function inferCsvType(cells: readonly string[]): DataType {
  const values = cells.filter((c) => c !== '')
  const all = (re: RegExp): boolean => values.length > 0 && values.every((v) => re.test(v))
  const bigInteger = values.some((v) => INTEGER.test(v) && !inInt64(v)) // a double would round it
  const name = all(INTEGER) && !bigInteger ? 'long' : all(NUMBER) && !bigInteger ? 'double' : all(BOOLEAN) ? 'boolean' : all(DATE) ? 'date' : all(TIMESTAMP) ? 'timestamp' : 'string'
  return { kind: 'primitive', name } as DataType
}

/** A nullable schema of `columns`, each typed from its sample cells. */
export function inferCsvSchema(columns: readonly string[], rows: readonly (readonly string[])[]): StructType {
  const fields: StructField[] = columns.map((name, i) => ({
    name,
    type: inferCsvType(rows.map((r) => r[i] ?? '')),
    nullable: true,
    metadata: {},
  }))
  return { kind: 'struct', fields }
}

/** A number cell; one beyond the double range (`1e999`) is refused (`Infinity` and `NaN` are spelled out). */
function finite(text: string, column: string, type: string): CastOutcome {
  const value = Number(text)
  if (Number.isFinite(value) || /[IN]/.test(text)) return { ok: true, value }
  return { ok: false, message: `column '${column}' expects ${type}, found ${JSON.stringify(text)}: beyond the double range` }
}

function inInt64(text: string): boolean {
  const n = BigInt(text)
  return n >= INT64_MIN && n <= INT64_MAX
}

function fail(column: string, type: string, text: string): CastOutcome {
  return { ok: false, message: `column '${column}' expects ${type}, found ${JSON.stringify(text)}` }
}
