// Short descriptions of JS row values for error messages (`string "12.345"`, `number 1.5`,
// `Date 2024-…`): what a coercion or an inference found where a column's type was expected.

import { JsonNumber } from '../expr/lossless-json.js'

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
