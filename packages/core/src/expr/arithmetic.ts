// Arithmetic on non-null values of one operand type (the binder casts both sides to it): exact
// integers with ANSI overflow errors, IEEE floats (float rounded to 32 bits), exact decimals.

import type { DataType, DecimalType, Value } from '@lake/parquet'
import { decimalArith, decimalResult, unscaledAt } from './decimal-math.js'
import { arithmeticError } from './expression-error.js'
import { typeName } from './coerce.js'

type Binary = (a: Value, b: Value) => Value

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
}
const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n

function divisionByZero(a: Value, op: string): never {
  throw arithmeticError(`division by zero: expected a non-zero divisor, found ${String(a)} ${op} 0`, { value: String(a) })
}

function checkedInt(type: DataType, op: string): Binary {
  const [min, max] = INT_RANGES[typeName(type)] ?? [-Infinity, Infinity]
  const range = (r: number, a: Value, b: Value): number => {
    if (r < min || r > max) throw arithmeticError(`overflow: expected ${String(a)} ${op} ${String(b)} to fit ${typeName(type)}, found ${String(r)}`, { value: String(r) })
    return r
  }
  switch (op) {
    case '+':
      return (a, b) => range((a as number) + (b as number), a, b)
    case '-':
      return (a, b) => range((a as number) - (b as number), a, b)
    case '*':
      return (a, b) => range((a as number) * (b as number), a, b)
    default:
      return (a, b) => ((b as number) === 0 ? divisionByZero(a, op) : range((a as number) % (b as number), a, b))
  }
}

function checkedLong(op: string): Binary {
  const range = (r: bigint, a: Value, b: Value): bigint => {
    if (r < LONG_MIN || r > LONG_MAX) throw arithmeticError(`overflow: expected ${String(a)} ${op} ${String(b)} to fit long, found ${String(r)}`, { value: String(r) })
    return r
  }
  switch (op) {
    case '+':
      return (a, b) => range((a as bigint) + (b as bigint), a, b)
    case '-':
      return (a, b) => range((a as bigint) - (b as bigint), a, b)
    case '*':
      return (a, b) => range((a as bigint) * (b as bigint), a, b)
    default:
      return (a, b) => ((b as bigint) === 0n ? divisionByZero(a, op) : (a as bigint) % (b as bigint))
  }
}

function floating(op: string, round: (n: number) => number): Binary {
  switch (op) {
    case '+':
      return (a, b) => round((a as number) + (b as number))
    case '-':
      return (a, b) => round((a as number) - (b as number))
    case '*':
      return (a, b) => round((a as number) * (b as number))
    case '/':
      return (a, b) => ((b as number) === 0 ? divisionByZero(a, op) : round((a as number) / (b as number)))
    default:
      return (a, b) => ((b as number) === 0 ? divisionByZero(a, op) : round((a as number) % (b as number)))
  }
}

/** `a op b` for operands of types `left`/`right` (equal unless decimal) giving `result`. */
export function arithFunction(op: string, left: DataType, right: DataType, result: DataType): Binary {
  if (result.kind === 'decimal') return decimalArith(op, left as DecimalType, right as DecimalType, result) as Binary
  const name = typeName(left)
  if (name === 'long') return checkedLong(op)
  if (name === 'double') return floating(op, (n) => n)
  if (name === 'float') return floating(op, Math.fround)
  return checkedInt(left, op)
}

/** Unary minus on a non-null value of `type` (ANSI: `-(-2147483648)` overflows int). */
export function negateFunction(type: DataType): (v: Value) => Value {
  if (type.kind === 'decimal') return (v) => decimalResult(-unscaledAt(v as string, type.scale), type, () => `-${String(v)}`)
  const name = typeName(type)
  if (name === 'long') return checkedLong('-').bind(null, 0n) as (v: Value) => Value
  if (name === 'float' || name === 'double') return (v) => -(v as number)
  const sub = checkedInt(type, '-')
  return (v) => sub(0, v)
}
