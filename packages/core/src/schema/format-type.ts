// Human-readable names of Delta data types for error messages (`decimal(10,2)`, `array<long>`,
// `struct<a:long,b:string>`). Pure; the schema JSON form lives in `schema/serialize-schema.ts`.

import type { DataType } from '@lake/parquet'
import { JsonNumber } from '../expr/lossless-json.js'

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

const MAX_PREVIEW_CHARS = 40 // characters of a string value quoted in messages

/** A short description of a JS value for messages: `string "12.345"`, `number 1.5`, `Date 2024-…`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  switch (typeof value) {
    case 'string': {
      const shown = value.length > MAX_PREVIEW_CHARS ? `${value.slice(0, MAX_PREVIEW_CHARS)}…` : value
      return `string ${JSON.stringify(shown)}`
    }
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`
    case 'bigint':
      return `bigint ${value}n`
    case 'object':
      return describeObject(value)
    default:
      return typeof value
  }
}

function describeObject(value: object): string {
  if (value instanceof JsonNumber) return `number ${value.text}`
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Date (invalid)' : `Date ${value.toISOString()}`
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`
  if (Array.isArray(value)) return `array(${value.length})`
  if (value instanceof Map) return `Map(${value.size})`
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto === Object.prototype || proto === null) return 'object'
  return `object ${value.constructor.name}`
}
