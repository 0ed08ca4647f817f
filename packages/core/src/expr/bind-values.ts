// Binding of value nodes: unary minus, arithmetic, CASE, CAST and function calls, each typed by
// type-rules.ts, with implicit casts where operand representations differ.

import type { DataType } from '@lake/parquet'
import type { ArithNode, BoundExpression, CaseNode, Expression, NegateNode, Predicate } from './ast.js'
import { commonTypeOf, implicitCast } from './bind-support.js'
import type { Binding } from './bind-support.js'
import { castAllowed } from './cast-rules.js'
import { typeName } from './coerce.js'
import { bindCall } from './functions.js'
import { expressionType, toPredicate } from './node-kinds.js'
import { PredicateError } from './predicate-error.js'
import { arithType, decimalOf, isNumeric, isVoid, widerNumeric, DOUBLE } from './type-rules.js'

function numericOperand(b: Binding, e: Expression, what: string): BoundExpression {
  const bound = b.expr(e)
  const type = expressionType(bound)
  if (!isNumeric(type) && !isVoid(type)) throw new PredicateError(`expected a numeric operand of ${what}, found ${typeName(type)}`, e.pos)
  return bound
}

function bindNegate(b: Binding, e: NegateNode<Expression>): BoundExpression {
  const operand = numericOperand(b, e.operand, "unary '-'")
  const type = expressionType(operand)
  return { kind: 'negate', operand, type: isVoid(type) ? { kind: 'primitive', name: 'integer' } : type, pos: e.pos }
}

/** The decimal an operand widens to: an integer literal only needs its digits (Spark's `DecimalType.fromLiteral`). */
function operandDecimal(e: BoundExpression, type: DataType): DataType | undefined {
  if (e.kind === 'value' && (typeof e.value === 'number' || typeof e.value === 'bigint') && Number.isInteger(Number(e.value)) && type.kind === 'primitive') {
    const digits = String(e.value).replace('-', '').length
    return { kind: 'decimal', precision: Math.max(digits, 1), scale: 0 }
  }
  return decimalOf(type)
}

function bindArith(b: Binding, e: ArithNode<Expression>): BoundExpression {
  const what = `'${e.op}'`
  let left = numericOperand(b, e.left, what)
  let right = numericOperand(b, e.right, what)
  const lt = expressionType(left)
  const rt = expressionType(right)
  const l = isVoid(lt) ? (isVoid(rt) ? DOUBLE : rt) : lt
  const r = isVoid(rt) ? l : rt
  const wide = widerNumeric(l, r)
  if (wide.kind === 'decimal') {
    const ld = operandDecimal(left, l) ?? wide
    const rd = operandDecimal(right, r) ?? wide
    left = implicitCast(left, ld)
    right = implicitCast(right, rd)
    return { kind: 'arith', op: e.op, left, right, type: arithType(e.op, ld, rd), pos: e.pos }
  } else {
    const operandType = e.op === '/' ? DOUBLE : wide
    left = implicitCast(left, operandType)
    right = implicitCast(right, operandType)
  }
  return { kind: 'arith', op: e.op, left, right, type: arithType(e.op, l, r), pos: e.pos }
}

function bindCase(b: Binding, e: CaseNode<Expression>): BoundExpression {
  const whens = e.branches.map((branch) => {
    const condition: Predicate = e.operand === null ? toPredicate(branch.when) : { kind: 'compare', op: '=', left: e.operand, right: branch.when, pos: branch.when.pos }
    return b.predicate(condition)
  })
  const thens = e.branches.map((branch) => b.expr(branch.then))
  const otherwise = e.otherwise === null ? null : b.expr(e.otherwise)
  const type = commonTypeOf(otherwise === null ? thens : [...thens, otherwise], 'CASE branches')
  const branches = whens.map((when, i) => ({ when, then: implicitCast(thens[i] as BoundExpression, type) }))
  return { kind: 'case', operand: null, branches, otherwise: otherwise === null ? null : implicitCast(otherwise, type), type, pos: e.pos }
}

/** Binds a value node (not a column, literal or predicate). */
export function bindValueNode(b: Binding, e: Expression & { kind: 'negate' | 'arith' | 'case' | 'cast' | 'call' }): BoundExpression {
  switch (e.kind) {
    case 'negate':
      return bindNegate(b, e)
    case 'arith':
      return bindArith(b, e)
    case 'case':
      return bindCase(b, e)
    case 'cast': {
      const operand = b.expr(e.operand)
      const from = expressionType(operand)
      if (!castAllowed(from, e.to)) throw new PredicateError(`cannot CAST ${typeName(from)} AS ${typeName(e.to)}`, e.pos)
      return { kind: 'cast', operand, to: e.to, implicit: false, type: e.to, pos: e.pos }
    }
    case 'call':
      return bindCall(b, e)
  }
}
