// Kind tests and result types of expression nodes.

import type { DataType } from '@lake/parquet'
import type { BoundExpression, BoundPredicate, Expression, Predicate } from './ast.js'
import { PredicateError } from './predicate-error.js'

const PREDICATE_KINDS: ReadonlySet<string> = new Set(['const', 'compare', 'and', 'or', 'not', 'in', 'isNull', 'between', 'like'])
const BOOLEAN: DataType = { kind: 'primitive', name: 'boolean' }

/** Whether a parsed node is a predicate (boolean) node. */
export function isPredicateNode(e: Expression): e is Predicate {
  return PREDICATE_KINDS.has(e.kind)
}

/** Whether a bound node is a predicate (boolean) node. */
export function isBoundPredicate(e: BoundExpression): e is BoundPredicate {
  return PREDICATE_KINDS.has(e.kind)
}

/** The result type of a bound expression (predicates are boolean). */
export function expressionType(e: BoundExpression): DataType {
  return 'type' in e ? e.type : BOOLEAN
}

/**
 * An expression in a boolean position: predicates as they are, TRUE/FALSE/NULL as constants, any other
 * value `x` as `x = TRUE` (a boolean column `flag` means `flag = TRUE`; binding checks the type).
 * @throws PredicateError for a literal that is not boolean.
 */
export function toPredicate(e: Expression): Predicate {
  if (isPredicateNode(e)) return e
  if (e.kind !== 'literal') return { kind: 'compare', op: '=', left: e, right: { kind: 'literal', literal: { type: 'boolean', value: true }, pos: e.pos }, pos: e.pos }
  const lit = e.literal
  if (lit.type === 'boolean') return { kind: 'const', value: lit.value, pos: e.pos }
  if (lit.type === 'null') return { kind: 'const', value: null, pos: e.pos }
  throw new PredicateError('expected a comparison, IN, IS or BETWEEN after the literal', e.pos)
}
