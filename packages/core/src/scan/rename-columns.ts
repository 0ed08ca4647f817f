// Physical -> logical names for rows read from data files under column mapping (PROTOCOL.md#Column
// Mapping): nested struct fields too, inside arrays and maps. Pure; compiled once per scan.

import { setField } from '../parquet-values.js'
import type { DataType, StructField, Value } from '@lake/parquet'
import type { ColumnMappingMode } from '../schema/column-mapping.js'
import { physicalName } from '../schema/column-mapping.js'

/** Rewrites one value's nested field names; undefined means "no renaming needed". */
export type ValueRenamer = ((value: Value) => Value) | undefined

function structRenamer(fields: readonly StructField[], mode: ColumnMappingMode): ValueRenamer {
  const plan = fields.map((f) => ({ logical: f.name, physical: physicalName(f, mode), inner: valueRenamer(f.type, mode) }))
  return (value) => {
    if (value === null || typeof value !== 'object') return value
    const source = value as { readonly [key: string]: Value }
    const out: Record<string, Value> = {}
    for (const { logical, physical, inner } of plan) {
      const v = source[physical] ?? null
      setField(out, logical, inner === undefined || v === null ? v : inner(v))
    }
    return out
  }
}

/** The renamer of a logical type's values read under physical names; undefined without mapping. */
export function valueRenamer(type: DataType, mode: ColumnMappingMode): ValueRenamer {
  if (mode === 'none') return undefined
  switch (type.kind) {
    case 'struct':
      return structRenamer(type.fields, mode)
    case 'array': {
      const inner = valueRenamer(type.elementType, mode)
      return inner === undefined ? undefined : (v) => (Array.isArray(v) ? v.map((e: Value) => (e === null ? e : inner(e))) : v)
    }
    case 'map': {
      const k = valueRenamer(type.keyType, mode)
      const val = valueRenamer(type.valueType, mode)
      if (k === undefined && val === undefined) return undefined
      return (v) => {
        if (!(v instanceof Map)) return v
        const out = new Map<Value, Value>()
        for (const [key, x] of v as ReadonlyMap<Value, Value>) out.set(k === undefined ? key : k(key), val === undefined || x === null ? x : val(x))
        return out
      }
    }
    default:
      return undefined
  }
}
