// Literal coercion for binding: a parsed literal becomes a typed value of the column type it is
// compared with (Spark-like implicit casts), or an InvalidPredicate error naming both types.

import type { DataType, Value } from '@lake/parquet'
import { formatDecimal, parseDecimalText } from '../partition/decimal.js'
import { parseValueText } from '../partition/parse-value.js'
import { formatTimestamp, formatTimestampNtz, parseTimestampMicros } from '../partition/temporal.js'
import type { BoundValue, LiteralRef, LiteralToken } from './ast.js'
import { PredicateError } from './predicate-error.js'

const DOUBLE: DataType = { kind: 'primitive', name: 'double' }
const INTEGRAL = new Set(['byte', 'short', 'integer', 'long'])

/** `long`, `decimal(10,2)`, `struct`, ...: a type as the schema JSON spells it. */
export function typeName(type: DataType): string {
  return type.kind === 'primitive' ? type.name : type.kind === 'decimal' ? `decimal(${type.precision},${type.scale})` : type.kind
}

/** Whether values of the type can be ordered (primitives and decimals, not nested types). */
export function isComparable(type: DataType): boolean {
  return type.kind === 'decimal' || (type.kind === 'primitive' && type.name !== 'void')
}

function literalText(lit: LiteralToken): string {
  switch (lit.type) {
    case 'null':
      return 'NULL'
    case 'boolean':
      return String(lit.value)
    case 'number':
      return `number ${lit.text}`
    case 'string':
      return `string '${lit.value}'`
    case 'binary':
      return `X'${lit.hex}'`
    default:
      return `${lit.type.toUpperCase()} '${lit.value}'`
  }
}

/** The bytes of an even-length hex string. */
export function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return bytes
}

function coerceNumber(text: string, type: DataType): { value: Value; type: DataType } | undefined {
  if (type.kind === 'decimal') {
    const d = parseDecimalText(text)
    return d === undefined ? undefined : { value: formatDecimal(d), type }
  }
  if (type.kind !== 'primitive') return undefined
  if (INTEGRAL.has(type.name)) {
    const parsed = parseValueText(text, type)
    if (parsed.ok) return { value: parsed.value, type }
    // A fraction compared with an integer column compares as double (`id > 1.5`).
    return /^[+-]?\d+$/.test(text) ? undefined : { value: Number(text), type: DOUBLE }
  }
  if (type.name === 'float' || type.name === 'double') {
    const parsed = parseValueText(text, type)
    return parsed.ok ? { value: parsed.value, type } : undefined
  }
  return undefined
}

function coerceTemporal(lit: LiteralToken & { value: string }, type: DataType): Value | undefined {
  if (type.kind !== 'primitive') return undefined
  const parsed = parseTimestampMicros(lit.value)
  if (parsed === undefined) return undefined
  if (lit.type === 'date') {
    if (type.name === 'date') return formatTimestamp(parsed.micros).slice(0, 10)
    if (type.name === 'timestamp') return formatTimestamp(parsed.micros)
    return type.name === 'timestamp_ntz' ? formatTimestampNtz(parsed.micros) : undefined
  }
  if (type.name === 'timestamp') return formatTimestamp(parsed.micros)
  // A zone-less TIMESTAMP or a TIMESTAMP_NTZ reads as UTC wall-clock time.
  return type.name === 'timestamp_ntz' ? formatTimestampNtz(parsed.micros) : undefined
}

function coerceValue(lit: LiteralToken, type: DataType): { value: Value; type: DataType } | undefined {
  switch (lit.type) {
    case 'null':
      return { value: null, type }
    case 'boolean':
      return type.kind === 'primitive' && type.name === 'boolean' ? { value: lit.value, type } : undefined
    case 'number':
      return coerceNumber(lit.text, type)
    case 'string': {
      const parsed = isComparable(type) ? parseValueText(lit.value, type) : undefined
      return parsed?.ok === true ? { value: parsed.value, type } : undefined
    }
    case 'binary':
      return type.kind === 'primitive' && type.name === 'binary' ? { value: hexBytes(lit.hex), type } : undefined
    default: {
      const value = coerceTemporal(lit, type)
      return value === undefined ? undefined : { value, type }
    }
  }
}

/**
 * The literal as a value of `type`, the type of column `column`.
 * @throws PredicateError when the literal is not a value of that type (or the type has no order).
 */
export function coerceLiteral(ref: LiteralRef, type: DataType, column: string): BoundValue {
  const coerced = isComparable(type) || ref.literal.type === 'null' ? coerceValue(ref.literal, type) : undefined
  if (coerced === undefined) {
    throw new PredicateError(
      `column '${column}' has type ${typeName(type)}: expected a literal of type ${typeName(type)}, found ${literalText(ref.literal)}`,
      ref.pos,
      { context: { column } },
    )
  }
  return { kind: 'value', value: coerced.value, type: coerced.type, pos: ref.pos }
}

/** A literal with its own natural type (for literal-only comparisons): integers are long, fractions decimal. */
export function naturalValue(ref: LiteralRef): BoundValue {
  const lit = ref.literal
  const primitive = (name: 'long' | 'double' | 'string' | 'boolean' | 'void' | 'date' | 'timestamp' | 'timestamp_ntz' | 'binary'): DataType => ({ kind: 'primitive', name })
  let type: DataType
  switch (lit.type) {
    case 'null':
      type = primitive('void')
      break
    case 'number': {
      const d = parseDecimalText(lit.text)
      type = /^[+-]?\d+$/.test(lit.text) ? primitive('long') : d !== undefined && d.scale <= 38 ? { kind: 'decimal', precision: 38, scale: d.scale } : primitive('double')
      break
    }
    default:
      type = primitive(lit.type)
  }
  return type.kind === 'primitive' && type.name === 'void' ? { kind: 'value', value: null, type, pos: ref.pos } : coerceLiteral(ref, type, '<literal>')
}
