// Exact decimal arithmetic on canonical decimal strings (bigint unscaled values), rounding HALF_UP
// like Spark's Decimal, with ANSI overflow errors when a result needs more digits than its type.

import type { DecimalType } from '@lake/parquet'
import { formatDecimal, parseDecimalText } from '../partition/decimal.js'
import { arithmeticError } from './expression-error.js'

const POW10: bigint[] = Array.from({ length: 80 }, (_x, i) => 10n ** BigInt(i))

/** 10^n as a bigint (cached up to 10^79). */
export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n)
}

/** The unscaled value of a decimal string at `scale` (exact when the string has at most that scale). */
export function unscaledAt(text: string, scale: number): bigint {
  const point = text.indexOf('.')
  const digits = point < 0 ? 0 : text.length - point - 1
  if (digits === scale) {
    // Canonical values of a decimal(p, s) column: exactly `s` fraction digits.
    try {
      return BigInt(point < 0 ? text : text.slice(0, point) + text.slice(point + 1))
    } catch {
      // not plain digits (an exponent, a sign after the point): parsed below
    }
  }
  const d = parseDecimalText(text)
  if (d === undefined) return 0n
  return rescaleHalfUp(d.unscaled, d.scale, scale)
}

/** Rescales an unscaled value from one scale to another, rounding HALF_UP (away from zero on ties). */
export function rescaleHalfUp(unscaled: bigint, from: number, to: number): bigint {
  if (to === from) return unscaled
  if (to > from) return unscaled * pow10(to - from)
  return divideHalfUp(unscaled, pow10(from - to))
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
export function decimalResult(unscaled: bigint, type: DecimalType, what: () => string): string {
  const bound = pow10(type.precision)
  if (unscaled >= bound || unscaled <= -bound) {
    const value = formatDecimal({ unscaled, scale: type.scale })
    throw arithmeticError(`overflow: expected ${what()} to fit decimal(${type.precision},${type.scale}), found ${value}`, { value })
  }
  return formatDecimal({ unscaled, scale: type.scale })
}

/** `unscaledAt` at a fixed scale, remembering the last text (constant operands convert once). */
function unscaler(scale: number): (text: string) => bigint {
  let lastText: string | undefined
  let lastValue = 0n
  return (text) => {
    if (text !== lastText) {
      lastValue = unscaledAt(text, scale)
      lastText = text
    }
    return lastValue
  }
}

/** `a op b` for decimal strings of types `ta`, `tb` into `result` (Spark's DecimalPrecision types). */
export function decimalArith(op: string, ta: DecimalType, tb: DecimalType, result: DecimalType): (a: string, b: string) => string {
  const s = Math.max(ta.scale, tb.scale)
  const finish = (r: bigint, scale: number, a: string, b: string): string => decimalResult(rescaleHalfUp(r, scale, result.scale), result, () => `${a} ${op} ${b}`)
  const x = unscaler(op === '*' ? ta.scale : s)
  const y = unscaler(op === '*' ? tb.scale : s)
  switch (op) {
    case '+':
      return (a, b) => finish(x(a) + y(b), s, a, b)
    case '-':
      return (a, b) => finish(x(a) - y(b), s, a, b)
    case '*':
      return (a, b) => finish(x(a) * y(b), ta.scale + tb.scale, a, b)
    default:
      return (a, b) => {
        const divisor = y(b)
        if (divisor === 0n) throw arithmeticError(`division by zero: expected a non-zero divisor, found ${a} ${op} ${b}`, { value: a })
        if (op === '%') return finish(x(a) % divisor, s, a, b)
        // (x / 10^s) / (y / 10^s) at scale r: x * 10^r / y
        return decimalResult(divideHalfUp(x(a) * pow10(result.scale), divisor), result, () => `${a} ${op} ${b}`)
      }
  }
}
