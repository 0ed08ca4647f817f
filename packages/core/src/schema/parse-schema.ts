// Parsing of the Delta schema JSON (PROTOCOL.md#Schema Serialization Format) into the
// `@lake/parquet` DataType model. Field metadata is kept verbatim. Pure.

import type { DataType, PrimitiveName, StructField, StructType } from '@lake/parquet'
import { SchemaError } from '../errors.js'

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveName>([
  'string', 'long', 'integer', 'short', 'byte', 'float', 'double', 'boolean', 'binary', 'date', 'timestamp',
  'timestamp_ntz', 'void',
])

const DECIMAL = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/
const MAX_DECIMAL_PRECISION = 38

/**
 * Parses a `schemaString` (the JSON of a struct type).
 * @throws SchemaError `InvalidArgument` naming the field path when the JSON is not a valid schema,
 * a type is unknown, or two fields of one struct share a name case-insensitively.
 */
export function parseSchema(schemaString: string): StructType {
  let json: unknown
  try {
    json = JSON.parse(schemaString)
  } catch (cause) {
    throw new SchemaError('InvalidArgument', `invalid schema: expected JSON, found ${schemaString.slice(0, 80)}`, { cause })
  }
  const type = parseDataType(json, '')
  if (type.kind !== 'struct') {
    throw new SchemaError('InvalidArgument', `invalid schema: expected a struct type at the top, found ${type.kind}`)
  }
  return type
}

/**
 * Parses one schema type: a primitive name string (`"long"`, `"decimal(10,2)"`) or a
 * struct/array/map object.
 * @param at - The field path, for messages.
 */
export function parseDataType(json: unknown, at: string): DataType {
  if (typeof json === 'string') return parsePrimitive(json, at)
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail(at, 'a type name or object', json)
  const obj = json as Record<string, unknown>
  switch (obj['type']) {
    case 'struct':
      return parseStruct(obj, at)
    case 'array':
      return {
        kind: 'array',
        elementType: parseDataType(obj['elementType'], `${at}[]`),
        containsNull: optionalBoolean(obj['containsNull'], true, `${at}.containsNull`),
      }
    case 'map':
      return {
        kind: 'map',
        keyType: parseDataType(obj['keyType'], `${at}.key`),
        valueType: parseDataType(obj['valueType'], `${at}.value`),
        valueContainsNull: optionalBoolean(obj['valueContainsNull'], true, `${at}.valueContainsNull`),
      }
    default:
      return fail(at, "'struct', 'array' or 'map'", obj['type'])
  }
}

function parseStruct(obj: Record<string, unknown>, at: string): StructType {
  const fields = obj['fields']
  if (!Array.isArray(fields)) return fail(at, 'a fields array', fields)
  const seen = new Set<string>()
  const parsed = fields.map((f: unknown, i) => {
    const field = parseField(f, at === '' ? `[${i}]` : `${at}[${i}]`, at)
    const folded = field.name.toLowerCase()
    if (seen.has(folded)) {
      throw new SchemaError('InvalidArgument', `invalid schema: duplicate field '${field.name}' in struct '${at || '<root>'}' (names are case-insensitive)`)
    }
    seen.add(folded)
    return field
  })
  return { kind: 'struct', fields: parsed }
}

function parseField(json: unknown, at: string, parent: string): StructField {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail(at, 'a field object', json)
  const obj = json as Record<string, unknown>
  const name = obj['name']
  if (typeof name !== 'string') return fail(`${at}.name`, 'a string', name)
  const path = parent === '' ? name : `${parent}.${name}`
  const metadata = obj['metadata'] ?? {}
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return fail(`${path}.metadata`, 'an object', metadata)
  }
  return {
    name,
    type: parseDataType(obj['type'], path),
    nullable: optionalBoolean(obj['nullable'], true, `${path}.nullable`),
    metadata: metadata as Record<string, unknown>,
  }
}

function parsePrimitive(name: string, at: string): DataType {
  if (PRIMITIVES.has(name)) return { kind: 'primitive', name: name as PrimitiveName }
  if (name === 'decimal') return { kind: 'decimal', precision: 10, scale: 0 } // Spark's default
  const match = DECIMAL.exec(name)
  if (match) {
    const precision = Number(match[1])
    const scale = Number(match[2])
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale > precision) {
      return fail(at, `decimal(p,s) with 1 <= p <= ${MAX_DECIMAL_PRECISION} and s <= p`, name)
    }
    return { kind: 'decimal', precision, scale }
  }
  return fail(at, 'a Delta type name', name)
}

function optionalBoolean(value: unknown, fallback: boolean, at: string): boolean {
  if (value === undefined || value === null) return fallback
  return typeof value === 'boolean' ? value : fail(at, 'a boolean', value)
}

function fail(at: string, expected: string, found: unknown): never {
  throw new SchemaError(
    'InvalidArgument',
    `invalid schema at '${at || '<root>'}': expected ${expected}, found ${JSON.stringify(found) ?? 'nothing'}`,
    { context: { field: at } },
  )
}
