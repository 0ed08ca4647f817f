// Coercion of JS inputs into the exact values of Delta's numeric types (long = bigint,
// decimal = canonical string). Pure; lossy inputs come back as a `Mismatch`, never rounded.

import type { PrimitiveName } from '@lake/parquet'
import { Mismatch, WRONG_TYPE } from './mismatch.js'
import { JsonNumber } from '../expr/lossless-json.js'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const FLOAT32_MAX = 3.4028234663852886e38 // largest finite float32
const INTEGER_STRING = /^[+-]?\d+$/
const DECIMAL_STRING = /^([+-])?(\d*)(?:\.(\d*))?$/

const INT_RANGES: Readonly<Partial<Record<PrimitiveName, readonly [number, number]>>> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
}

/** long ← bigint in int64 range, a safe-integer number, a decimal-digit string (`"-42"`), or a JsonNumber of an integer. */
export function coerceLong(value: unknown): bigint | Mismatch {
  if (value instanceof JsonNumber) return coerceLong(INTEGER_STRING.test(value.text) ? BigInt(value.text) : Number(value.text))
  let result: bigint
  if (typeof value === 'bigint') result = value
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return new Mismatch('not a safe integer; pass a bigint')
    return BigInt(value)
  } else if (typeof value === 'string') {
    if (!INTEGER_STRING.test(value)) return new Mismatch('not an integer string')
    result = BigInt(value)
  } else return WRONG_TYPE
  return result < INT64_MIN || result > INT64_MAX ? new Mismatch('out of the int64 range') : result
}

/** byte / short / integer ← an integral number or bigint within the type's range. */
export function coerceSmallInt(name: PrimitiveName, value: unknown): number | Mismatch {
  if (value instanceof JsonNumber) return coerceSmallInt(name, INTEGER_STRING.test(value.text) ? BigInt(value.text) : Number(value.text))
  const [min, max] = INT_RANGES[name] ?? [0, -1]
  let n: number
  if (typeof value === 'number') n = value
  else if (typeof value === 'bigint') {
    if (value < BigInt(min) || value > BigInt(max)) return new Mismatch(`out of range ${min}..${max}`)
    return Number(value)
  } else return WRONG_TYPE
  if (!Number.isInteger(n)) return new Mismatch('not an integer')
  return n < min || n > max ? new Mismatch(`out of range ${min}..${max}`) : n
}

/** float ← any number within float32 range (rounded to the nearest float32, as it is stored); NaN and ±Infinity kept. */
export function coerceFloat(value: unknown): number | Mismatch {
  if (value instanceof JsonNumber) return finiteDouble(value, coerceFloat)
  if (typeof value !== 'number') return WRONG_TYPE
  if (Number.isFinite(value) && Math.abs(value) > FLOAT32_MAX) return new Mismatch('out of the float32 range')
  return Math.fround(value)
}

/** double ← any number (NaN and ±Infinity included), or a JsonNumber within the double range (nearest double). */
export function coerceDouble(value: unknown): number | Mismatch {
  if (value instanceof JsonNumber) return finiteDouble(value, coerceDouble)
  return typeof value === 'number' ? value : WRONG_TYPE
}

/** A JsonNumber's nearest double, refused when the text is beyond the double range (`1e999`). */
function finiteDouble(value: JsonNumber, coerce: (n: number) => number | Mismatch): number | Mismatch {
  const n = Number(value.text)
  return Number.isFinite(n) ? coerce(n) : new Mismatch('beyond the double range')
}

/**
 * decimal(p,s) ← a plain decimal string (`"-12.5"`, no exponent), a finite number (through its
 * shortest round-trip decimal form, `0.1` → `"0.1"`), a bigint, or a JsonNumber (its exact digits). Returns the canonical string
 * with exactly `s` fractional digits (`"1.5"` → `"1.50"`); more significant fractional digits
 * than `s`, or more than `p - s` integer digits, is a `Mismatch` (never rounded).
 */
export function coerceDecimal(precision: number, scale: number, value: unknown): string | Mismatch {
  let text: string
  if (typeof value === 'string') {
    if (isCanonicalDecimal(value, precision, scale)) return value
    text = value
  }
  else if (typeof value === 'bigint') text = value.toString()
  else if (value instanceof JsonNumber) text = expandJsonExponent(value.text)
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return new Mismatch('not a finite number')
    text = expandExponent(String(value))
  } else return WRONG_TYPE
  const match = DECIMAL_STRING.exec(text)
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) return new Mismatch('not a decimal number')
  const intDigits = (match[2] ?? '').replace(/^0+/, '')
  const frac = (match[3] ?? '').replace(/0+$/, '')
  if (frac.length > scale) return new Mismatch(`${frac.length} fractional digits > scale ${scale}`)
  if (intDigits.length > precision - scale) {
    return new Mismatch(`${intDigits.length} integer digits > precision ${precision} - scale ${scale}`)
  }
  const isZero = intDigits === '' && frac === ''
  const sign = match[1] === '-' && !isZero ? '-' : ''
  const fraction = scale > 0 ? `.${frac.padEnd(scale, '0')}` : ''
  return `${sign}${intDigits === '' ? '0' : intDigits}${fraction}`
}

/**
 * True when `text` is already the canonical form `coerceDecimal` returns: optional `-`, integer digits
 * without leading zeros (or a single `0`), `.` and exactly `scale` digits when `scale > 0`, within
 * `precision - scale` integer digits, and not a negative zero.
 */
function isCanonicalDecimal(text: string, precision: number, scale: number): boolean {
  const negative = text.charCodeAt(0) === 45 // '-'
  let i = negative ? 1 : 0
  const intStart = i
  while (isDigit(text.charCodeAt(i))) i++
  const intLength = i - intStart
  if (intLength === 0 || (intLength > 1 && text.charCodeAt(intStart) === 48)) return false
  const isIntZero = intLength === 1 && text.charCodeAt(intStart) === 48
  if ((isIntZero ? 0 : intLength) > precision - scale) return false
  if (scale === 0) return i === text.length && !(negative && isIntZero)
  if (text.charCodeAt(i) !== 46 || text.length !== i + 1 + scale) return false // '.'
  let isZero = isIntZero
  for (let j = i + 1; j < text.length; j++) {
    const code = text.charCodeAt(j)
    if (!isDigit(code)) return false
    if (code !== 48) isZero = false
  }
  return !(negative && isZero)
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/** A JSON number's text without exponent (`"1.25E2"` → `"125"`); exponents beyond ±100 are left (no decimal holds them). */
function expandJsonExponent(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text)
  if (match === null || Math.abs(Number(match[4])) > 100) return text
  const digits = `${match[2] ?? ''}${match[3] ?? ''}`
  const pointAt = (match[2] ?? '').length + Number(match[4])
  if (pointAt <= 0) return `${match[1]}0.${'0'.repeat(-pointAt)}${digits}`
  if (pointAt >= digits.length) return `${match[1]}${digits}${'0'.repeat(pointAt - digits.length)}`
  return `${match[1]}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`
}

/** `"1.5e-7"` → `"0.00000015"`, `"1e+21"` → `"1000000000000000000000"`; other strings unchanged. */
function expandExponent(text: string): string {
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text)
  if (match === null) return text
  const digits = `${match[2] ?? ''}${match[3] ?? ''}`
  const pointAt = 1 + Number(match[4])
  if (pointAt <= 0) return `${match[1]}0.${'0'.repeat(-pointAt)}${digits}`
  if (pointAt >= digits.length) return `${match[1]}${digits}${'0'.repeat(pointAt - digits.length)}`
  return `${match[1]}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`
}
