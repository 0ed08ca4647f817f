// Compiles a Delta data type into a coercer closure (JS input → canonical `Value`), once per
// schema, so per-value work is a direct call. Pure; mismatches throw `SchemaError` with the path.

import type { ArrayType, DataType, MapType, PrimitiveType, StructType, Value } from '@lake/parquet'
import { coerceDecimal, coerceDouble, coerceFloat, coerceLong, coerceSmallInt } from './coerce-numeric.js'
import { coerceDate, coerceTimestamp, coerceTimestampNtz } from './coerce-temporal.js'
import { formatType } from '../schema/format-type.js'
import { describeValue } from './describe-value.js'
import { Mismatch, WRONG_TYPE } from './mismatch.js'
import { schemaMismatch } from '../schema/schema-error.js'
import { SchemaError } from '../errors.js'

/** Coerces one non-null input value; throws `SchemaError` naming `row`. */
export type Coercer = (value: unknown, row: number) => Value

type PrimitiveCoercer = (value: unknown) => Value | Mismatch

const MAX_TEMPLATE_FIELDS = 64 // fields; wider structs are built key by key

/** The coercer of `type` at column path `path` (dotted, `items.element.price`). */
export function compileCoercer(type: DataType, path: string): Coercer {
  switch (type.kind) {
    case 'primitive':
    case 'decimal':
      return wrapPrimitive(primitiveCoercer(type), formatType(type), path)
    case 'struct':
      return compileStruct(type, path)
    case 'array':
      return compileArray(type, path)
    case 'map':
      return compileMap(type, path)
    default: {
      const unreachable: never = type
      return unreachable
    }
  }
}

/** Coerces a possibly-missing value of a field/element: null/undefined → null, or an error when not nullable. */
export function coerceNullable(coerce: Coercer, nullable: boolean, expected: string, path: string): Coercer {
  return (value, row) => {
    if (value !== null && value !== undefined) return coerce(value, row)
    if (nullable) return null
    throw schemaMismatch({ column: path, expected: `${expected} (not null)`, found: describeValue(value), row })
  }
}

/** True for `{}`-like objects (prototype `Object.prototype` or null), the input form of structs. */
export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function primitiveCoercer(type: PrimitiveType | { kind: 'decimal'; precision: number; scale: number }): PrimitiveCoercer {
  if (type.kind === 'decimal') return (v) => coerceDecimal(type.precision, type.scale, v)
  switch (type.name) {
    case 'long':
      return coerceLong
    case 'integer':
    case 'short':
    case 'byte':
      return (v) => coerceSmallInt(type.name, v)
    case 'float':
      return coerceFloat
    case 'double':
      return coerceDouble
    case 'string':
      return (v) => (typeof v === 'string' ? v : WRONG_TYPE)
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : WRONG_TYPE)
    case 'binary':
      return (v) => (v instanceof Uint8Array ? v : WRONG_TYPE)
    case 'date':
      return coerceDate
    case 'timestamp':
      return coerceTimestamp
    case 'timestamp_ntz':
      return coerceTimestampNtz
    case 'void':
      return () => new Mismatch('a void column holds only nulls')
    default: {
      const unreachable: never = type.name
      return unreachable
    }
  }
}

function wrapPrimitive(coerce: PrimitiveCoercer, expected: string, path: string): Coercer {
  return (value, row) => {
    const result = coerce(value)
    if (!(result instanceof Mismatch)) return result
    throw schemaMismatch({ column: path, expected, found: describeValue(value), reason: result.reason, row })
  }
}

