// Validation of a schema and partitioning before a table is created or its schema replaced:
// names, uniqueness, decimal bounds, writable types, partition columns. Pure.

import type { DataType, StructType } from '@lake/parquet'
import { ProtocolError, SchemaError } from '../errors.js'
import { formatType } from './format-type.js'

const INVALID_NAME_CHARS = /[ ,;{}()\n\t=]/ // Spark refuses these in Parquet column names without column mapping

/**
 * Checks that `schema` can define a table partitioned by `partitionColumns`:
 * every field name is non-empty, free of ` ,;{}()\n\t=`, and unique case-insensitively within its
 * struct (at every level); decimals have 1 <= precision <= 38 and 0 <= scale <= precision; no
 * `void` type remains; partition columns are distinct top-level columns (exact names) of primitive
 * type (not struct, array or map), and not every column is a partition column. Generated and
 * identity columns are refused until lake can compute them (it would write nulls into them).
 * @throws SchemaError `InvalidArgument` naming the offending field (`context.column`).
 * @throws ProtocolError `UnsupportedFeature` for a generated or identity column (`context.column`,
 * `context.feature`).
 */
export function validateSchema(schema: StructType, partitionColumns: readonly string[] = []): void {
  refuseComputedColumns(schema)
  validateStruct(schema, '')
  validatePartitionColumns(schema, partitionColumns)
}

/** Field metadata keys of columns a writer must compute: [key prefix, feature, what it is]. */
const COMPUTED_COLUMNS: readonly (readonly [string, string, string])[] = [
  ['delta.generationExpression', 'generatedColumns', 'a generated column'],
  ['delta.identity.', 'identityColumns', 'an identity column'],
]

function refuseComputedColumns(schema: StructType): void {
  for (const field of schema.fields) {
    for (const [prefix, feature, what] of COMPUTED_COLUMNS) {
      const key = Object.keys(field.metadata).find((k) => k.startsWith(prefix))
      if (key === undefined) continue
      throw new ProtocolError(
        'UnsupportedFeature',
        `column '${field.name}' is ${what} (field metadata '${key}'), which lake cannot compute yet: expected a schema without ${prefix.endsWith('.') ? `${prefix}*` : prefix} metadata`,
        { context: { column: field.name, feature } },
      )
    }
  }
}

function validateStruct(struct: StructType, path: string): void {
  const seen = new Map<string, string>()
  for (const field of struct.fields) {
    const at = path === '' ? field.name : `${path}.${field.name}`
    if (field.name === '') fail(at, `field name at '${path === '' ? '(top level)' : path}' is empty`)
    if (INVALID_NAME_CHARS.test(field.name)) {
      fail(at, `column name '${at}' contains one of the characters ' ,;{}()\\n\\t=', which Parquet column names cannot hold`)
    }
    const other = seen.get(field.name.toLowerCase())
    if (other !== undefined) fail(at, `column '${at}' duplicates '${other}' (names are case-insensitive)`)
    seen.set(field.name.toLowerCase(), field.name)
    validateType(field.type, at)
  }
}

function validateType(type: DataType, path: string): void {
  switch (type.kind) {
    case 'primitive':
      if (type.name === 'void') fail(path, `column '${path}' has type void (only nulls seen); give it a type in the schema`)
      return
    case 'decimal':
      if (!(Number.isInteger(type.precision) && type.precision >= 1 && type.precision <= 38)) {
        fail(path, `column '${path}' has ${formatType(type)}: precision must be 1..38`)
      }
      if (!(Number.isInteger(type.scale) && type.scale >= 0 && type.scale <= type.precision)) {
        fail(path, `column '${path}' has ${formatType(type)}: scale must be 0..precision`)
      }
      return
    case 'struct':
      return validateStruct(type, path)
    case 'array':
      return validateType(type.elementType, `${path}.element`)
    case 'map':
      validateType(type.keyType, `${path}.key`)
      return validateType(type.valueType, `${path}.value`)
    default: {
      const unreachable: never = type
      return unreachable
    }
  }
}

function validatePartitionColumns(schema: StructType, partitionColumns: readonly string[]): void {
  const names = schema.fields.map((f) => f.name)
  const seen = new Set<string>()
  for (const name of partitionColumns) {
    if (seen.has(name)) fail(name, `partition column '${name}' is listed twice`)
    seen.add(name)
    const field = schema.fields.find((f) => f.name === name)
    if (field === undefined) {
      const near = names.find((n) => n.toLowerCase() === name.toLowerCase())
      const hint = near === undefined ? `columns: ${names.join(', ')}` : `did you mean '${near}'?`
      fail(name, `partition column '${name}' is not a column of the schema (${hint})`)
    }
    if (field.type.kind === 'struct' || field.type.kind === 'array' || field.type.kind === 'map') {
      fail(name, `partition column '${name}' has type ${formatType(field.type)}; partition columns must be of a primitive type`)
    }
  }
  if (partitionColumns.length > 0 && partitionColumns.length >= schema.fields.length) {
    fail(partitionColumns.join(', '), 'every column is a partition column; at least one column must hold data')
  }
}

function fail(column: string, message: string): never {
  throw new SchemaError('InvalidArgument', message, { context: { column } })
}
