// Runtime casts between atomic types, ANSI mode: a string that is not a value of the target type is
// `InvalidCast`, a number out of the target's range `ArithmeticError`; never a silent NULL or wrap.

import type { DataType, DecimalType, Value } from '@lake/parquet'
import { parseDecimalText } from '../partition/decimal.js'
import { parseValueText } from '../partition/parse-value.js'
import { decimalResult, pow10, rescaleHalfUp } from './decimal-math.js'
import { ExpressionError, arithmeticError } from './expression-error.js'
import { typeName } from './coerce.js'
import { isIntegral, isNumeric, isPrimitive } from './type-rules.js'
import { castToString } from './cast-string.js'

type Cast = (v: Value) => Value

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = { byte: [-128, 127], short: [-32768, 32767], integer: [-2147483648, 2147483647] }
const TRUE_TEXT = new Set(['t', 'true', 'y', 'yes', '1'])
const FALSE_TEXT = new Set(['f', 'false', 'n', 'no', '0'])
const UTF8 = new TextEncoder()

function invalid(v: Value, to: DataType): never {
  throw new ExpressionError('InvalidCast', `cannot cast '${String(v)}' to ${typeName(to)}: expected a value of that type`, { context: { value: String(v), type: typeName(to) } })
}

function overflow(v: Value, to: DataType): never {
  throw arithmeticError(`cannot cast ${String(v)} to ${typeName(to)}: overflow`, { value: String(v) })
}

/** Any numeric value as an exact decimal (integers, decimal strings, finite doubles). */
function toExact(v: Value, to: DataType): { unscaled: bigint; scale: number } {
  if (typeof v === 'bigint') return { unscaled: v, scale: 0 }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) overflow(v, to)
    if (Number.isInteger(v)) return { unscaled: BigInt(v), scale: 0 }
    return parseDecimalText(v.toFixed(20).replace(/0+$/, '')) ?? invalid(v, to)
  }
  return parseDecimalText(String(v)) ?? invalid(v, to)
}

function truncated(v: Value, to: DataType): bigint {
  const d = toExact(v, to)
  return d.unscaled / pow10(d.scale)
}

function numericCast(to: DataType): Cast {
  if (to.kind === 'decimal') return (v) => toDecimal(v, to)
  const name = typeName(to)
  if (name === 'double') return (v) => Number(v)
  if (name === 'float') return (v) => Math.fround(Number(v))
  if (name === 'long') {
    return (v) => {
      if (typeof v === 'boolean') return v ? 1n : 0n
      const n = truncated(v, to)
      return n < -(2n ** 63n) || n >= 2n ** 63n ? overflow(v, to) : n
    }
  }
  const [min, max] = INT_RANGES[name] ?? [0, 0]
  return (v) => {
    if (typeof v === 'boolean') return v ? 1 : 0
    const n = truncated(v, to)
    return n < BigInt(min) || n > BigInt(max) ? overflow(v, to) : Number(n)
  }
}

function toDecimal(v: Value, to: DecimalType): string {
  if (typeof v === 'boolean') return decimalResult(v ? pow10(to.scale) : 0n, to, () => String(v))
  const d = toExact(v, to)
  try {
    return decimalResult(rescaleHalfUp(d.unscaled, d.scale, to.scale), to, () => String(v))
  } catch {
    return overflow(v, to)
  }
}

function fromString(to: DataType): Cast {
  if (isPrimitive(to, 'boolean')) {
    return (v) => {
      const t = (v as string).trim().toLowerCase()
      return TRUE_TEXT.has(t) ? true : FALSE_TEXT.has(t) ? false : invalid(v, to)
    }
  }
  if (isPrimitive(to, 'binary')) return (v) => UTF8.encode(v as string)
  if (isIntegral(to) || to.kind === 'decimal') {
    const num = numericCast(to)
    return (v) => {
      const t = (v as string).trim()
      return parseDecimalText(t) === undefined || /[eE]/.test(t) ? invalid(v, to) : num(t)
    }
  }
  return (v) => {
    const parsed = parseValueText((v as string).trim(), to)
    return parsed.ok ? parsed.value : invalid(v, to)
  }
}

function temporal(from: DataType, to: DataType): Cast {
  const f = typeName(from)
  const t = typeName(to)
  if (t === 'date') return (v) => (v as string).slice(0, 10)
  if (f === 'date') return t === 'timestamp' ? (v) => `${v as string}T00:00:00.000000Z` : (v) => `${v as string}T00:00:00.000000`
  if (t === 'timestamp') return (v) => ((v as string).endsWith('Z') ? v : `${v as string}Z`)
  return (v) => ((v as string).endsWith('Z') ? (v as string).slice(0, -1) : v)
}

/** The cast of non-null values from `from` to `to` (an allowed pair, see cast-rules.ts). */
export function castFunction(from: DataType, to: DataType): Cast {
  if (typeName(from) === typeName(to) && from.kind !== 'decimal') return (v) => v
  if (isPrimitive(to, 'string')) return castToString(from)
  if (isPrimitive(from, 'string')) return fromString(to)
  if (isNumeric(to)) return numericCast(to)
  if (isPrimitive(to, 'boolean')) return (v) => (typeof v === 'bigint' ? v !== 0n : typeof v === 'number' ? v !== 0 : toExact(v, to).unscaled !== 0n)
  return temporal(from, to)
}
