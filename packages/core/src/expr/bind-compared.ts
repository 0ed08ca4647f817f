// Binding of operands that are compared with each other (=, <, IN, BETWEEN): literals take the type of
// the first non-literal operand; non-literal operands must share a family, numeric ones widen (implicit
// casts to the wider type where representations differ: integers vs decimals vs doubles, dates vs timestamps).

import type { DataType } from '@lake/parquet'
import type { BoundExpression, Expression, LiteralRef } from './ast.js'
import type { Binding } from './bind-support.js'
import { coerceLiteral, isComparable, naturalValue, typeName } from './coerce.js'
import { expressionType } from './node-kinds.js'
import { PredicateError } from './predicate-error.js'
import { expressionToSql } from './print.js'
import { commonType, isVoid } from './type-rules.js'

const FAMILY: Readonly<Record<string, string>> = { byte: 'n', short: 'n', integer: 'n', long: 'n', float: 'n', double: 'n' }

function family(type: DataType): string {
  return type.kind === 'primitive' ? (FAMILY[type.name] ?? type.name) : type.kind
}

function describe(e: BoundExpression): string {
  return e.kind === 'column' ? `column '${e.path.join('.')}'` : `expression '${expressionToSql(e)}'`
}

function nameOf(e: BoundExpression): string {
  return e.kind === 'column' ? e.path.join('.') : expressionToSql(e)
}

/** Literal-only operands: all take the natural type of the first non-null literal. */
function folded(literals: readonly LiteralRef[]): BoundExpression[] {
  const first = literals.find((o) => o.literal.type !== 'null')
  if (first === undefined) return literals.map(naturalValue)
  const type = naturalValue(first).type
  return literals.map((o) => coerceLiteral(o, type, '<literal>'))
}

function compareType(anchor: BoundExpression, others: readonly BoundExpression[]): DataType {
  let target = expressionType(anchor)
  for (const other of others) {
    const type = expressionType(other)
    if (isVoid(type) || family(type) === family(target)) continue
    const common = commonType(target, type)
    if (common === undefined) {
      throw new PredicateError(`cannot compare ${describe(anchor)} of type ${typeName(target)} with ${describe(other)} of type ${typeName(type)}`, other.pos)
    }
    target = common
  }
  return target
}

function castTo(e: BoundExpression, target: DataType): BoundExpression {
  const type = expressionType(e)
  if (isVoid(type)) return { kind: 'value', value: null, type: target, pos: e.pos }
  if (family(type) === family(target) && (target.kind !== 'decimal' || type.kind === 'decimal')) return e
  return { kind: 'cast', operand: e, to: target, implicit: true, type: target, pos: e.pos }
}

/**
 * Binds compared operands; undefined entries never remain.
 * @throws PredicateError when the operands have no common type or a literal is not a value of it.
 */
export function bindCompared(binder: Binding, ops: readonly Expression[]): BoundExpression[] {
  const bound = ops.map((o) => (o.kind === 'literal' ? undefined : binder.expr(o)))
  const nonLiterals = bound.filter((b): b is BoundExpression => b !== undefined)
  const anchor = nonLiterals[0]
  if (anchor === undefined) return folded(ops as readonly LiteralRef[])
  const anchorType = expressionType(anchor)
  if (!isComparable(anchorType)) {
    throw new PredicateError(`${describe(anchor)} has type ${typeName(anchorType)}: expected a primitive type to compare`, anchor.pos)
  }
  const target = compareType(anchor, nonLiterals.slice(1))
  return ops.map((o, i) => {
    const b = bound[i]
    return b === undefined ? coerceLiteral(o as LiteralRef, target, nameOf(anchor)) : castTo(b, target)
  })
}
