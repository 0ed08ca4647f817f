// Logical → physical for writing under column mapping (PROTOCOL.md#Column Mapping): the one place
// that turns the logical rows, schema and partition values of a write into what data files, change
// data files and add actions store (physical names, Parquet field ids). Pure; compiled once per writer.
//
//   const layout = physicalLayout(dataFields, 'name')
//   codec.encode(rows.map(layout.toPhysical), layout.schema, { fieldIds: layout.fieldIds })

import type { Row, StructField, StructType } from '@lake/parquet'
import { setField } from '../parquet-values.js'
import { physicalName, physicalSchema } from './column-mapping.js'
import type { ColumnMappingMode } from './column-mapping.js'
import { structRenamer } from './rename-values.js'

/** How logical rows of some fields are stored in a file. */
export interface PhysicalLayout {
  /** The file schema: physical names; field metadata (with `delta.columnMapping.id`) kept. */
  readonly schema: StructType
  /** A logical row (extra keys ignored) → the row keyed by physical names, nested fields too. */
  readonly toPhysical: (row: Row) => Row
  /** Write Parquet `field_id`s (Spark writes them in both `name` and `id` mode). */
  readonly fieldIds: boolean
}

/** The layout of `fields` under `mode`; without mapping the schema and rows are kept as they are. */
export function physicalLayout(fields: readonly StructField[], mode: ColumnMappingMode): PhysicalLayout {
  const logical: StructType = { kind: 'struct', fields: [...fields] }
  if (mode === 'none') return { schema: logical, toPhysical: (row) => row, fieldIds: false }
  const toPhysical = structRenamer(fields, mode, 'physical') as (row: Row) => Row
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
