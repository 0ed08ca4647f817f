// Human-readable names of Delta data types for error messages (`decimal(10,2)`, `array<long>`,
// `struct<a:long,b:string>`). Pure; the schema JSON form lives in `schema/serialize-schema.ts`, the
// description of a row value in `rows/describe-value.ts`.

import type { DataType } from '@lake/parquet'

/** The type as Spark SQL prints it: `long`, `decimal(10,2)`, `map<string,array<int>>`. */
export function formatType(type: DataType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${formatType(f.type)}`).join(',')}>`
    case 'array':
      return `array<${formatType(type.elementType)}>`
    case 'map':
      return `map<${formatType(type.keyType)},${formatType(type.valueType)}>`
    default: {
      const unreachable: never = type
      return unreachable
    }
  }
}
