// One walk over a Delta type for "does a primitive of this kind occur anywhere in it" (struct fields,
// array elements, map keys and values), shared by the checks that ask it of different primitives.

import type { DataType, PrimitiveName } from './types.js'

/** True when `type` is, or holds at any depth, a primitive whose name passes `test` (decimals never do). */
export function containsPrimitive(type: DataType, test: (name: PrimitiveName) => boolean): boolean {
  switch (type.kind) {
    case 'primitive':
      return test(type.name)
    case 'decimal':
      return false
    case 'struct':
      return type.fields.some((f) => containsPrimitive(f.type, test))
    case 'array':
      return containsPrimitive(type.elementType, test)
    case 'map':
      return containsPrimitive(type.keyType, test) || containsPrimitive(type.valueType, test)
    default: {
      const unreachable: never = type
      return unreachable
    }
  }
}
