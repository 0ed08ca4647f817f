// hyparquet-writer builds a column's dictionary with a JS Map, which keys -0 and 0 as one value
// (SameValueZero): a float or double column holding both would read back with every -0 turned into 0.
// So columns holding floats or doubles are written without a dictionary (PLAIN), which keeps each
// value's bits; zstd still finds their repeats, as it does for parquet-wasm's files (dictionary off).

import { containsPrimitive } from './type-walk.js'
import type { StructType } from './types.js'

/** The names of `schema`'s top-level columns to write without a dictionary: those holding a float or double. */
export function plainColumns(schema: StructType): ReadonlySet<string> {
  return new Set(schema.fields.filter((f) => containsPrimitive(f.type, (name) => name === 'float' || name === 'double')).map((f) => f.name))
}
