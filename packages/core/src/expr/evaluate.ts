// Row evaluation of bound predicates with SQL three-valued logic: NULL operands make a comparison
// unknown (null), and a row matches only when the predicate is TRUE. The predicate nodes are
// interpreted here (the reference the compiler is tested against); value operands run compiled.

import type { Row, Value } from '@lake/parquet'
import type { BoundExpression, BoundPredicate, CompareOp } from './ast.js'
import { compareValues } from './compare.js'
import { compileNode } from './compile.js'
import type { Compiled } from './compile.js'
import { likeRegExp } from './like.js'
import { expressionType } from './node-kinds.js'

const COMPILED = new WeakMap<BoundExpression, Compiled>()
/** Predicates carry no operation time: `bindPredicate` folds `current_timestamp()` or refuses it. */
const NO_TIME = { nowMs: Number.NaN }

/** The value of a column path in a row (nested structs are plain objects); missing is null. */
export function valueAtPath(row: Row, path: readonly string[]): Value {
  let current: Value = row
  for (const name of path) {
    if (current === null || typeof current !== 'object' || current instanceof Uint8Array || Array.isArray(current) || current instanceof Map) return null
    current = Object.hasOwn(current, name) ? ((current as Row)[name] ?? null) : null
  }
  return current
}

/** The closures of a bound node, compiled on first use. */
function compiledOf(e: BoundExpression): Compiled {
  let compiled = COMPILED.get(e)
  if (compiled === undefined) {
    compiled = compileNode(e, NO_TIME)
    COMPILED.set(e, compiled)
  }
  return compiled
}

function operandValue(o: BoundExpression, row: Row): Value {
  if (o.kind === 'value') return o.value
  if (o.kind === 'column') return valueAtPath(row, o.path)
  return compiledOf(o)([row])
}

/** Applies a comparison operator to the sign of a comparison. */
export function applyCompareOp(op: CompareOp, sign: number): boolean {
  switch (op) {
    case '=':
      return sign === 0
    case '!=':
      return sign !== 0
    case '<':
      return sign < 0
    case '<=':
      return sign <= 0
    case '>':
      return sign > 0
    case '>=':
      return sign >= 0
  }
}

function compare(op: CompareOp, left: BoundExpression, right: BoundExpression, row: Row): boolean | null {
  const a = operandValue(left, row)
  const b = operandValue(right, row)
  if (a === null || b === null) return null
  return applyCompareOp(op, compareValues(a, b, expressionType(left)))
}

function and(a: boolean | null, b: () => boolean | null): boolean | null {
  if (a === false) return false
  const r = b()
  return r === false ? false : a === null || r === null ? null : true
}

function or(a: boolean | null, b: () => boolean | null): boolean | null {
  if (a === true) return true
  const r = b()
  return r === true ? true : a === null || r === null ? null : false
}

function not(a: boolean | null): boolean | null {
  return a === null ? null : !a
}

function isIn(operand: BoundExpression, values: readonly BoundExpression[], row: Row): boolean | null {
  let sawNull = false
  for (const v of values) {
    const r = compare('=', operand, v, row)
    if (r === true) return true
    if (r === null) sawNull = true
  }
  return sawNull ? null : false
}

function like(p: BoundPredicate & { kind: 'like' }, row: Row): boolean | null {
  const s = operandValue(p.operand, row)
  const pattern = operandValue(p.pattern, row)
  if (s === null || pattern === null) return null
  return likeRegExp(pattern as string, p.escape).test(s as string) !== p.negated
}

/** The three-valued result of a bound predicate on a row: true, false or null (unknown). */
export function evaluatePredicate(p: BoundPredicate, row: Row): boolean | null {
  switch (p.kind) {
    case 'const':
      return p.value
    case 'compare':
      return compare(p.op, p.left, p.right, row)
    case 'and':
      return and(evaluatePredicate(p.left, row), () => evaluatePredicate(p.right, row))
    case 'or':
      return or(evaluatePredicate(p.left, row), () => evaluatePredicate(p.right, row))
    case 'not':
      return not(evaluatePredicate(p.operand, row))
    case 'in': {
      const r = isIn(p.operand, p.values, row)
      return p.negated ? not(r) : r
    }
    case 'isNull':
      return (operandValue(p.operand, row) === null) !== p.negated
    case 'between': {
      const r = and(compare('>=', p.operand, p.low, row), () => compare('<=', p.operand, p.high, row))
      return p.negated ? not(r) : r
    }
    case 'like':
      return like(p, row)
  }
}

/**
 * Whether a row matches: the predicate is TRUE (not FALSE, not unknown). Keys are logical names.
 * Runs the predicate compiled to closures (once per predicate object); `evaluatePredicate` is the interpreter.
 */
export function evaluateRow(p: BoundPredicate, row: Row): boolean {
  return compiledOf(p)([row]) === true
}
