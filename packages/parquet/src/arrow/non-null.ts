// The NOT NULL checks of the Arrow write path, read from canonical Arrow validity bitmaps: a null in a
// non-nullable column, struct field, list element, map key or map value is refused with the column's
// path and the row (the element's index inside a list or map) before anything is written.

import type * as arrow from 'apache-arrow'
import { ParquetError } from '../errors.js'
import { isStored } from '../schema-to-parquet.js'
import type { DataType, StructField } from '../types.js'

/** `valid(i)`: the slot's own validity and every enclosing struct's; null = all valid. */
export type Valid = ((i: number) => boolean) | null

/** The validity of `data`'s own slots within `parent`'s. */
export function ownValidity(data: arrow.Data, parent: Valid): Valid {
  // Stryker disable next-line ConditionalExpression: the bitmap of a column without nulls has every bit set, so reading it gives the same validity (only slower)
  const bitmap = data.nullCount === 0 ? undefined : data.nullBitmap
  // Stryker disable next-line ConditionalExpression: an empty bitmap comes with no rows, whose validity is never read
  if (bitmap === undefined || bitmap.length === 0) return parent
  const offset = data.offset
  const own = (i: number): boolean => ((bitmap[(offset + i) >> 3] as number) & (1 << ((offset + i) & 7))) !== 0
  return parent === null ? own : i => parent(i) && own(i)
}

/**
 * Refuses a null in `data` unless `nullable`; a slot where `parent` (the enclosing struct) is null is not
 * the field's null. Reads no bit past the last row.
 * @throws ParquetError naming `column` and the row.
 */
export function requireNonNull(data: arrow.Data, nullable: boolean, parent: Valid, column: string): void {
  // Stryker disable next-line ConditionalExpression: a column without nulls has no row to refuse (only slower)
  if (nullable || data.nullCount === 0) return
  const own = ownValidity(data, null)
  for (let i = 0; i < data.length; i++) {
    if ((parent === null || parent(i)) && own !== null && !own(i)) {
      throw new ParquetError(`column '${column}': expected a non-null value, found null (row ${i})`, { context: { column, row: i } })
    }
  }
}

/** Checks a list/map child's non-null elements (the children of arrays and maps have no stats). */
export function checkNested(data: arrow.Data, type: DataType, column: string): void {
  if (type.kind === 'array') {
    const child = data.children[0] as arrow.Data
    requireNonNull(child, type.containsNull, null, `${column}.element`)
    checkNested(child, type.elementType, `${column}.element`)
  } else if (type.kind === 'map') {
    const [key, value] = (data.children[0] as arrow.Data).children as [arrow.Data, arrow.Data]
    requireNonNull(key, false, null, `${column}.key`)
    requireNonNull(value, type.valueContainsNull, null, `${column}.value`)
    checkNested(value, type.valueType, `${column}.value`)
  } else if (type.kind === 'struct') {
    // A struct in a list or map: its NOT NULL fields are checked where the struct itself is present.
    const present = ownValidity(data, null)
    type.fields.filter(f => isStored(f.type)).forEach((f, k) => {
      const child = data.children[k] as arrow.Data
      requireNonNull(child, f.nullable, present, `${column}.${f.name}`)
      checkNested(child, f.type, `${column}.${f.name}`)
    })
  }
}

/** Throws as `columnStats` (arrow-stats.ts) does for a null in a non-nullable flat column (before the plain writer sees it). */
export function requireFlatNonNull(data: arrow.Data, field: StructField): void {
  requireNonNull(data, field.nullable, null, field.name)
}
