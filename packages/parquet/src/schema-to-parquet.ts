// Maps a Delta StructType to the flat Parquet schema (hyparquet SchemaElement list) the writer uses.
// Follows §Delta Data Type to Parquet Type Mappings; never sets logical INTEGER (hyparquet-writer bug).

import type { SchemaElement } from 'hyparquet'
import { decimalByteLength } from './decimal.js'
import { ParquetError } from './errors.js'
import type { DataType, PrimitiveName, StructField, StructType } from './types.js'

/** Field metadata key holding the column mapping id (written as Parquet `field_id`). */
export const COLUMN_MAPPING_ID_KEY = 'delta.columnMapping.id'

type LeafElement = Omit<SchemaElement, 'name' | 'repetition_type'>

const PRIMITIVE_ELEMENTS: Readonly<Record<Exclude<PrimitiveName, 'void'>, LeafElement>> = {
  byte: { type: 'INT32', converted_type: 'INT_8' },
  short: { type: 'INT32', converted_type: 'INT_16' },
  integer: { type: 'INT32' },
  long: { type: 'INT64' },
  float: { type: 'FLOAT' },
  double: { type: 'DOUBLE' },
  boolean: { type: 'BOOLEAN' },
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  binary: { type: 'BYTE_ARRAY' },
  date: { type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } },
  timestamp: {
    type: 'INT64',
    converted_type: 'TIMESTAMP_MICROS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
  },
  // isAdjustedToUTC=false has no legacy converted type (TIMESTAMP_MICROS would mean UTC).
  timestamp_ntz: { type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' } },
}

/** The Parquet leaf (physical, converted and logical type) of a primitive Delta type, as every lake writer writes it. */
export function primitiveElement(name: Exclude<PrimitiveName, 'void'>): LeafElement {
  return PRIMITIVE_ELEMENTS[name]
}

/** Options of {@link deltaToParquetSchema}. */
export interface ParquetSchemaOptions {
  /**
   * Write `field_id` from the field metadata `delta.columnMapping.id` (column mapping): `true` for
   * every field (a field without one is an error), `'whenPresent'` for the fields that have one
   * (change data files: `_change_type` has none).
   */
  readonly fieldIds?: boolean | 'whenPresent'
}

/** True for a type that has a Parquet column (only `void` has none: never written, read as null). */
export function isStored(type: DataType): boolean {
  return !(type.kind === 'primitive' && type.name === 'void')
}

/**
 * The Parquet schema elements (depth-first, root first) of a Delta schema. `void` fields are left out.
 * @throws ParquetError when a struct has no stored field (Parquet groups need a child).
 */
export function deltaToParquetSchema(schema: StructType, options: ParquetSchemaOptions = {}): SchemaElement[] {
  const fields = schema.fields.filter(f => isStored(f.type))
  const out: SchemaElement[] = [{ name: 'root', num_children: fields.length }]
  for (const field of fields) pushField(out, field, options)
  return out
}

/** The Parquet `field_id` of a field (from `delta.columnMapping.id`) when `options.fieldIds`. @throws ParquetError when it is missing. */
export function fieldId(field: StructField, options: ParquetSchemaOptions): number | undefined {
  if (!options.fieldIds) return undefined
  const id = field.metadata[COLUMN_MAPPING_ID_KEY]
  if (id === undefined && options.fieldIds === 'whenPresent') return undefined
  if (typeof id === 'number' && Number.isInteger(id)) return id
  if (typeof id === 'string' && /^\d+$/.test(id)) return Number(id)
  throw new ParquetError(`field '${field.name}': expected integer metadata '${COLUMN_MAPPING_ID_KEY}', found ${JSON.stringify(id)}`, {
    context: { column: field.name },
  })
}

function pushField(out: SchemaElement[], field: StructField, options: ParquetSchemaOptions): void {
  const id = fieldId(field, options)
  pushType(out, field.name, field.type, field.nullable, options, id)
}

function pushType(
  out: SchemaElement[],
  name: string,
  type: DataType,
  nullable: boolean,
  options: ParquetSchemaOptions,
  id?: number,
): void {
  const head: SchemaElement = { name, repetition_type: nullable ? 'OPTIONAL' : 'REQUIRED' }
  if (id !== undefined) head.field_id = id
  switch (type.kind) {
    case 'primitive': {
      if (type.name === 'void') return
      out.push({ ...head, ...primitiveElement(type.name) })
      return
    }
    case 'decimal':
      out.push({ ...head, ...decimalElement(type.precision, type.scale) })
      return
    case 'struct': {
      const fields = type.fields.filter(f => isStored(f.type))
      if (fields.length === 0) {
        throw new ParquetError(`struct '${name}': expected at least one non-void field, found none`, { context: { column: name } })
      }
      out.push({ ...head, num_children: fields.length })
      for (const field of fields) pushField(out, field, options)
      return
    }
    case 'array':
      requireStored(type.elementType, name, 'element')
      out.push({ ...head, num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } })
      out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 })
      pushType(out, 'element', type.elementType, type.containsNull, options)
      return
    case 'map':
      requireStored(type.keyType, name, 'key')
      requireStored(type.valueType, name, 'value')
      out.push({ ...head, num_children: 1, converted_type: 'MAP', logical_type: { type: 'MAP' } })
      out.push({ name: 'key_value', repetition_type: 'REPEATED', num_children: 2 })
      pushType(out, 'key', type.keyType, false, options)
      pushType(out, 'value', type.valueType, type.valueContainsNull, options)
      return
    default: {
      const unknown: never = type
      throw new ParquetError(`expected a Delta data type, found ${JSON.stringify(unknown)}`)
    }
  }
}

function requireStored(type: DataType, column: string, part: string): void {
  if (!isStored(type)) {
    throw new ParquetError(`column '${column}': expected a stored ${part} type, found void`, { context: { column } })
  }
}

function decimalElement(precision: number, scale: number): LeafElement {
  if (!Number.isInteger(precision) || precision < 1 || precision > 38 || !Number.isInteger(scale) || scale < 0 || scale > precision) {
    throw new ParquetError(`expected decimal(p,s) with 1 <= p <= 38 and 0 <= s <= p, found decimal(${precision},${scale})`)
  }
  const annotation = {
    converted_type: 'DECIMAL' as const,
    precision,
    scale,
    logical_type: { type: 'DECIMAL' as const, precision, scale },
  }
  if (precision <= 9) return { type: 'INT32', ...annotation }
  if (precision <= 18) return { type: 'INT64', ...annotation }
  return { type: 'FIXED_LEN_BYTE_ARRAY', type_length: decimalByteLength(precision), ...annotation }
}
