// Infers a Delta schema from JS rows (creating a table from rows, discovering new columns under
// mergeSchema). Pure. Every inferred field is nullable; `void` marks columns seen only as null.

import type { DataType, StructField, StructType } from '@lake/parquet'
import { SchemaError } from '../errors.js'
import { formatType } from '../schema/format-type.js'
import { describeValue } from './describe-value.js'
import { isPlainObject } from './compile-coercer.js'
import { JsonNumber } from '../expr/lossless-json.js'

const VOID: DataType = { kind: 'primitive', name: 'void' }
const LONG: DataType = { kind: 'primitive', name: 'long' }
const DOUBLE: DataType = { kind: 'primitive', name: 'double' }
const INTEGER_TEXT = /^-?\d+$/

/**
 * The schema of `rows`, columns in first-seen order, all nullable.
 *
 * | JS value | inferred type |
 * |---|---|
 * | number | long if every value of the column is an integer, else double |
 * | bigint | long |
 * | JsonNumber (exact JSON number text) | long when written as an integer, double when written with a fraction or exponent (`5.0`, `1e3`) |
 * | string | string |
 * | boolean | boolean |
 * | Date | timestamp |
 * | Uint8Array / Buffer | binary |
 * | array | array of the unified element type (containsNull) |
 * | Map | map of the unified key and value types |
 * | plain object | struct, fields unified across rows (case-insensitively, first casing kept) |
 * | null / undefined only | void (cannot be written: pass a schema, or merge into a typed column) |
 *
 * Decimals, dates, timestamp_ntz and the small integer types are never inferred: declare them in a schema.
 * @throws SchemaError `SchemaMismatch` when a column holds values of two types (e.g. long and string),
 *   or a value of no Delta type (a function, a class instance), naming the column.
 */
export function inferSchema(rows: readonly unknown[]): StructType {
  let schema: StructType = { kind: 'struct', fields: [] }
  rows.forEach((row, index) => {
    if (!isPlainObject(row)) {
      throw new SchemaError('SchemaMismatch', `row ${index} must be a plain object of columns, found ${describeValue(row)}`, {
        context: { row: index },
      })
    }
    schema = unifyStruct(schema, inferStruct(row, ''), '')
  })
  return schema
}

function inferType(value: unknown, path: string): DataType {
  if (value === null || value === undefined) return VOID
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? LONG : DOUBLE
    case 'bigint':
      return LONG
    case 'string':
      return { kind: 'primitive', name: 'string' }
    case 'boolean':
      return { kind: 'primitive', name: 'boolean' }
    default:
      return inferObjectType(value, path)
  }
}

function inferObjectType(value: unknown, path: string): DataType {
  if (value instanceof JsonNumber) return INTEGER_TEXT.test(value.text) ? LONG : DOUBLE
  if (value instanceof Date) return { kind: 'primitive', name: 'timestamp' }
  if (value instanceof Uint8Array) return { kind: 'primitive', name: 'binary' }
  if (Array.isArray(value)) {
    const elementType = value.reduce<DataType>((acc, v: unknown) => unify(acc, inferType(v, `${path}.element`), `${path}.element`), VOID)
    return { kind: 'array', elementType, containsNull: true }
  }
  if (value instanceof Map) {
    let keyType = VOID
    let valueType = VOID
    for (const [k, v] of value) {
      keyType = unify(keyType, inferType(k, `${path}.key`), `${path}.key`)
      valueType = unify(valueType, inferType(v, `${path}.value`), `${path}.value`)
    }
    return { kind: 'map', keyType, valueType, valueContainsNull: true }
  }
  if (isPlainObject(value)) return inferStruct(value, path)
  throw new SchemaError('SchemaMismatch', `column '${path}' holds ${describeValue(value)}, which has no Delta type`, {
    context: { column: path, found: describeValue(value) },
  })
}

function inferStruct(value: Readonly<Record<string, unknown>>, path: string): StructType {
  const fields: StructField[] = []
  for (const [name, v] of Object.entries(value)) {
    const at = path === '' ? name : `${path}.${name}`
    fields.push({ name, type: inferType(v, at), nullable: true, metadata: {} })
  }
  return unifyStruct({ kind: 'struct', fields: [] }, { kind: 'struct', fields }, path)
}

function unify(a: DataType, b: DataType, path: string): DataType {
  if (a.kind === 'primitive' && a.name === 'void') return b
  if (b.kind === 'primitive' && b.name === 'void') return a
  if (a.kind === 'struct' && b.kind === 'struct') return unifyStruct(a, b, path)
  if (a.kind === 'array' && b.kind === 'array') {
    return { ...a, elementType: unify(a.elementType, b.elementType, `${path}.element`) }
  }
  if (a.kind === 'map' && b.kind === 'map') {
    return { ...a, keyType: unify(a.keyType, b.keyType, `${path}.key`), valueType: unify(a.valueType, b.valueType, `${path}.value`) }
  }
  const [x, y] = [formatType(a), formatType(b)]
  if (x === y) return a
  if ((x === 'long' && y === 'double') || (x === 'double' && y === 'long')) return DOUBLE
  throw new SchemaError('SchemaMismatch', `cannot infer one type for column '${path}': found values of type ${x} and ${y}`, {
    context: { column: path, expected: x, found: y },
  })
}

function unifyStruct(a: StructType, b: StructType, path: string): StructType {
  const fields = [...a.fields]
  const index = new Map(fields.map((f, i) => [f.name.toLowerCase(), i]))
  for (const f of b.fields) {
    const at = index.get(f.name.toLowerCase())
    const existing = at === undefined ? undefined : fields[at]
    if (at === undefined || existing === undefined) {
      index.set(f.name.toLowerCase(), fields.length)
      fields.push(f)
    } else {
      fields[at] = { ...existing, type: unify(existing.type, f.type, path === '' ? existing.name : `${path}.${existing.name}`) }
    }
  }
  return { kind: 'struct', fields }
}
