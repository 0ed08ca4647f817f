// The Delta <-> Arrow type mapping (see the README's "Arrow" section). Delta -> Arrow is one canonical
// Arrow type per Delta type; Arrow -> Delta also accepts the Arrow types that convert without loss
// (narrower ints, unsigned ints, seconds/millis/nanos timestamps, large, view and dictionary variants) and
// refuses the rest with a ParquetError naming the column.

import * as arrow from 'apache-arrow'
import { ParquetError } from '../errors.js'
import { COLUMN_MAPPING_ID_KEY, fieldId } from '../schema-to-parquet.js'
import type { DataType, PrimitiveName, StructField, StructType } from '../types.js'

/** Arrow field metadata key arrow-rs writes as the Parquet `field_id`. */
export const ARROW_FIELD_ID_KEY = 'PARQUET:field_id'

/** Options of {@link deltaToArrowSchema}. */
export interface ArrowSchemaOptions {
  /**
   * Carry `delta.columnMapping.id` as Arrow field metadata `PARQUET:field_id` (column mapping); every
   * field must have one (ParquetError otherwise, as `deltaToParquetSchema`).
   */
  readonly fieldIds?: boolean | 'whenPresent'
}

function primitiveToArrow(name: Exclude<PrimitiveName, 'void'>): arrow.DataType {
  switch (name) {
    case 'byte': return new arrow.Int8()
    case 'short': return new arrow.Int16()
    case 'integer': return new arrow.Int32()
    case 'long': return new arrow.Int64()
    case 'float': return new arrow.Float32()
    case 'double': return new arrow.Float64()
    case 'boolean': return new arrow.Bool()
    case 'string': return new arrow.Utf8()
    case 'binary': return new arrow.Binary()
    case 'date': return new arrow.DateDay()
    case 'timestamp': return new arrow.TimestampMicrosecond('UTC')
    case 'timestamp_ntz': return new arrow.TimestampMicrosecond()
  }
}

/** The canonical Arrow type of a Delta type (`void` as Arrow Null). */
export function deltaToArrowType(type: DataType, options: ArrowSchemaOptions = {}): arrow.DataType {
  switch (type.kind) {
    case 'primitive':
      return type.name === 'void' ? new arrow.Null() : primitiveToArrow(type.name)
    case 'decimal':
      return new arrow.Decimal(type.scale, type.precision, 128)
    case 'struct':
      return new arrow.Struct(type.fields.map(f => deltaToArrowField(f, options)))
    case 'array':
      return new arrow.List(new arrow.Field('element', deltaToArrowType(type.elementType, options), type.containsNull))
    case 'map': {
      const key = new arrow.Field('key', deltaToArrowType(type.keyType, options), false)
      const value = new arrow.Field('value', deltaToArrowType(type.valueType, options), type.valueContainsNull)
      const entries = new arrow.Struct<{ key: arrow.DataType; value: arrow.DataType }>([key, value])
      return new arrow.Map_(new arrow.Field('key_value', entries, false), false)
    }
  }
}

function deltaToArrowField(field: StructField, options: ArrowSchemaOptions): arrow.Field {
  const metadata = new Map<string, string>()
  const id = fieldId(field, { fieldIds: options.fieldIds ?? false })
  if (id !== undefined) metadata.set(ARROW_FIELD_ID_KEY, String(id))
  return new arrow.Field(field.name, deltaToArrowType(field.type, options), field.nullable, metadata)
}

/** The Arrow schema of a Delta schema: field names, nullability and (optionally) field ids kept. */
export function deltaToArrowSchema(schema: StructType, options: ArrowSchemaOptions = {}): arrow.Schema {
  return new arrow.Schema(schema.fields.map(f => deltaToArrowField(f, options)))
}

function refuse(column: string, type: arrow.DataType, why: string): ParquetError {
  return new ParquetError(`column '${column}': expected an Arrow type Delta can hold, found ${String(type)} (${why})`, {
    context: { column, arrowType: String(type) },
  })
}

const primitive = (name: PrimitiveName): DataType => ({ kind: 'primitive', name })

