// Schema enforcement on write: validates every input row against the table schema and converts
// safe JS inputs into canonical `Value`s, before any file is written. Pure; no I/O, no clock.

import type { Row, StructType } from '@lake/parquet'
import { SchemaError } from '../errors.js'
import { compileCoercer, isPlainObject } from './compile-coercer.js'
import { formatType } from '../schema/format-type.js'
import { describeValue } from './describe-value.js'
import { compileGeneratedColumns, generationExpression } from './generated-columns.js'
import { schemaMismatch } from '../schema/schema-error.js'

/** Options of `coerceRows` / `createRowCoercer`. */
export interface CoerceOptions {
  /** Partition columns of the table: every row must hold a value (null only if the column is nullable). */
  readonly partitionColumns?: readonly string[]
}

/** Coerces one input row (its index is used in errors). */
export type RowCoercer = (input: unknown, index: number) => Row

/**
 * Validates rows against `schema` and returns them as canonical `Value` rows.
 *
 * Accepted inputs per column type (anything else is a `SchemaError`; nothing is rounded):
 *
 * | type | accepted JS input | canonical value |
 * |---|---|---|
 * | long | bigint in int64 range; number that is a safe integer; decimal-digit string (`"-42"`) | bigint |
 * | integer, short, byte | integral number or bigint within the type's range | number |
 * | float | number within ±3.4e38 (rounded to the nearest float32, as stored), NaN, ±Infinity | number |
 * | double | number (NaN, ±Infinity too) | number |
 * | decimal(p,s) | plain decimal string (no exponent), finite number (its shortest decimal form), bigint; at most s significant fractional digits and p-s integer digits | string, exactly s fractional digits (`"1.50"`) |
 * | string | string only (no `String(x)`) | string |
 * | boolean | boolean only | boolean |
 * | binary | Uint8Array (Buffer too) | Uint8Array |
 * | date | `'YYYY-MM-DD'`; `Date` at UTC midnight | `'YYYY-MM-DD'` |
 * | timestamp | `Date`; ISO-8601 string with `Z` or `±HH:MM` (≤ 6 fractional digits, `T` or space); bigint microseconds since epoch | `'YYYY-MM-DDTHH:MM:SS.ffffffZ'` (UTC) |
 * | timestamp_ntz | ISO-8601 string without zone; `Date` (its UTC fields); bigint microseconds | `'YYYY-MM-DDTHH:MM:SS.ffffff'` |
 * | struct | plain object, recursively; unknown fields are errors | plain object |
 * | array | array | array |
 * | map | `Map`, or a plain object (string keys) | `Map` |
 * | void | null only | null |
 *
 * Numbers may also be `JsonNumber`s (exact JSON number text): long and the small integers take
 * integral ones, float and double their nearest value (not beyond the double range: `1e999` is
 * refused), decimal their exact digits.
 *
 * Column names match exactly, or case-insensitively when there is no exact match (the table's
 * casing is kept); two keys for one column are an error. A missing or `undefined` nullable column
 * becomes null; null in a non-nullable field (nested too) is an error. Dates and timestamps are
 * limited to years 0001..9999. Generated columns (`delta.generationExpression`) are computed when
 * a row leaves them out and must equal the computed value when given (WriteError `ConstraintViolation`).
 *
 * @throws SchemaError `SchemaMismatch` with context `{ column, expected, found, row }`.
 */
export function coerceRows(rows: readonly unknown[], schema: StructType, options: CoerceOptions = {}): Row[] {
  const coerce = createRowCoercer(schema, options)
  return rows.map((row, index) => coerce(row, index))
}

/** Compiles `schema` once into a row coercer (for streams of rows); same rules as `coerceRows`. */
export function createRowCoercer(schema: StructType, options: CoerceOptions = {}): RowCoercer {
  const generated = compileGeneratedColumns(schema)
  const struct = compileCoercer(generated === undefined ? schema : withNullableGenerated(schema), '')
  const partitions = (options.partitionColumns ?? []).filter((name) => !isGenerated(schema, name)).map((name) => {
    const field = schema.fields.find((f) => f.name === name)
    if (field === undefined) {
      const names = schema.fields.map((f) => f.name).join(', ')
      throw new SchemaError('SchemaMismatch', `partition column '${name}' is not in the schema (columns: ${names})`, {
        context: { column: name },
      })
    }
    return { name, folded: name.toLowerCase(), expected: formatType(field.type) }
  })
  return (input, index) => {
    if (!isPlainObject(input)) {
      throw new SchemaError('SchemaMismatch', `row ${index} must be a plain object of columns, found ${describeValue(input)}`, {
        context: { row: index, expected: 'object', found: describeValue(input) },
      })
    }
    for (const p of partitions) {
      if (!hasKey(input, p.name, p.folded)) throw missingPartitionValue(p.name, p.expected, index)
    }
    const row = struct(input, index) as Row
    return generated === undefined ? row : checkNotNull(schema, generated(row, (name) => hasKey(input, name, name.toLowerCase()), index), index)
  }
}

function isGenerated(schema: StructType, name: string): boolean {
  const field = schema.fields.find((f) => f.name === name)
  return field !== undefined && generationExpression(field) !== undefined
}

/** The schema with generated columns nullable, so a row may leave them out (they are computed after). */
function withNullableGenerated(schema: StructType): StructType {
  return { ...schema, fields: schema.fields.map((f) => (generationExpression(f) === undefined ? f : { ...f, nullable: true })) }
}

function checkNotNull(schema: StructType, row: Row, index: number): Row {
  for (const field of schema.fields) {
    if (!field.nullable && generationExpression(field) !== undefined && (row[field.name] ?? null) === null) {
      throw schemaMismatch({ column: field.name, expected: `${formatType(field.type)} (not null)`, found: 'null', reason: `generated by ${generationExpression(field) ?? ''}`, row: index })
    }
  }
  return row
}

function hasKey(row: Readonly<Record<string, unknown>>, name: string, folded: string): boolean {
  if (Object.hasOwn(row, name) && row[name] !== undefined) return true
  for (const key in row) if (key.toLowerCase() === folded && Object.hasOwn(row, key) && row[key] !== undefined) return true
  return false
}

function missingPartitionValue(column: string, expected: string, row: number): SchemaError {
  const message =
    `partition column '${column}' (${expected}) has no value in row ${row}: every row needs one ` +
    `(null is allowed only when the column is nullable)`
  return new SchemaError('SchemaMismatch', message, { context: { column, expected, found: 'undefined', row } })
}
