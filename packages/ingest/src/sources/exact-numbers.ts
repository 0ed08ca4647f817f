// Exact JSON numbers for ingestion: a number's text becomes the value its column needs (bigint
// for long, the exact decimal string for decimal, a double for float/double) before core's
// coercers see it, so nothing is rounded through a double on the way. Pure.

import { JsonNumber, SchemaError } from '@lake/core/encode'
import type { DataType, StructType } from '@lake/parquet'
import { IngestError } from '../errors.js'
import { parseExactJson } from './exact-json.js'
import { describeLine, needsExactParse } from './scan-json-line.js'

const INTEGER = /^-?\d+$/
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/
/** Beyond this exponent a decimal string is not expanded (no Delta decimal holds it anyway). */
const MAX_EXPANDED_EXPONENT = 100

/** Options of `parseJsonExact` and `parseRecordLine`. */
export interface ParseLineOptions {
  /** Objects and arrays nest at most this deep. Default `DEFAULT_MAX_DEPTH` (100). */
  readonly maxDepth?: number
}

/**
 * Parses JSON without rounding: numbers come back as `number` when a double holds them exactly
 * and they were written as integers (or as fractions that are not integral), `bigint` for integers
 * beyond 2^53, and `JsonNumber` (exact text) otherwise: a fraction with more digits than a double
 * keeps, or a double written with a fraction or an exponent whose value is integral (`5.0`, `1e3`),
 * so schema inference still sees a double. `appendRows` and `writeDelta` resolve those against the
 * table schema.
 * @throws IngestError `InvalidArgument` on malformed JSON (the message shows the line), nesting
 *   deeper than `maxDepth`, or a number beyond the double range (`1e999`).
 */
export function parseJsonExact(text: string, options: ParseLineOptions = {}): unknown {
  if (!needsExactParse(text, options.maxDepth)) return parseOrThrow(text)
  return resolveNumbers(parseExactOrThrow(text, options.maxDepth), undefined, '', { keepInexact: true })
}

/**
 * Parses one NDJSON line for a table of `schema`: the fast `JSON.parse` unless the line holds a
 * number it would change; then every number is converted for its column (`resolveNumbers`). With
 * no schema, numbers are kept as `parseJsonExact` keeps them.
 * @throws SchemaError `SchemaMismatch` when a number cannot be its column's type; IngestError on bad JSON.
 */
export function parseRecordLine(text: string, schema: StructType | undefined, options: ParseLineOptions = {}): unknown {
  if (needsExactParse(text, options.maxDepth)) return resolveNumbers(parseExactOrThrow(text, options.maxDepth), schema, '', { keepInexact: schema === undefined })
  const value = parseOrThrow(text)
  if (schema !== undefined) checkLongNumbers(value, schema)
  return value
}

/** Options of `resolveNumbers`. */
export interface ResolveOptions {
  /** Leave a fraction a double cannot hold as a `JsonNumber` where the type is unknown (default: a rounded double). */
  readonly keepInexact?: boolean
  /** Appended to error messages (`' in row 3'`). */
  readonly where?: string
}

/**
 * Replaces every `JsonNumber` inside `value` (plain objects and arrays) by the value its type in
 * `type` needs. Copy-on-write: returns `value` itself when it holds no `JsonNumber`.
 * @throws SchemaError `SchemaMismatch` for a number that is not an integer in a long column.
 */
export function resolveNumbers(value: unknown, type: DataType | undefined, path: string, options: ResolveOptions = {}): unknown {
  if (value instanceof JsonNumber) return numberFor(value, type, path, options)
  if (Array.isArray(value)) {
    const element = type?.kind === 'array' ? type.elementType : undefined
    let out: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      if (typeof item !== 'object' || item === null) continue
      const resolved = resolveNumbers(item, element, `${path}[]`, options)
      if (resolved !== item) (out ??= value.slice())[i] = resolved
    }
    return out ?? value
  }
  if (!isPlainObject(value)) return value
  let out: Record<string, unknown> | undefined
  for (const key in value) {
    const item = value[key]
    if (typeof item !== 'object' || item === null || !Object.hasOwn(value, key)) continue // the common case: a primitive
    const resolved = resolveNumbers(item, childType(type, key), path === '' ? key : `${path}.${key}`, options)
    if (resolved === item) continue
    out ??= copyObject(value)
    Object.defineProperty(out, key, { value: resolved, enumerable: true, writable: true, configurable: true })
  }
  return out ?? value
}

/**
 * `resolveNumbers` over rows of a table of `schema` (`undefined` for a new table: numbers are then
 * kept as `jsonNumberValue` keeps them, for inference): returns `rows` itself when no row holds a `JsonNumber`. `from` is the index of the first row, for messages.
 */
export function resolveRows(rows: readonly unknown[], schema: StructType | undefined, from: number): readonly unknown[] {
  let out: unknown[] | undefined
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]
    const resolved = resolveNumbers(row, schema, '', { where: ` in row ${from + i}`, keepInexact: schema === undefined })
    if (resolved !== row) (out ??= rows.slice())[i] = resolved
  }
  return out ?? rows
}

/**
 * The JS value of a number whose column type is unknown: exact `number` (integers, and fractions that
 * are not integral), `bigint` for integers beyond 2^53, else `JsonNumber` (inexact fractions, and
 * integral values written with a fraction or exponent, which are doubles).
 * @throws IngestError `InvalidArgument` for a number beyond the double range (`1e999`).
 */
