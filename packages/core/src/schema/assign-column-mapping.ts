// Column mapping ids and physical names for a schema lake writes (PROTOCOL.md#Column Mapping, as
// Spark assigns them): every field, nested ones too, gets `delta.columnMapping.id` (counting up from
// `delta.columnMapping.maxColumnId`) and `delta.columnMapping.physicalName` (`col-<uuid>`) unless it
// already is a field of the table's previous schema. Pure apart from the uuids.
//
//   const { schema, configuration } = assignColumnMapping(merged, 'name', snapshot.metadata.configuration, snapshot.schema)

import { randomUUID } from 'node:crypto'
import type { DataType, StructField, StructType } from '@lake/parquet'
import { SchemaError } from '../errors.js'
import { FIELD_ID_KEY, PHYSICAL_NAME_KEY } from './column-mapping.js'
import type { ColumnMappingMode } from './column-mapping.js'

/** Table property holding the highest column mapping id in use. */
export const MAX_COLUMN_ID_KEY = 'delta.columnMapping.maxColumnId'

/** A schema with column mapping metadata and the configuration recording its highest id. */
export interface MappedSchema {
  readonly schema: StructType
  readonly configuration: Readonly<Record<string, string>>
}

/**
 * Assigns column mapping ids and physical names to the fields of `schema` that are not fields of
 * `previous` (matched by physical name and id, so metadata copied from another table is replaced),
 * and sets `delta.columnMapping.maxColumnId` in `configuration`. With `mode` none both are returned
 * unchanged. `mode` is the table's `delta.columnMapping.mode` as `parseTableConfig` reads it.
 * @throws SchemaError `InvalidArgument` when `delta.columnMapping.maxColumnId` is not an integer.
 */
export function assignColumnMapping(schema: StructType, mode: ColumnMappingMode, configuration: Readonly<Record<string, string>>, previous?: StructType): MappedSchema {
  if (mode === 'none') return { schema, configuration }
  const known = new Map<string, number>()
  if (previous !== undefined) collectMapped(previous, known)
  const counter = { max: Math.max(maxColumnId(configuration), ...known.values()) }
  const mapped = assignStruct(schema, known, counter)
  return { schema: mapped, configuration: { ...configuration, [MAX_COLUMN_ID_KEY]: String(counter.max) } }
}

function maxColumnId(configuration: Readonly<Record<string, string>>): number {
  const raw = configuration[MAX_COLUMN_ID_KEY]
  if (raw === undefined) return 0
  if (!/^\d+$/.test(raw.trim())) throw new SchemaError('InvalidArgument', `expected '${MAX_COLUMN_ID_KEY}' to be a non-negative integer, found '${raw}'`)
  return Number(raw.trim())
}

/** Physical name → id of every mapped field of `type`, nested ones too. */
function collectMapped(type: DataType, into: Map<string, number>): void {
  for (const child of childTypes(type)) collectMapped(child, into)
  if (type.kind !== 'struct') return
  for (const f of type.fields) {
    const name = f.metadata[PHYSICAL_NAME_KEY]
    const id = f.metadata[FIELD_ID_KEY]
    if (typeof name === 'string' && typeof id === 'number') into.set(name, id)
  }
}

function childTypes(type: DataType): DataType[] {
  switch (type.kind) {
    case 'struct':
      return type.fields.map((f) => f.type)
    case 'array':
      return [type.elementType]
    case 'map':
      return [type.keyType, type.valueType]
    default:
      return []
  }
}

function assignStruct(struct: StructType, known: ReadonlyMap<string, number>, counter: { max: number }): StructType {
  return { kind: 'struct', fields: struct.fields.map((f) => assignField(f, known, counter)) }
}

function assignField(field: StructField, known: ReadonlyMap<string, number>, counter: { max: number }): StructField {
  const name = field.metadata[PHYSICAL_NAME_KEY]
  const id = field.metadata[FIELD_ID_KEY]
  if (typeof name === 'string' && typeof id === 'number' && known.get(name) === id) return { ...field, type: assignType(field.type, known, counter) }
  counter.max += 1
  const metadata = { ...field.metadata, [FIELD_ID_KEY]: counter.max, [PHYSICAL_NAME_KEY]: `col-${randomUUID()}` }
  return { ...field, metadata, type: assignType(field.type, known, counter) }
}

function assignType(type: DataType, known: ReadonlyMap<string, number>, counter: { max: number }): DataType {
  switch (type.kind) {
    case 'struct':
      return assignStruct(type, known, counter)
    case 'array':
      return { ...type, elementType: assignType(type.elementType, known, counter) }
    case 'map':
      return { ...type, keyType: assignType(type.keyType, known, counter), valueType: assignType(type.valueType, known, counter) }
    default:
      return type
  }
}
