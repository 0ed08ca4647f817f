// Which casts the language allows: explicit CAST (Spark's Cast.canCast for atomic types) and store
// assignment (Spark's ANSI store-assignment rules: numeric to numeric, anything atomic to string,
// date to timestamp, timestamp to timestamp_ntz and back; nested types only when equal).

import type { DataType } from '@lake/parquet'
import type { BoundExpression } from './ast.js'
import { expressionType } from './node-kinds.js'
import { isNumeric, isPrimitive, isVoid, typesEqual } from './type-rules.js'

const TEMPORAL = ['date', 'timestamp', 'timestamp_ntz']

function isAtomic(t: DataType): boolean {
  return t.kind === 'primitive' || t.kind === 'decimal'
}

/** Whether `CAST(x AS to)` is allowed for `x` of type `from`. */
export function castAllowed(from: DataType, to: DataType): boolean {
  if (isVoid(from) || typesEqual(from, to)) return true
  if (!isAtomic(from) || !isAtomic(to)) return false
  if (isPrimitive(to, 'string')) return true
  if (isPrimitive(from, 'string')) return !isVoid(to)
  if (isNumeric(to)) return isNumeric(from) || isPrimitive(from, 'boolean')
  if (isPrimitive(to, 'boolean')) return isNumeric(from)
  if (isPrimitive(to, ...TEMPORAL)) return isPrimitive(from, ...TEMPORAL)
  return false
}

/** Whether a value of type `from` may be stored in a column of type `to` (then cast to it). */
export function assignAllowed(from: DataType, to: DataType): boolean {
  if (isVoid(from) || typesEqual(from, to)) return true
  if (!isAtomic(from) || !isAtomic(to)) return false
  if (isNumeric(to)) return isNumeric(from)
  if (isPrimitive(to, 'string')) return true
  if (isPrimitive(to, 'timestamp', 'timestamp_ntz')) return isPrimitive(from, ...TEMPORAL)
  if (isPrimitive(to, 'date')) return isPrimitive(from, 'timestamp', 'timestamp_ntz')
  return false
}

/** The expression cast for storing in `target` (itself when of that type), or undefined when not assignable. */
export function assignmentCast(e: BoundExpression, target: DataType): BoundExpression | undefined {
  const type = expressionType(e)
  if (!assignAllowed(type, target)) return undefined
  if (typesEqual(type, target)) return e
  if (isVoid(type) && e.kind === 'value') return { ...e, type: target }
  return { kind: 'cast', operand: e, to: target, implicit: true, type: target, pos: e.pos }
}