function compileStruct(type: StructType, path: string): Coercer {
  const expected = formatType(type)
  const fields = type.fields.map((f) => {
    const fieldPath = path === '' ? f.name : `${path}.${f.name}`
    return { name: f.name, coerce: coerceNullable(compileCoercer(f.type, fieldPath), f.nullable, formatType(f.type), fieldPath) }
  })
  const exact = new Map(type.fields.map((f, i) => [f.name, i]))
  const folded = new Map(type.fields.map((f, i) => [f.name.toLowerCase(), i]))
  const template = objectTemplate(type.fields.map((f) => f.name))
  return (value, row) => {
    if (!isPlainObject(value)) throw schemaMismatch({ column: path, expected, found: describeValue(value), row })
    // Fast path: the keys are (a prefix of) the field names, exactly and in order, as ETL code builds rows.
    let matched = 0
    for (const key in value) {
      if (matched === fields.length || key !== (fields[matched] as (typeof fields)[number]).name) {
        matched = -1
        break
      }
      matched++
    }
    if (matched >= 0) {
      const out: Record<string, Value> = template === undefined ? {} : { ...template }
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i] as (typeof fields)[number]
        out[field.name] = field.coerce(i < matched ? value[field.name] : undefined, row)
      }
      return out
    }
    const slots = new Array<unknown>(fields.length)
    for (const key in value) {
      const at = exact.get(key) ?? folded.get(key.toLowerCase())
      if (at === undefined) throw unknownField(path, key, type, value[key], row)
      if (slots[at] !== undefined && value[key] !== undefined) throw ambiguousField(path, key, type, at, row)
      if (value[key] !== undefined) slots[at] = value[key]
    }
    const out: Record<string, Value> = template === undefined ? {} : { ...template }
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as (typeof fields)[number]
      out[field.name] = field.coerce(slots[i], row)
    }
    return out
  }
}

/**
 * An object with every name set to null, built by `JSON.parse` so all properties sit inside the object
 * (`"__proto__"` included, as an own data property): cloning it (`{ ...template }`) then assigning sets
 * own properties only, and is faster than growing `{}` key by key. Undefined for very wide structs (V8
 * keeps those in dictionary mode, where cloning gains nothing) unless a name is `__proto__`: assigning
 * that key to `{}` would set the prototype, so such structs always start from a template.
 */
function objectTemplate(names: readonly string[]): Readonly<Record<string, null>> | undefined {
  if (names.length > MAX_TEMPLATE_FIELDS && !names.includes('__proto__')) return undefined
  return JSON.parse(`{${names.map((n) => `${JSON.stringify(n)}:null`).join(',')}}`) as Record<string, null>
}

function compileArray(type: ArrayType, path: string): Coercer {
  const elementPath = `${path}.element`
  const element = coerceNullable(compileCoercer(type.elementType, elementPath), type.containsNull, formatType(type.elementType), elementPath)
  const expected = formatType(type)
  return (value, row) => {
    if (!Array.isArray(value)) throw schemaMismatch({ column: path, expected, found: describeValue(value), row })
    return value.map((v: unknown) => element(v, row))
  }
}

function compileMap(type: MapType, path: string): Coercer {
  const key = coerceNullable(compileCoercer(type.keyType, `${path}.key`), false, formatType(type.keyType), `${path}.key`)
  const valuePath = `${path}.value`
  const val = coerceNullable(compileCoercer(type.valueType, valuePath), type.valueContainsNull, formatType(type.valueType), valuePath)
  const expected = formatType(type)
  return (value, row) => {
    const entries = value instanceof Map ? value.entries() : isPlainObject(value) ? Object.entries(value) : undefined
    if (entries === undefined) throw schemaMismatch({ column: path, expected, found: describeValue(value), reason: 'pass a Map or a plain object', row })
    const out = new Map<Value, Value>()
    for (const [k, v] of entries) out.set(key(k, row), val(v, row))
    return out
  }
}

function unknownField(path: string, key: string, type: StructType, value: unknown, row: number): SchemaError {
  const column = path === '' ? key : `${path}.${key}`
  const names = type.fields.map((f) => f.name).join(', ')
  const message =
    `column '${column}' is not in the table schema (fields${path === '' ? '' : ` of '${path}'`}: ${names}), ` +
    `found ${describeValue(value)} in row ${row}\nHelp: write with schemaMode 'merge' to add new columns`
  return new SchemaError('SchemaMismatch', message, {
    context: { column, expected: 'no such column', found: describeValue(value), row },
  })
}

function ambiguousField(path: string, key: string, type: StructType, at: number, row: number): SchemaError {
  const name = type.fields[at]?.name ?? key
  const column = path === '' ? name : `${path}.${name}`
  const message = `column '${column}' is given twice in row ${row} (names match case-insensitively, e.g. '${key}')`
  return new SchemaError('SchemaMismatch', message, { context: { column, expected: 'one value', found: 'two keys', row } })
}
