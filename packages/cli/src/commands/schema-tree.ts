// Schema rendering: Spark's printSchema tree, and a flat column list (dotted paths). Pure.

import { formatType } from '@lake/core'
import type { DeltaTable } from '@lake/core'

/** The schema types, taken from the table API. */
export type StructType = DeltaTable['schema']
type DataType = StructType['fields'][number]['type']

/** One flattened column. */
export interface SchemaColumn {
  readonly column: string
  readonly type: string
  readonly nullable: boolean
  readonly partition: boolean
  readonly comment: string | null
}

/** `root` then ` |-- name: type (nullable = b)` lines, nested types indented (Spark's printSchema). */
export function schemaTree(schema: StructType): string {
  const lines = ['root']
  const walk = (type: DataType, depth: number): void => {
    const prefix = ' |   '.repeat(depth)
    if (type.kind === 'struct') {
      for (const f of type.fields) {
        lines.push(`${prefix} |-- ${f.name}: ${typeName(f.type)} (nullable = ${f.nullable})`)
        walk(f.type, depth + 1)
      }
    } else if (type.kind === 'array') {
      lines.push(`${prefix} |-- element: ${typeName(type.elementType)} (containsNull = ${type.containsNull})`)
      walk(type.elementType, depth + 1)
    } else if (type.kind === 'map') {
      lines.push(`${prefix} |-- key: ${typeName(type.keyType)}`)
      walk(type.keyType, depth + 1)
      lines.push(`${prefix} |-- value: ${typeName(type.valueType)} (valueContainsNull = ${type.valueContainsNull})`)
      walk(type.valueType, depth + 1)
    }
  }
  walk(schema, 0)
  return lines.join('\n') + '\n'
}

/** Every leaf and nested column with its dotted path, in schema order. */
export function schemaColumns(schema: StructType, partitionColumns: readonly string[]): SchemaColumn[] {
  const out: SchemaColumn[] = []
  const walk = (fields: StructType['fields'], path: string): void => {
    for (const f of fields) {
      const name = path === '' ? f.name : `${path}.${f.name}`
      const comment = f.metadata['comment']
      out.push({ column: name, type: typeName(f.type), nullable: f.nullable, partition: path === '' && partitionColumns.includes(f.name), comment: typeof comment === 'string' ? comment : null })
      if (f.type.kind === 'struct') walk(f.type.fields, name)
    }
  }
  walk(schema.fields, '')
  return out
}

/** Spark's simple type names (`long`, `decimal(10,2)`, `array<int>`, ...): core's `formatType`. */
export const typeName = formatType
