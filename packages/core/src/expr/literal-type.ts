// The natural type of a literal in a value position (Spark): integers by range (int, then bigint,
// then decimal(p,0)), fractions as exact decimals (`1.50` is decimal(3,2)), exponents as double.

import type { DataType } from '@lake/parquet'
import { decimalPrecision, formatDecimal, parseDecimalText } from '../partition/decimal.js'
import type { BoundValue, LiteralRef } from './ast.js'
import { coerceLiteral, hexBytes } from './coerce.js'
import { DOUBLE, VOID } from './type-rules.js'

const INT_MIN = -(2n ** 31n)
const INT_MAX = 2n ** 31n - 1n
const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n

function numberValue(text: string, pos: number): BoundValue {
  if (/^[+-]?\d+$/.test(text)) {
    const n = BigInt(text)
    if (n >= INT_MIN && n <= INT_MAX) return { kind: 'value', value: Number(n), type: { kind: 'primitive', name: 'integer' }, pos }
    if (n >= LONG_MIN && n <= LONG_MAX) return { kind: 'value', value: n, type: { kind: 'primitive', name: 'long' }, pos }
  }
  const d = /[eE]/.test(text) ? undefined : parseDecimalText(text)
  if (d !== undefined) {
    const precision = Math.max(decimalPrecision(d), d.scale, 1)
    if (precision <= 38) return { kind: 'value', value: formatDecimal(d), type: { kind: 'decimal', precision, scale: d.scale }, pos }
  }
  return { kind: 'value', value: Number(text), type: DOUBLE, pos }
}

/** A literal with its natural type. */
export function literalValue(ref: LiteralRef): BoundValue {
  const lit = ref.literal
  const primitive = (name: 'string' | 'boolean' | 'date' | 'timestamp' | 'timestamp_ntz'): DataType => ({ kind: 'primitive', name })
  switch (lit.type) {
    case 'null':
      return { kind: 'value', value: null, type: VOID, pos: ref.pos }
    case 'number':
      return numberValue(lit.text, ref.pos)
    case 'binary':
      return { kind: 'value', value: hexBytes(lit.hex), type: { kind: 'primitive', name: 'binary' }, pos: ref.pos }
    case 'boolean':
      return { kind: 'value', value: lit.value, type: primitive('boolean'), pos: ref.pos }
    case 'string':
      return { kind: 'value', value: lit.value, type: primitive('string'), pos: ref.pos }
    default:
      return coerceLiteral(ref, primitive(lit.type), '<literal>')
  }
}