function intToDelta(type: arrow.Int, column: string): DataType {
  if (type.isSigned) return primitive(type.bitWidth === 8 ? 'byte' : type.bitWidth === 16 ? 'short' : type.bitWidth === 32 ? 'integer' : 'long')
  if (type.bitWidth === 8) return primitive('short')
  if (type.bitWidth === 16) return primitive('integer')
  // uint32 fits long; uint64 values are checked one by one when converted (above 2^63-1 is refused).
  if (type.bitWidth === 32 || type.bitWidth === 64) return primitive('long')
  throw refuse(column, type, 'unknown integer width')
}

function leafToDelta(type: arrow.DataType, column: string): DataType | undefined {
  if (arrow.DataType.isNull(type)) return primitive('void')
  if (arrow.DataType.isInt(type)) return intToDelta(type, column)
  if (arrow.DataType.isFloat(type)) return primitive(type.precision === arrow.Precision.DOUBLE ? 'double' : 'float')
  if (arrow.DataType.isBool(type)) return primitive('boolean')
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || type.typeId === arrow.Type.Utf8View) return primitive('string')
  if (arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type) || arrow.DataType.isFixedSizeBinary(type) || type.typeId === arrow.Type.BinaryView) {
    return primitive('binary')
  }
  if (arrow.DataType.isDate(type)) return primitive('date')
  if (arrow.DataType.isTimestamp(type)) return primitive(type.timezone ? 'timestamp' : 'timestamp_ntz')
  if (arrow.DataType.isDecimal(type)) {
    if (type.precision < 1 || type.precision > 38) throw refuse(column, type, 'Delta decimals have 1 to 38 digits')
    if (type.scale < 0 || type.scale > type.precision) throw refuse(column, type, 'Delta decimals have a scale of 0 to the precision')
    return { kind: 'decimal', precision: type.precision, scale: type.scale }
  }
  return undefined
}

/**
 * The Delta type of an Arrow type. Nanosecond timestamps map to Delta's microseconds (values that
 * are not whole microseconds are refused when converted), uint64 to long (values above 2^63-1 refused).
 * @throws ParquetError (`context.column`, `context.arrowType`) for an Arrow type with no Delta type
 * (time of day, duration, interval, union, view types, 256-bit decimals over 38 digits).
 */
export function arrowToDeltaType(type: arrow.DataType, column: string): DataType {
  const leaf = leafToDelta(type, column)
  if (leaf !== undefined) return leaf
  if (arrow.DataType.isDictionary(type)) return arrowToDeltaType(type.dictionary, column)
  if (arrow.DataType.isStruct(type)) return { kind: 'struct', fields: type.children.map(f => arrowToDeltaField(f, `${column}.${f.name}`)) }
  if (arrow.DataType.isList(type) || arrow.DataType.isFixedSizeList(type) || type.typeId === arrow.Type.LargeList) {
    const child = (type.children as arrow.Field[])[0] as arrow.Field
    return { kind: 'array', elementType: arrowToDeltaType(child.type, `${column}.element`), containsNull: child.nullable }
  }
  if (arrow.DataType.isMap(type)) {
    const [key, value] = type.childType.children as [arrow.Field, arrow.Field]
    return {
      kind: 'map',
      keyType: arrowToDeltaType(key.type, `${column}.key`),
      valueType: arrowToDeltaType(value.type, `${column}.value`),
      valueContainsNull: value.nullable,
    }
  }
  throw refuse(column, type, 'no Delta type holds it')
}

function arrowToDeltaField(field: arrow.Field, column: string): StructField {
  const metadata: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  const id = field.metadata.get(ARROW_FIELD_ID_KEY)
  if (id !== undefined && /^\d+$/.test(id)) metadata[COLUMN_MAPPING_ID_KEY] = Number(id)
  return { name: field.name, type: arrowToDeltaType(field.type, column), nullable: field.nullable, metadata }
}

/**
 * The Delta schema of an Arrow schema (field order, names and nullability kept; `PARQUET:field_id`
 * becomes `delta.columnMapping.id`).
 * @throws ParquetError naming the first column whose type Delta cannot represent.
 */
export function arrowToDeltaSchema(schema: arrow.Schema): StructType {
  return { kind: 'struct', fields: schema.fields.map(f => arrowToDeltaField(f, f.name)) }
}
