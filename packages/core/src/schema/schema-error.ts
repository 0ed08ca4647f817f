// Construction of the write side's schema errors: one `SchemaError` class for the whole package
// (declared in `../errors.ts`), with the structured context the write path promises.

import { SchemaError } from '../errors.js'

/** What a schema mismatch names: the column (dotted path), the expected and found types, the row. */
export interface SchemaMismatch {
  /** Dotted path of the column: `amount`, `address.city`, `items.element.price`. */
  readonly column: string
  /** The type the table expects, e.g. `decimal(10,2)`, or a short description. */
  readonly expected: string
  /** What the input held, e.g. `string "12.345"`. */
  readonly found: string
  /** Why the found value does not fit, when not obvious: `3 fractional digits > scale 2`. */
  readonly reason?: string
  /** 0-based index of the input row, when the mismatch is in data (not in a schema). */
  readonly row?: number
}

/**
 * A `SchemaError` with code `SchemaMismatch` and context `{ column, expected, found, row }`.
 * Message: `column 'amount' expects decimal(10,2), found string "12.345" (3 fractional digits > scale 2) in row 17`.
 */
export function schemaMismatch(details: SchemaMismatch): SchemaError {
  const reason = details.reason === undefined ? '' : ` (${details.reason})`
  const where = details.row === undefined ? '' : ` in row ${details.row}`
  const message = `column '${details.column}' expects ${details.expected}, found ${details.found}${reason}${where}`
  return new SchemaError('SchemaMismatch', message, {
    context: { column: details.column, expected: details.expected, found: details.found, row: details.row },
  })
}

/** A `SchemaError` with code `SchemaMismatch` for a schema-level problem (no row), naming the field. */
export function invalidSchema(column: string, message: string): SchemaError {
  return new SchemaError('SchemaMismatch', message, { context: { column } })
}
