// Total orders on Delta values of one comparable type, exact for every representation: bigint vs
// number, decimal strings of any scale, timestamps in any ISO form, strings by code point, bytes.

import type { DataType, Value } from '@lake/parquet'
import { compareDecimalText } from '../partition/decimal.js'
import { parseTimestampMicros } from '../partition/temporal.js'

const CANONICAL_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z?$/

/** Numbers and bigints compared exactly; NaN equals NaN and is above everything (Spark's order). */
export function compareNumeric(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1
    return a < b ? -1 : a > b ? 1 : 0
  }
  if (typeof a === 'number') return -compareNumeric(b, a)
  // a is a bigint, b a number
  const n = b as number
  if (Number.isNaN(n) || n === Infinity) return -1
  if (n === -Infinity) return 1
  const floor = BigInt(Math.floor(n))
  if (a !== floor) return a < floor ? -1 : 1
  return Number.isInteger(n) ? 0 : -1
}

/** Strings by Unicode code point (UTF-8 byte order, as Spark compares), not UTF-16 units. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // Surrogates (0xD800-0xDFFF) encode code points above every BMP char, so lift them above 0xFFFF.
    const cx = x >= 0xd800 && x <= 0xdfff ? x + 0x10000 : x
    const cy = y >= 0xd800 && y <= 0xdfff ? y + 0x10000 : y
    return cx < cy ? -1 : 1
  }
  return a.length - b.length
}

/** Byte arrays, unsigned lexicographic. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0)
  return a.length - b.length
}

/** Timestamps (or timestamp_ntz) as text: canonical forms compare as text, others through micros. */
export function compareTimestampText(a: string, b: string): number {
  if (CANONICAL_TS.test(a) && CANONICAL_TS.test(b)) return a < b ? -1 : a > b ? 1 : 0
  const x = parseTimestampMicros(a)?.micros ?? 0n
  const y = parseTimestampMicros(b)?.micros ?? 0n
  return x < y ? -1 : x > y ? 1 : 0
}

function isNumeric(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint'
}

/**
 * Compares two non-null values of the comparable type `type` (both sides already coerced to a
 * compatible type). Values of mismatched JS types compare by their kind name so the order stays total.
 */
export function compareValues(a: Value, b: Value, type: DataType): number {
  if (type.kind === 'decimal' && (typeof a === 'string' || isNumeric(a)) && (typeof b === 'string' || isNumeric(b))) {
    return compareDecimalText(String(a), String(b))
  }
  if (isNumeric(a) && isNumeric(b)) return compareNumeric(a, b)
  if (typeof a === 'string' && typeof b === 'string') {
    if (type.kind === 'primitive' && (type.name === 'timestamp' || type.name === 'timestamp_ntz')) return compareTimestampText(a, b)
    return compareStrings(a, b)
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b)
  return compareStrings(typeof a, typeof b)
}
