// Finding columns by the names a caller wrote: the exact name first, else the first that matches
// ignoring case (Spark resolves column names case-insensitively). Pure.

import type { StructField } from '@lake/parquet'
import { InvalidArgumentError } from '../errors.js'
import { expectedOneOf } from './expected-columns.js'

/** The field named `name`: exact match first, else the first case-insensitive match. */
export function findField<F extends { readonly name: string }>(fields: readonly F[], name: string): F | undefined {
  const lower = name.toLowerCase()
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === lower)
}

/**
 * The schema's spelling of each name in `names`, in their order.
 * @throws InvalidArgumentError for a name no field has (`context.column`), listing the fields.
 */
export function resolveColumnNames(fields: readonly StructField[], names: readonly string[]): string[] {
  return names.map((name) => {
    const field = findField(fields, name)
    if (field === undefined) throw new InvalidArgumentError(`unknown column '${name}': ${expectedOneOf(fields.map((f) => f.name))}`, { context: { column: name } })
    return field.name
  })
}
