// Logical → physical for writing under column mapping (PROTOCOL.md#Column Mapping): the one place
// that turns the logical rows, schema and partition values of a write into what data files, change
// data files and add actions store (physical names, Parquet field ids). Pure; compiled once per writer.
//
//   const layout = physicalLayout(dataFields, 'name')
//   codec.encode(rows.map(layout.toPhysical), layout.schema, { fieldIds: layout.fieldIds })

import type { DataType, Row, StructField, StructType, Value } from '@lake/parquet'
import { setField } from '../parquet-values.js'
import { physicalName, physicalSchema } from './column-mapping.js'
import type { ColumnMappingMode } from './column-mapping.js'

/** How logical rows of some fields are stored in a file. */
export interface PhysicalLayout {
  /** The file schema: physical names; field metadata (with `delta.columnMapping.id`) kept. */
  readonly schema: StructType
  /** A logical row (extra keys ignored) → the row keyed by physical names, nested fields too. */
  readonly toPhysical: (row: Row) => Row
  /** Write Parquet `field_id`s (Spark writes them in both `name` and `id` mode). */
  readonly fieldIds: boolean
}

type ValueMapper = ((value: Value) => Value) | undefined

/** The layout of `fields` under `mode`; without mapping the schema and rows are kept as they are. */
export function physicalLayout(fields: readonly StructField[], mode: ColumnMappingMode): PhysicalLayout {
  const logical: StructType = { kind: 'struct', fields: [...fields] }
  if (mode === 'none') return { schema: logical, toPhysical: (row) => row, fieldIds: false }
  const steps = fields.map((f) => ({ logical: f.name, physical: physicalName(f, mode), inner: physicalValue(f.type, mode) }))
  const toPhysical = (row: Row): Row => {
    const out: Record<string, Value> = {}
    for (const s of steps) {
      const v = (Object.hasOwn(row, s.logical) ? row[s.logical] : null) ?? null
      setField(out, s.physical, v === null || s.inner === undefined ? v : s.inner(v))
    }
    return out
  }
  return { schema: physicalSchema(logical, mode), toPhysical, fieldIds: true }
}

/**
 * Partition values keyed by logical column names → keyed by physical names (the add action's
 * `partitionValues` under column mapping). Returns `values` itself without mapping.
 */
export function physicalPartitionValues(
  values: Readonly<Record<string, string | null>>,
  schema: StructType,
  partitionColumns: readonly string[],
  mode: ColumnMappingMode,
): Readonly<Record<string, string | null>> {
  if (mode === 'none') return values
  const out: Record<string, string | null> = {}
  for (const column of partitionColumns) {
    const field = schema.fields.find((f) => f.name === column)
    setField(out, field === undefined ? column : physicalName(field, mode), Object.hasOwn(values, column) ? (values[column] ?? null) : null)
  }
  return out
}

/** The physical names of `partitionColumns` (themselves without mapping). */
export function physicalColumnNames(schema: StructType, columns: readonly string[], mode: ColumnMappingMode): string[] {
  if (mode === 'none') return [...columns]
  return columns.map((c) => {
    const field = schema.fields.find((f) => f.name === c)
    return field === undefined ? c : physicalName(field, mode)
  })
}

function physicalStruct(fields: readonly StructField[], mode: ColumnMappingMode): (value: Value) => Value {
  const plan = fields.map((f) => ({ logical: f.name, physical: physicalName(f, mode), inner: physicalValue(f.type, mode) }))
  return (value) => {
    if (value === null || typeof value !== 'object') return value
    const source = value as { readonly [key: string]: Value }
    const out: Record<string, Value> = {}
    for (const p of plan) {
      const v = (Object.hasOwn(source, p.logical) ? source[p.logical] : null) ?? null
      setField(out, p.physical, v === null || p.inner === undefined ? v : p.inner(v))
    }
    return out
  }
}

/** Logical → physical nested field names of one value; undefined when nothing is renamed. */
function physicalValue(type: DataType, mode: ColumnMappingMode): ValueMapper {
  switch (type.kind) {
    case 'struct':
      return physicalStruct(type.fields, mode)
    case 'array': {
      const inner = physicalValue(type.elementType, mode)
      return inner === undefined ? undefined : (v) => (Array.isArray(v) ? v.map((e: Value) => (e === null ? e : inner(e))) : v)
    }
    case 'map': {
      const k = physicalValue(type.keyType, mode)
      const val = physicalValue(type.valueType, mode)
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
