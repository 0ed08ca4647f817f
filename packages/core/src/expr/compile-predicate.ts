// Compiles predicate nodes into closures with SQL three-valued logic: NULL operands make a comparison
// unknown (null); AND/OR short-circuit on FALSE/TRUE; IN with a NULL in the list and no match is unknown.

import type { Value } from '@lake/parquet'
import type { BoundExpression, BoundPredicate, CompareOp } from './ast.js'
import { compareValues } from './compare.js'
import { likeMatcher } from './like.js'
import { expressionType } from './node-kinds.js'
import type { ScopeRows } from './scope.js'

type Compiled = (rows: ScopeRows) => Value
type Condition = (rows: ScopeRows) => boolean | null

export const COMPARE_TESTS: Readonly<Record<CompareOp, (sign: number) => boolean>> = {
  '=': (s) => s === 0,
  '!=': (s) => s !== 0,
  '<': (s) => s < 0,
  '<=': (s) => s <= 0,
  '>': (s) => s > 0,
  '>=': (s) => s >= 0,
}

const EXACT_ORDER = new Set(['byte', 'short', 'integer', 'long', 'date'])

/** The comparator of two operand types: JS order for integers (number or bigint, never NaN) and dates (`YYYY-MM-DD`), else compareValues. */
export function comparator(left: BoundExpression, right: BoundExpression): (x: Value, y: Value) => number {
  const type = expressionType(left)
  const other = expressionType(right)
  const exact = type.kind === 'primitive' && other.kind === 'primitive' && EXACT_ORDER.has(type.name) && EXACT_ORDER.has(other.name)
  type Ordered = number | bigint | string
  if (exact) return (x, y) => ((x as Ordered) < (y as Ordered) ? -1 : (x as Ordered) > (y as Ordered) ? 1 : 0)
  return (x, y) => compareValues(x, y, type)
}

function comparison(op: CompareOp, a: Compiled, b: Compiled, left: BoundExpression, right: BoundExpression): Condition {
  const compare = comparator(left, right)
  const test = COMPARE_TESTS[op]
  return (rows) => {
    const x = a(rows)
    if (x === null) return null
    const y = b(rows)
    return y === null ? null : test(compare(x, y))
  }
}

function and(a: Condition, b: Condition): Condition {
  return (rows) => {
    const x = a(rows)
    if (x === false) return false
    const y = b(rows)
    return y === false ? false : x === null || y === null ? null : true
  }
}

function or(a: Condition, b: Condition): Condition {
  return (rows) => {
    const x = a(rows)
    if (x === true) return true
    const y = b(rows)
    return y === true ? true : x === null || y === null ? null : false
  }
}

function negated(c: Condition, negate: boolean): Condition {
  return negate ? (rows) => not(c(rows)) : c
}

function not(x: boolean | null): boolean | null {
  return x === null ? null : !x
}

function isIn(operand: Compiled, values: readonly Compiled[], e: BoundExpression): Condition {
  const type = expressionType(e)
  return (rows) => {
    const x = operand(rows)
    if (x === null) return null
    let sawNull = false
    for (const value of values) {
      const y = value(rows)
      if (y === null) sawNull = true
      else if (compareValues(x, y, type) === 0) return true
    }
    return sawNull ? null : false
  }
}

/** Compiles a predicate node; `sub` compiles its operands. */
export function compilePredicate(p: BoundPredicate, sub: (e: BoundExpression) => Compiled): Condition {
  const cond = (q: BoundPredicate): Condition => compilePredicate(q, sub)
  switch (p.kind) {
    case 'const': {
      const value = p.value
      return () => value
    }
    case 'compare':
      return comparison(p.op, sub(p.left), sub(p.right), p.left, p.right)
    case 'and':
      return and(cond(p.left), cond(p.right))
    case 'or':
      return or(cond(p.left), cond(p.right))
    case 'not':
      return negated(cond(p.operand), true)
    case 'in':
      return negated(isIn(sub(p.operand), p.values.map(sub), p.operand), p.negated)
    case 'isNull': {
      const operand = sub(p.operand)
      return p.negated ? (rows) => operand(rows) !== null : (rows) => operand(rows) === null
    }
    case 'between': {
      const operand = sub(p.operand)
      const range = and(comparison('>=', operand, sub(p.low), p.operand, p.low), comparison('<=', operand, sub(p.high), p.operand, p.high))
      return negated(range, p.negated)
    }
    case 'like':
      return negated(likeMatcher(sub(p.operand), sub(p.pattern), p.escape), p.negated)
  }
}
