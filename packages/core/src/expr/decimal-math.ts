// Exact decimal arithmetic on canonical decimal strings (bigint unscaled values), rounding HALF_UP
// like Spark's Decimal, with ANSI overflow errors when a result needs more digits than its type.

import type { DecimalType } from '@lake/parquet'
import { formatDecimal, parseDecimalText } from '../partition/decimal.js'
import { arithmeticError } from './expression-error.js'

/** The unscaled value of a decimal string at `scale` (exact when the string has at most that scale). */
export function unscaledAt(text: string, scale: number): bigint {
  const d = parseDecimalText(text)
  if (d === undefined) return 0n
  return rescaleHalfUp(d.unscaled, d.scale, scale)
}

/** Rescales an unscaled value from one scale to another, rounding HALF_UP (away from zero on ties). */
export function rescaleHalfUp(unscaled: bigint, from: number, to: number): bigint {
  if (to >= from) return unscaled * 10n ** BigInt(to - from)
  return divideHalfUp(unscaled, 10n ** BigInt(from - to))
}

/** `a / b` rounded HALF_UP; `b` is not zero. */
export function divideHalfUp(a: bigint, b: bigint): bigint {
  const q = a / b
  const r = a % b
  if (r === 0n) return q
  const twice = (r < 0n ? -r : r) * 2n
  const away = twice >= (b < 0n ? -b : b)
  if (!away) return q
  return (a < 0n) !== (b < 0n) ? q - 1n : q + 1n
}

/**
 * The canonical string of `unscaled` at `type.scale`.
 * @throws ExpressionError `ArithmeticError` when it needs more than `type.precision` digits.
 */
export function decimalResult(unscaled: bigint, type: DecimalType, what: string): string {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().length
  if (unscaled !== 0n && digits > type.precision) {
    const value = formatDecimal({ unscaled, scale: type.scale })
    throw arithmeticError(`overflow: expected ${what} to fit decimal(${type.precision},${type.scale}), found ${value}`, { value })
  }
  return formatDecimal({ unscaled, scale: type.scale })
}

/** `a op b` for decimal strings of types `ta`, `tb` into `result` (Spark's DecimalPrecision types). */
export function decimalArith(op: string, a: string, b: string, ta: DecimalType, tb: DecimalType, result: DecimalType): string {
  const what = `${a} ${op} ${b}`
  const s = Math.max(ta.scale, tb.scale)
  const x = unscaledAt(a, s)
  const y = unscaledAt(b, s)
  switch (op) {
    case '+':
      return decimalResult(rescaleHalfUp(x + y, s, result.scale), result, what)
    case '-':
      return decimalResult(rescaleHalfUp(x - y, s, result.scale), result, what)
    case '*':
      return decimalResult(rescaleHalfUp(x * y, 2 * s, result.scale), result, what)
    default: {
      if (y === 0n) throw arithmeticError(`division by zero: expected a non-zero divisor, found ${what}`, { value: a })
      if (op === '%') return decimalResult(rescaleHalfUp(x % y, s, result.scale), result, what)
      // (x / 10^s) / (y / 10^s) at scale r: x * 10^r / y
      return decimalResult(divideHalfUp(x * 10n ** BigInt(result.scale), y), result, what)
    }
  }
}
