// Serialization of a DataType to the Delta schema JSON (PROTOCOL.md#Schema Serialization Format),
// the inverse of `parseSchema`. Field metadata is written back verbatim. Pure.

import type { DataType, StructType } from '@lake/parquet'

/** The `schemaString` of a struct type, as Spark writes it (no whitespace). */
export function serializeSchema(schema: StructType): string {
  return JSON.stringify(dataTypeToJson(schema))
}

/** The JSON value of one type: a string for primitives and decimals, an object otherwise. */
export function dataTypeToJson(type: DataType): unknown {
  switch (type.kind) {
    case 'primitive':
      return type.name
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`
    case 'struct':
      return {
        type: 'struct',
        fields: type.fields.map((f) => ({ name: f.name, type: dataTypeToJson(f.type), nullable: f.nullable, metadata: f.metadata })),
      }
    case 'array':
      return { type: 'array', elementType: dataTypeToJson(type.elementType), containsNull: type.containsNull }
    case 'map':
      return {
        type: 'map',
        keyType: dataTypeToJson(type.keyType),
        valueType: dataTypeToJson(type.valueType),
        valueContainsNull: type.valueContainsNull,
      }
    default: {
      const unreachable: never = type
      return unreachable
    }
  }
}
