// What value binders share: the binder's interface (with the operation time mode), implicit casts,
// common types of several expressions.

import type { DataType } from '@lake/parquet'
import type { BoundExpression, BoundPredicate, BoundValue, Expression, Predicate } from './ast.js'
import { castFunction } from './cast.js'
import { ExpressionError } from './expression-error.js'
import { typeName } from './coerce.js'
import { expressionType } from './node-kinds.js'
import { PredicateError } from './predicate-error.js'
import { commonType, isVoid, typesEqual } from './type-rules.js'

/** What value binders need from the binder. */
export interface Binding {
  expr(e: Expression): BoundExpression
  predicate(p: Predicate): BoundPredicate
  /**
   * `current_timestamp()` / `current_date()`: `deferred` keeps the call (compiled with an EvalContext),
   * a number folds it to that instant (ms), `refused` makes it a bind error (no operation time here).
   */
  readonly now: 'deferred' | 'refused' | number
}

/** `e` as type `to`: itself when already of it, else an implicit cast (NULL literals just take the type). */
export function implicitCast(e: BoundExpression, to: DataType): BoundExpression {
  const type = expressionType(e)
  if (typesEqual(type, to)) return e
  if (e.kind === 'value') return isVoid(type) || e.value === null ? { ...e, type: to } : foldedCast(e, to)
  return { kind: 'cast', operand: e, to, implicit: true, type: to, pos: e.pos }
}

/** A literal cast at bind time (a cast that fails stays a cast node: its error is a runtime one). */
function foldedCast(e: BoundValue, to: DataType): BoundExpression {
  try {
    return { kind: 'value', value: castFunction(e.type, to)(e.value), type: to, pos: e.pos }
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err
    return { kind: 'cast', operand: e, to, implicit: true, type: to, pos: e.pos }
  }
}

/** The common type of several bound expressions, or a type error at the first that does not fit. */
export function commonTypeOf(items: readonly BoundExpression[], what: string): DataType {
  let type: DataType = { kind: 'primitive', name: 'void' }
  for (const item of items) {
    const t = expressionType(item)
    const common = commonType(type, t)
    if (common === undefined) throw new PredicateError(`${what} have incompatible types: expected ${typeName(type)}, found ${typeName(t)}`, item.pos)
    type = common
  }
  return type
}
