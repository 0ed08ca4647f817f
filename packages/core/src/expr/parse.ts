// Recursive-descent parser of the expression language (docs/expressions.md), Spark's precedence:
// OR < AND < NOT < comparison / [NOT] IN / IS [NOT] NULL / [NOT] BETWEEN / [NOT] LIKE < + - || < * / % <
// unary - < literals, columns, calls, CASE, CAST, parentheses. A predicate is a boolean expression.

import type { ArithOp, CompareOp, Expression, Predicate } from './ast.js'
import { toPredicate } from './node-kinds.js'
import { parsePrimary } from './parse-primary.js'
import { PredicateError } from './predicate-error.js'
import { TokenCursor } from './token-cursor.js'

const COMPARE_OPS: Readonly<Record<string, CompareOp>> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }

class Parser extends TokenCursor {
  expression(what: string): Expression {
    if (this.peek().kind === 'eof') this.fail(what)
    const e = this.or()
    if (this.peek().kind !== 'eof') this.fail('AND, OR or end of input')
    return e
  }

  or(): Expression {
    let left = this.and()
    while (this.isKeyword('or')) {
      const pos = this.next().pos
      left = { kind: 'or', left: toPredicate(left), right: toPredicate(this.and()), pos }
    }
    return left
  }

  and(): Expression {
    let left = this.not()
    while (this.isKeyword('and')) {
      const pos = this.next().pos
      left = { kind: 'and', left: toPredicate(left), right: toPredicate(this.not()), pos }
    }
    return left
  }

  not(): Expression {
    if (this.isKeyword('not')) {
      const pos = this.next().pos
      return { kind: 'not', operand: toPredicate(this.not()), pos }
    }
    return this.predicate()
  }

  predicate(): Expression {
    const operand = this.additive()
    const t = this.peek()
    const op = t.kind === 'op' ? COMPARE_OPS[t.text] : undefined
    if (op !== undefined) {
      this.next()
      return { kind: 'compare', op, left: operand, right: this.additive(), pos: t.pos }
    }
    if (this.acceptKeyword('is')) {
      const negated = this.acceptKeyword('not')
      this.expectKeyword('null')
      return { kind: 'isNull', operand, negated, pos: t.pos }
    }
    const negated = this.isKeyword('not') && (this.isKeyword('in', 1) || this.isKeyword('between', 1) || this.isKeyword('like', 1))
    if (negated) this.next()
    if (this.acceptKeyword('in')) return { kind: 'in', operand, values: this.list(), negated, pos: t.pos }
    if (this.acceptKeyword('between')) {
      const low = this.additive()
      this.expectKeyword('and')
      return { kind: 'between', operand, low, high: this.additive(), negated, pos: t.pos }
    }
    if (this.acceptKeyword('like')) return this.like(operand, negated, t.pos)
    return operand
  }

  like(operand: Expression, negated: boolean, pos: number): Expression {
    const pattern = this.additive()
    let escape = '\\'
    if (this.acceptKeyword('escape')) {
      const t = this.expectKind('string', 'a one-character string after ESCAPE')
      if ([...t.text].length !== 1) throw new PredicateError(`expected a one-character ESCAPE string, found '${t.text}'`, t.pos)
      escape = t.text
    }
    return { kind: 'like', operand, pattern, escape, negated, pos }
  }

  list(): Expression[] {
    this.expectKind('(', "'(' after IN")
    const values = [this.additive()]
    while (this.peek().kind === ',') {
      this.next()
      values.push(this.additive())
    }
    this.expectKind(')', "',' or ')' in the IN list")
    return values
  }

  additive(): Expression {
    let left = this.multiplicative()
    for (;;) {
      const t = this.peek()
      if (t.kind !== 'op' || (t.text !== '+' && t.text !== '-' && t.text !== '||')) return left
      this.next()
      const right = this.multiplicative()
      left = t.text === '||' ? { kind: 'call', name: 'concat', args: [left, right], pos: t.pos } : { kind: 'arith', op: t.text as ArithOp, left, right, pos: t.pos }
    }
  }

  multiplicative(): Expression {
    let left = this.unary()
    for (;;) {
      const t = this.peek()
      if (t.kind !== 'op' || (t.text !== '*' && t.text !== '/' && t.text !== '%')) return left
      this.next()
      left = { kind: 'arith', op: t.text as ArithOp, left, right: this.unary(), pos: t.pos }
    }
  }

  unary(): Expression {
    const t = this.peek()
    if (t.kind !== 'op' || (t.text !== '-' && t.text !== '+')) return parsePrimary(this, () => this.or())
    this.next()
    const n = this.peek()
    if (n.kind === 'number') {
      this.next()
      return { kind: 'literal', literal: { type: 'number', text: t.text === '-' ? `-${n.text}` : n.text }, pos: t.pos }
    }
    const operand = this.unary()
    return t.text === '-' ? { kind: 'negate', operand, pos: t.pos } : operand
  }
}

/**
 * Parses an expression of any type, e.g. `CASE WHEN target.v > 10 THEN upper(source.s) ELSE 'x' END`.
 * Keywords are case-insensitive; names in `backquotes` may hold any char (```` `` ```` for one).
 * @throws PredicateError (`InvalidPredicate`) saying what was expected, what was found and where.
 */
export function parseExpression(text: string): Expression {
  return new Parser(text).expression('an expression')
}

/**
 * Parses a predicate such as `date >= DATE '2024-01-01' AND id IN (1, 2) AND name IS NOT NULL`: a
 * boolean expression (a bare boolean column `flag` reads as `flag = TRUE`).
 * @throws PredicateError (`InvalidPredicate`) saying what was expected, what was found and where.
 */
export function parsePredicate(text: string): Predicate {
  return toPredicate(new Parser(text).expression('a predicate'))
}
