// Column mapping (PROTOCOL.md#Column Mapping): logical names in the schema, physical names (or
// field ids) in data files, stats and partition values. Pure.

import type { DataType, StructField, StructType } from '@lake/parquet'
import { SchemaError } from '../errors.js'

/** `delta.columnMapping.mode`. */
export type ColumnMappingMode = 'none' | 'id' | 'name'

/** Field metadata key of the physical name. */
export const PHYSICAL_NAME_KEY = 'delta.columnMapping.physicalName'
/** Field metadata key of the Parquet field id. */
export const FIELD_ID_KEY = 'delta.columnMapping.id'

/**
 * The physical name of a field: itself without column mapping, else its
 * `delta.columnMapping.physicalName`.
 * @throws SchemaError `InvalidArgument` when mapping is on and the field has no physical name.
 */
export function physicalName(field: StructField, mode: ColumnMappingMode): string {
  if (mode === 'none') return field.name
  const name = field.metadata[PHYSICAL_NAME_KEY]
  if (typeof name !== 'string' || name === '') {
    throw new SchemaError(
      'InvalidArgument',
      `column mapping mode '${mode}': expected field '${field.name}' to have metadata '${PHYSICAL_NAME_KEY}', found ${JSON.stringify(name) ?? 'nothing'}`,
    )
  }
  return name
}

/**
 * The column-mapping id of a field, or `undefined` when it has none.
 * @throws SchemaError `InvalidArgument` when the id is not an integer.
 */
export function fieldId(field: StructField): number | undefined {
  const id = field.metadata[FIELD_ID_KEY]
  if (id === undefined) return undefined
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new SchemaError('InvalidArgument', `expected '${FIELD_ID_KEY}' of '${field.name}' to be an integer, found ${JSON.stringify(id)}`)
  }
  return id
}

/** Top-level logical column name → physical name (identity without mapping). */
export function physicalNameMap(schema: StructType, mode: ColumnMappingMode): ReadonlyMap<string, string> {
  return new Map(schema.fields.map((f) => [f.name, physicalName(f, mode)]))
}

/**
 * The physical path of a nested logical column path (`['a', 'b']` → `['col-1f…', 'col-9a…']`),
 * used for stats and partition values. `undefined` when the path does not exist.
 */
export function physicalPath(schema: StructType, logical: readonly string[], mode: ColumnMappingMode): string[] | undefined {
  const out: string[] = []
  let current: DataType = schema
  for (const name of logical) {
    if (current.kind !== 'struct') return undefined
    const field: StructField | undefined = current.fields.find((f) => f.name === name)
    if (field === undefined) return undefined
    out.push(physicalName(field, mode))
    current = field.type
  }
  return out
}

/**
 * The schema as data files store it: every field (nested too) renamed to its physical name.
 * Metadata is kept, so in `id` mode readers match on `delta.columnMapping.id`.
 */
export function physicalSchema(schema: StructType, mode: ColumnMappingMode): StructType {
  if (mode === 'none') return schema
  return mapStruct(schema, mode)
}

function mapStruct(struct: StructType, mode: ColumnMappingMode): StructType {
  return {
    kind: 'struct',
    fields: struct.fields.map((f) => ({
      name: physicalName(f, mode),
      type: mapType(f.type, mode),
      nullable: f.nullable,
      metadata: f.metadata,
    })),
  }
}

function mapType(type: DataType, mode: ColumnMappingMode): DataType {
  switch (type.kind) {
    case 'struct':
      return mapStruct(type, mode)
    case 'array':
      return { ...type, elementType: mapType(type.elementType, mode) }
    case 'map':
      return { ...type, keyType: mapType(type.keyType, mode), valueType: mapType(type.valueType, mode) }
    default:
      return type
  }
}