export function jsonNumberValue(n: JsonNumber): number | bigint | JsonNumber {
  const x = Number(n.text)
  if (INTEGER.test(n.text)) return Number.isSafeInteger(x) ? x : BigInt(n.text)
  if (!Number.isFinite(x)) throw notFinite(n.text, '', undefined, '')
  return !Number.isInteger(x) && sameDecimal(n.text, String(x)) ? x : n
}

function numberFor(n: JsonNumber, type: DataType | undefined, path: string, options: ResolveOptions): unknown {
  const text = n.text
  if (type?.kind === 'decimal') return plainDecimal(text)
  if (!INTEGER.test(text) && !Number.isFinite(Number(text))) throw notFinite(text, path, type, options.where ?? '')
  if (type?.kind !== 'primitive') return options.keepInexact === true ? jsonNumberValue(n) : INTEGER.test(text) && !Number.isSafeInteger(Number(text)) ? BigInt(text) : Number(text)
  switch (type.name) {
    case 'long': {
      if (INTEGER.test(text)) return BigInt(text)
      const x = Number(text)
      if (Number.isSafeInteger(x)) return x
      throw longMismatch(path, text, options.where ?? '')
    }
    case 'integer':
    case 'short':
    case 'byte':
      return INTEGER.test(text) && !Number.isSafeInteger(Number(text)) ? BigInt(text) : Number(text)
    default:
      return Number(text)
  }
}

/** Fast-path check: a top-level long column holding a number that is not a safe integer. */
function checkLongNumbers(value: unknown, schema: StructType): void {
  if (!isPlainObject(value)) return
  for (const name of longColumns(schema)) {
    const v = value[name]
    if (typeof v === 'number' && !Number.isSafeInteger(v)) throw longMismatch(name, String(v), '')
  }
}

function longMismatch(column: string, text: string, where: string): SchemaError {
  const x = Number(text)
  const why = Number.isInteger(x) ? 'write it as plain integer digits: in exponent form it is read as a double, and beyond 2^53 that is not exact' : 'not an integer'
  return new SchemaError('SchemaMismatch', `column '${column}' expects long (an integer in the int64 range), found ${text}${where}: ${why}`, {
    context: { column, expected: 'long', found: text },
  })
}

function notFinite(text: string, column: string, type: DataType | undefined, where: string): Error {
  const message = `number ${text}${column === '' ? '' : ` in column '${column}'`}${where} is beyond the double range: write it as a string, or declare the column decimal`
  if (type === undefined) return new IngestError('InvalidArgument', message, { context: { found: text } })
  return new SchemaError('SchemaMismatch', message, { context: { column, expected: type.kind === 'primitive' ? type.name : type.kind, found: text } })
}

const LONG_COLUMNS = new WeakMap<StructType, readonly string[]>()

function longColumns(schema: StructType): readonly string[] {
  let names = LONG_COLUMNS.get(schema)
  if (names === undefined) {
    names = schema.fields.filter((f) => f.type.kind === 'primitive' && f.type.name === 'long').map((f) => f.name)
    LONG_COLUMNS.set(schema, names)
  }
  return names
}

function childType(type: DataType | undefined, key: string): DataType | undefined {
  if (type?.kind === 'map') return type.valueType
  if (type?.kind !== 'struct') return undefined
  const folded = key.toLowerCase()
  return (type.fields.find((f) => f.name === key) ?? type.fields.find((f) => f.name.toLowerCase() === folded))?.type
}

/** `"1.5e3"` → `"1500"`, `"-2E-2"` → `"-0.02"`; a plain decimal is returned as is. Exact digit shifting. */
function plainDecimal(text: string): string {
  const m = DECIMAL.exec(text)
  if (m === null || m[4] === undefined || Math.abs(Number(m[4])) > MAX_EXPANDED_EXPONENT) return text
  const digits = `${m[2] ?? ''}${m[3] ?? ''}`
  const point = (m[2] ?? '').length + Number(m[4])
  if (point <= 0) return `${m[1]}0.${'0'.repeat(-point)}${digits}`
  if (point >= digits.length) return `${m[1]}${digits}${'0'.repeat(point - digits.length)}`
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`
}

/** True when two decimal texts denote the same number. */
function sameDecimal(a: string, b: string): boolean {
  return canonicalDecimal(a) === canonicalDecimal(b)
}

/** Sign, significant digits and exponent of a decimal text (`"0.0150"` → `"+15e-3"`). */
function canonicalDecimal(text: string): string {
  const m = DECIMAL.exec(text)
  if (m === null) return text
  const frac = m[3] ?? ''
  let digits = `${m[2] ?? ''}${frac}`.replace(/^0+/, '')
  let exponent = Number(m[4] ?? '0') - frac.length
  const trimmed = digits.replace(/0+$/, '')
  exponent += digits.length - trimmed.length
  digits = trimmed
  return digits === '' ? '0' : `${m[1] === '-' ? '-' : '+'}${digits}e${exponent}`
}

function parseOrThrow(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw new IngestError('InvalidArgument', `invalid JSON (${(cause as Error).message}): found ${describeLine(text)}`, { cause })
  }
}

function parseExactOrThrow(text: string, maxDepth: number | undefined): unknown {
  try {
    return parseExactJson(text, maxDepth)
  } catch (err) {
    if (!(err instanceof IngestError) || err.context['maxDepth'] !== undefined) throw err
    throw new IngestError('InvalidArgument', `${err.message}; the line: ${describeLine(text)}`, { context: err.context, cause: err })
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function copyObject(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: value[key], enumerable: true, writable: true, configurable: true })
  return out
}
