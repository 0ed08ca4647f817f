// hyparquet-writer builds a column's dictionary with a JS Map, which keys -0 and 0 as one value
// (SameValueZero): a float or double column holding both would read back with every -0 turned into 0.
// So columns holding floats or doubles are written without a dictionary (PLAIN), which keeps each
// value's bits; zstd still finds their repeats, as it does for parquet-wasm's files (dictionary off).

import type { DataType, StructType } from './types.js'

/** True when `type` is or holds a float or double (in a struct, array or map). */
function holdsFloat(type: DataType): boolean {
  switch (type.kind) {
    case 'primitive':
      return type.name === 'float' || type.name === 'double'
    case 'decimal':
      return false
    case 'struct':
      return type.fields.some((f) => holdsFloat(f.type))
    case 'array':
      return holdsFloat(type.elementType)
    case 'map':
      return holdsFloat(type.keyType) || holdsFloat(type.valueType)
    default: {
      const unreachable: never = type
      return unreachable
    }
  }
}

/** The names of `schema`'s top-level columns to write without a dictionary: those holding a float or double. */
export function plainColumns(schema: StructType): ReadonlySet<string> {
  return new Set(schema.fields.filter((f) => holdsFloat(f.type)).map((f) => f.name))
}
