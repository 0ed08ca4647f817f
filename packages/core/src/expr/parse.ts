// Recursive-descent parser of the predicate language (DESIGN.md "predicate string language"):
// OR < AND < NOT < comparison / [NOT] IN / IS [NOT] NULL / [NOT] BETWEEN, parentheses, typed literals.

import { parseDate, parseTimestampMicros } from '../partition/temporal.js'
import type { CompareOp, LiteralToken, Operand, Predicate } from './ast.js'
import { PredicateError } from './predicate-error.js'
import { tokenize } from './tokenize.js'
import type { Token } from './tokenize.js'

const COMPARE_OPS: Readonly<Record<string, CompareOp>> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }
const TYPED_LITERALS = new Set(['date', 'timestamp', 'timestamp_ntz'])
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'between', 'true', 'false'])

function describe(t: Token): string {
  return t.kind === 'eof' ? 'end of input' : `'${t.text}'`
}

class Parser {
  readonly #tokens: Token[]
  #i = 0
  constructor(text: string) {
    this.#tokens = tokenize(text)
  }

  peek(offset = 0): Token {
    return this.#tokens[Math.min(this.#i + offset, this.#tokens.length - 1)] as Token
  }
  next(): Token {
    const t = this.peek()
    if (t.kind !== 'eof') this.#i++
    return t
  }
  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset)
    return t.kind === 'ident' && t.text.toLowerCase() === word
  }
  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false
    this.#i++
    return true
  }
  fail(expected: string, t: Token = this.peek()): never {
    throw new PredicateError(`expected ${expected}, found ${describe(t)}`, t.pos)
  }
  expectKind(kind: Token['kind'], expected: string): Token {
    return this.peek().kind === kind ? this.next() : this.fail(expected)
  }
  expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail(word.toUpperCase())
  }

  parse(): Predicate {
    if (this.peek().kind === 'eof') this.fail('a predicate')
    const p = this.or()
    if (this.peek().kind !== 'eof') this.fail('AND, OR or end of input')
    return p
  }

  or(): Predicate {
    let left = this.and()
    while (this.isKeyword('or')) {
      const pos = this.next().pos
      left = { kind: 'or', left, right: this.and(), pos }
    }
    return left
  }

  and(): Predicate {
    let left = this.not()
    while (this.isKeyword('and')) {
      const pos = this.next().pos
      left = { kind: 'and', left, right: this.not(), pos }
    }
    return left
  }

  not(): Predicate {
    if (this.isKeyword('not')) {
      const pos = this.next().pos
      return { kind: 'not', operand: this.not(), pos }
    }
    return this.primary()
  }

  primary(): Predicate {
    if (this.peek().kind === '(') {
      this.next()
      const inner = this.or()
      this.expectKind(')', "')'")
      return inner
    }
    const operand = this.operand()
    return this.suffix(operand)
  }

  suffix(operand: Operand): Predicate {
    const t = this.peek()
    const op = t.kind === 'op' ? COMPARE_OPS[t.text] : undefined
    if (op !== undefined) {
      this.next()
      return { kind: 'compare', op, left: operand, right: this.operand(), pos: t.pos }
    }
    if (this.acceptKeyword('is')) {
      const negated = this.acceptKeyword('not')
      this.expectKeyword('null')
      return { kind: 'isNull', operand, negated, pos: t.pos }
    }
    const negated = this.isKeyword('not') && (this.isKeyword('in', 1) || this.isKeyword('between', 1))
    if (negated) this.next()
    if (this.acceptKeyword('in')) return { kind: 'in', operand, values: this.list(), negated, pos: t.pos }
    if (this.acceptKeyword('between')) {
      const low = this.operand()
      this.expectKeyword('and')
      return { kind: 'between', operand, low, high: this.operand(), negated, pos: t.pos }
    }
    return this.bare(operand)
  }

  /** A lone operand as a predicate: TRUE/FALSE/NULL, or a boolean column (`flag` means `flag = true`). */
  bare(operand: Operand): Predicate {
    if (operand.kind === 'column') {
      const right: Operand = { kind: 'literal', literal: { type: 'boolean', value: true }, pos: operand.pos }
      return { kind: 'compare', op: '=', left: operand, right, pos: operand.pos }
    }
    const lit = operand.literal
    if (lit.type === 'boolean') return { kind: 'const', value: lit.value, pos: operand.pos }
    if (lit.type === 'null') return { kind: 'const', value: null, pos: operand.pos }
    return this.fail('a comparison, IN, IS or BETWEEN after the literal')
  }

  list(): Operand[] {
    this.expectKind('(', "'(' after IN")
    const values = [this.operand()]
    while (this.peek().kind === ',') {
      this.next()
      values.push(this.operand())
    }
    this.expectKind(')', "',' or ')' in the IN list")
    return values
  }

  operand(): Operand {
    const t = this.peek()
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.next()
      const n = this.expectKind('number', 'a number after the sign')
      return { kind: 'literal', literal: { type: 'number', text: t.text === '-' ? `-${n.text}` : n.text }, pos: t.pos }
    }
    if (t.kind === 'number') return { kind: 'literal', literal: { type: 'number', text: this.next().text }, pos: t.pos }
    if (t.kind === 'string') return { kind: 'literal', literal: { type: 'string', value: this.next().text }, pos: t.pos }
    if (t.kind === 'qident') return this.column()
    if (t.kind !== 'ident') return this.fail('a column or a literal')
    const word = t.text.toLowerCase()
    if (TYPED_LITERALS.has(word) && this.peek(1).kind === 'string') return this.typedLiteral(word)
    if (word === 'true' || word === 'false') {
      this.next()
      return { kind: 'literal', literal: { type: 'boolean', value: word === 'true' }, pos: t.pos }
    }
    if (word === 'null') {
      this.next()
      return { kind: 'literal', literal: { type: 'null' }, pos: t.pos }
    }
    if (RESERVED.has(word)) return this.fail('a column or a literal (quote a column named like a keyword with `backquotes`)')
    return this.column()
  }

  typedLiteral(word: string): Operand {
    const pos = this.next().pos
    const value = this.next().text
    const valid =
      word === 'date'
        ? parseDate(value) !== undefined
        : word === 'timestamp'
          ? parseTimestampMicros(value) !== undefined
          : parseTimestampMicros(value)?.hasZone === false
    if (!valid) {
      const example = word === 'date' ? "'2024-01-31'" : "'2024-01-31 12:00:00[.ffffff]'"
      throw new PredicateError(`expected a ${word.toUpperCase()} like ${example}, found '${value}'`, pos)
    }
    const literal = { type: word, value } as LiteralToken
    return { kind: 'literal', literal, pos }
  }

  column(): Operand {
    const first = this.next()
    const path = [first.text]
    while (this.peek().kind === '.') {
      this.next()
      const part = this.peek()
      if (part.kind !== 'ident' && part.kind !== 'qident') this.fail("a field name after '.'")
      path.push(this.next().text)
    }
    return { kind: 'column', path, pos: first.pos }
  }
}

/**
 * Parses a predicate such as `date >= DATE '2024-01-01' AND id IN (1, 2) AND name IS NOT NULL`.
 * Keywords are case-insensitive; names in `backquotes` may hold any char (```` `` ```` for one).
 * @throws PredicateError (`InvalidPredicate`) saying what was expected, what was found and where.
 */
export function parsePredicate(text: string): Predicate {
  return new Parser(text).parse()
}
