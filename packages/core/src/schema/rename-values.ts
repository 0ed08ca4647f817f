// Renames the fields of values between logical and physical names under column mapping
// (PROTOCOL.md#Column Mapping), nested struct fields too, inside arrays and maps. Writes map logical
// → physical (schema/physical-rows.ts), scans physical → logical (scan/rename-columns.ts). Pure;
// compiled once per schema.

import type { DataType, StructField, Value } from '@lake/parquet'
import { setField } from '../parquet-values.js'
import { physicalName } from './column-mapping.js'
import type { ColumnMappingMode } from './column-mapping.js'

/** Rewrites one value's field names; undefined means "nothing to rename". */
export type ValueRenamer = ((value: Value) => Value) | undefined

/** Which names the renamed values carry. */
export type RenameTarget = 'physical' | 'logical'

/** A struct value of `fields` renamed to `to` names; a missing or non-own field reads as null. */
export function structRenamer(fields: readonly StructField[], mode: ColumnMappingMode, to: RenameTarget): (value: Value) => Value {
  const plan = fields.map((f) => {
    const names = { logical: f.name, physical: physicalName(f, mode) }
    return { from: to === 'physical' ? names.logical : names.physical, to: names[to], inner: nestedRenamer(f.type, mode, to) }
  })
  return (value) => {
    if (value === null || typeof value !== 'object') return value
    const source = value as { readonly [key: string]: Value }
    const out: Record<string, Value> = {}
    for (const p of plan) {
      const v = (Object.hasOwn(source, p.from) ? source[p.from] : null) ?? null
      setField(out, p.to, v === null || p.inner === undefined ? v : p.inner(v))
    }
    return out
  }
}

/** The renamer of a value of `type` (structs inside arrays and maps too); undefined when no struct is inside. */
export function nestedRenamer(type: DataType, mode: ColumnMappingMode, to: RenameTarget): ValueRenamer {
  switch (type.kind) {
    case 'struct':
      return structRenamer(type.fields, mode, to)
    case 'array': {
      const inner = nestedRenamer(type.elementType, mode, to)
      return inner === undefined ? undefined : (v) => (Array.isArray(v) ? v.map((e: Value) => (e === null ? e : inner(e))) : v)
    }
    case 'map': {
      const k = nestedRenamer(type.keyType, mode, to)
      const val = nestedRenamer(type.valueType, mode, to)
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
