// Typing rules of the expression language, after Spark's: numeric widening (byte < short < int < long <
// decimal < float < double), decimal result precision/scale of + - * / % (DecimalPrecision, with
// precision loss allowed: at most 38 digits, scale kept >= 6 when digits must go), common types.

import type { DataType, DecimalType } from '@lake/parquet'

const RANK: Readonly<Record<string, number>> = { byte: 1, short: 2, integer: 3, long: 4, float: 6, double: 7 }
const INTEGRAL_DIGITS: Readonly<Record<string, number>> = { byte: 3, short: 5, integer: 10, long: 20 }
const MAX_PRECISION = 38
const MIN_ADJUSTED_SCALE = 6
export const DOUBLE: DataType = { kind: 'primitive', name: 'double' }
export const BOOLEAN: DataType = { kind: 'primitive', name: 'boolean' }
export const STRING: DataType = { kind: 'primitive', name: 'string' }
export const VOID: DataType = { kind: 'primitive', name: 'void' }

/** Whether the type is `void` (the type of a bare NULL). */
export function isVoid(t: DataType): boolean {
  return t.kind === 'primitive' && t.name === 'void'
}

export function isPrimitive(t: DataType, ...names: string[]): boolean {
  return t.kind === 'primitive' && names.includes(t.name)
}

export function isIntegral(t: DataType): boolean {
  return isPrimitive(t, 'byte', 'short', 'integer', 'long')
}

export function isNumeric(t: DataType): boolean {
  return t.kind === 'decimal' || (t.kind === 'primitive' && RANK[t.name] !== undefined)
}

/** The decimal type that holds every value of an integral type (long: decimal(20,0)). */
export function decimalOf(t: DataType): DecimalType | undefined {
  if (t.kind === 'decimal') return t
  const digits = t.kind === 'primitive' ? INTEGRAL_DIGITS[t.name] : undefined
  return digits === undefined ? undefined : { kind: 'decimal', precision: digits, scale: 0 }
}

/** Bounds a decimal result to 38 digits, giving up fraction digits but keeping at least 6 (Spark). */
export function boundedDecimal(precision: number, scale: number): DecimalType {
  if (precision <= MAX_PRECISION) return { kind: 'decimal', precision, scale }
  const intDigits = precision - scale
  const minScale = Math.min(scale, MIN_ADJUSTED_SCALE)
  return { kind: 'decimal', precision: MAX_PRECISION, scale: Math.max(MAX_PRECISION - intDigits, minScale) }
}

function widerDecimal(a: DecimalType, b: DecimalType): DecimalType {
  const scale = Math.max(a.scale, b.scale)
  const range = Math.max(a.precision - a.scale, b.precision - b.scale)
  return { kind: 'decimal', precision: Math.min(MAX_PRECISION, range + scale), scale }
}

function rank(t: DataType): number {
  return t.kind === 'decimal' ? 5 : t.kind === 'primitive' ? (RANK[t.name] ?? 0) : 0
}

/** The narrowest numeric type both numeric types widen to. */
export function widerNumeric(a: DataType, b: DataType): DataType {
  if (a.kind === 'decimal' || b.kind === 'decimal') {
    if (rank(a) > 5 || rank(b) > 5) return DOUBLE
    return widerDecimal(decimalOf(a) as DecimalType, decimalOf(b) as DecimalType)
  }
  return rank(a) >= rank(b) ? a : b
}

/** Result type of `+ - * / %` on decimals (Spark's DecimalPrecision). */
export function decimalArithType(op: string, a: DecimalType, b: DecimalType): DecimalType {
  const [p1, s1, p2, s2] = [a.precision, a.scale, b.precision, b.scale]
  switch (op) {
    case '+':
    case '-': {
      const scale = Math.max(s1, s2)
      return boundedDecimal(Math.max(p1 - s1, p2 - s2) + scale + 1, scale)
    }
    case '*':
      return boundedDecimal(p1 + p2 + 1, s1 + s2)
    case '/': {
      const scale = Math.max(MIN_ADJUSTED_SCALE, s1 + p2 + 1)
      return boundedDecimal(p1 - s1 + s2 + scale, scale)
    }
    default: {
      const scale = Math.max(s1, s2)
      return boundedDecimal(Math.min(p1 - s1, p2 - s2) + scale, scale)
    }
  }
}

/** Result type of an arithmetic operator on two numeric types: `/` on non-decimals is double (Spark). */
export function arithType(op: string, a: DataType, b: DataType): DataType {
  const wide = widerNumeric(a, b)
  if (wide.kind === 'decimal') return decimalArithType(op, decimalOf(a) as DecimalType, decimalOf(b) as DecimalType)
  return op === '/' ? DOUBLE : wide
}

function sameType(a: DataType, b: DataType): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** The type values of both types convert to without loss (CASE branches, COALESCE, IN); undefined when none. */
export function commonType(a: DataType, b: DataType): DataType | undefined {
  if (isVoid(a)) return b
  if (isVoid(b) || sameType(a, b)) return a
  if (isNumeric(a) && isNumeric(b)) return widerNumeric(a, b)
  if (isPrimitive(a, 'date', 'timestamp') && isPrimitive(b, 'date', 'timestamp')) return { kind: 'primitive', name: 'timestamp' }
  if (isPrimitive(a, 'date', 'timestamp_ntz') && isPrimitive(b, 'date', 'timestamp_ntz')) return { kind: 'primitive', name: 'timestamp_ntz' }
  return undefined
}

/** Whether two types are equal. */
export function typesEqual(a: DataType, b: DataType): boolean {
  return sameType(a, b)
}
