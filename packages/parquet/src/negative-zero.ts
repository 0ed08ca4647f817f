// hyparquet-writer builds a column's dictionary with a JS Map, which keys -0 and 0 as one value
// (SameValueZero): a float or double column holding both would read back with every -0 turned into 0.
// Such a column is written without a dictionary (PLAIN), which keeps each value's bits.

import type { DataType, StructType } from './types.js'

/** True when `type` is or holds a float or double (in a struct, array or map). */
function holdsFloat(type: DataType): boolean {
  switch (type.kind) {
    case 'primitive':
      return type.name === 'float' || type.name === 'double'
    case 'struct':
      return type.fields.some((f) => holdsFloat(f.type))
    case 'array':
      return holdsFloat(type.elementType)
    case 'map':
      return holdsFloat(type.keyType) || holdsFloat(type.valueType)
    default:
      return false
  }
}

/** True when `value` is -0 or holds one (arrays, maps and objects, at any depth). */
function holdsNegativeZero(value: unknown): boolean {
  if (typeof value === 'number') return Object.is(value, -0)
  if (typeof value !== 'object' || value === null) return false
  if (value instanceof Map) return [...value].some(([k, v]) => holdsNegativeZero(k) || holdsNegativeZero(v))
  if (Array.isArray(value)) return value.some(holdsNegativeZero)
  return Object.values(value).some(holdsNegativeZero)
}

/**
 * The names of `schema`'s top-level columns to write without a dictionary: those of a float or double
 * type (nested too) whose physical values in `data` hold a -0.
 */
export function plainColumns(schema: StructType, columns: readonly { readonly name: string; readonly data: readonly unknown[] }[]): ReadonlySet<string> {
  const floats = new Set(schema.fields.filter((f) => holdsFloat(f.type)).map((f) => f.name))
  return new Set(columns.filter((c) => floats.has(c.name) && c.data.some(holdsNegativeZero)).map((c) => c.name))
}
