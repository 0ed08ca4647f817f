// The primary expressions of the parser: literals (typed, binary), columns (`a.b`, `alias.col`),
// function calls, CASE, CAST(x AS type) and parentheses.

import type { DataType } from '@lake/parquet'
import { parseDate, parseTimestampMicros } from '../partition/temporal.js'
import type { Expression, LiteralToken } from './ast.js'
import { toPredicate } from './node-kinds.js'
import { PredicateError } from './predicate-error.js'
import type { TokenCursor } from './token-cursor.js'

const TYPED_LITERALS = new Set(['date', 'timestamp', 'timestamp_ntz'])
/** Words that cannot be column names without `backquotes`. */
export const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'between', 'true', 'false', 'like', 'case', 'when', 'then', 'else', 'end'])
const PRIMITIVE_TYPES: Readonly<Record<string, DataType>> = Object.assign(Object.create(null) as Record<string, DataType>, {
  boolean: { kind: 'primitive', name: 'boolean' },
  tinyint: { kind: 'primitive', name: 'byte' },
  byte: { kind: 'primitive', name: 'byte' },
  smallint: { kind: 'primitive', name: 'short' },
  short: { kind: 'primitive', name: 'short' },
  int: { kind: 'primitive', name: 'integer' },
  integer: { kind: 'primitive', name: 'integer' },
  bigint: { kind: 'primitive', name: 'long' },
  long: { kind: 'primitive', name: 'long' },
  float: { kind: 'primitive', name: 'float' },
  real: { kind: 'primitive', name: 'float' },
  double: { kind: 'primitive', name: 'double' },
  string: { kind: 'primitive', name: 'string' },
  binary: { kind: 'primitive', name: 'binary' },
  date: { kind: 'primitive', name: 'date' },
  timestamp: { kind: 'primitive', name: 'timestamp' },
  timestamp_ltz: { kind: 'primitive', name: 'timestamp' },
  timestamp_ntz: { kind: 'primitive', name: 'timestamp_ntz' },
} satisfies Record<string, DataType>)

type Sub = () => Expression

function typedLiteral(c: TokenCursor, word: string): Expression {
  const pos = c.next().pos
  const value = c.next().text
  const valid =
    word === 'date' ? parseDate(value) !== undefined : word === 'timestamp' ? parseTimestampMicros(value) !== undefined : parseTimestampMicros(value)?.hasZone === false
  if (!valid) {
    const example = word === 'date' ? "'2024-01-31'" : "'2024-01-31 12:00:00[.ffffff]'"
    throw new PredicateError(`expected a ${word.toUpperCase()} like ${example}, found '${value}'`, pos)
  }
  return { kind: 'literal', literal: { type: word, value } as LiteralToken, pos }
}

function binaryLiteral(c: TokenCursor): Expression {
  const pos = c.next().pos
  const hex = c.next().text
  if (!/^(?:[0-9A-Fa-f]{2})*$/.test(hex)) throw new PredicateError(`expected an even number of hex digits in X'...', found '${hex}'`, pos)
  return { kind: 'literal', literal: { type: 'binary', hex: hex.toUpperCase() }, pos }
}

function column(c: TokenCursor): Expression {
  const first = c.next()
  const path = [first.text]
  while (c.peek().kind === '.') {
    c.next()
    const part = c.peek()
    if (part.kind !== 'ident' && part.kind !== 'qident') c.fail("a field name after '.'")
    path.push(c.next().text)
  }
  return { kind: 'column', path, pos: first.pos }
}

function call(c: TokenCursor, sub: Sub): Expression {
  const t = c.next()
  c.next()
  const args: Expression[] = []
  if (c.peek().kind !== ')') {
    args.push(sub())
    while (c.peek().kind === ',') {
      c.next()
      args.push(sub())
    }
  }
  c.expectKind(')', `',' or ')' in the arguments of ${t.text}`)
  return { kind: 'call', name: t.text.toLowerCase(), args, pos: t.pos }
}

function caseExpression(c: TokenCursor, sub: Sub): Expression {
  const pos = c.next().pos
  const operand = c.isKeyword('when') ? null : sub()
  const branches: { when: Expression; then: Expression }[] = []
  while (c.acceptKeyword('when')) {
    const when = operand === null ? toPredicate(sub()) : sub()
    c.expectKeyword('then')
    branches.push({ when, then: sub() })
  }
  if (branches.length === 0) c.fail('WHEN')
  const otherwise = c.acceptKeyword('else') ? sub() : null
  c.expectKeyword('end')
  return { kind: 'case', operand, branches, otherwise, pos }
}

/** A type name of CAST: `int`, `bigint`, `decimal(10, 2)`, `timestamp_ntz`, ... */
export function parseTypeName(c: TokenCursor): DataType {
  const t = c.expectKind('ident', 'a type name')
  const word = t.text.toLowerCase()
  if (word === 'decimal' || word === 'dec' || word === 'numeric') {
    if (c.peek().kind !== '(') return { kind: 'decimal', precision: 10, scale: 0 }
    c.next()
    const precision = Number(c.expectKind('number', 'a precision').text)
    const scale = c.peek().kind === ',' ? (c.next(), Number(c.expectKind('number', 'a scale').text)) : 0
    c.expectKind(')', "')' after the decimal precision")
    if (!Number.isInteger(precision) || precision < 1 || precision > 38 || !Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new PredicateError(`expected decimal(p, s) with 1 <= p <= 38 and 0 <= s <= p, found decimal(${precision}, ${scale})`, t.pos)
    }
    return { kind: 'decimal', precision, scale }
  }
  return PRIMITIVE_TYPES[word] ?? c.fail('a type name (boolean, tinyint, smallint, int, bigint, float, double, decimal(p, s), string, binary, date, timestamp, timestamp_ntz)', t)
}

function cast(c: TokenCursor, sub: Sub): Expression {
  const pos = c.next().pos
  c.next()
  const operand = sub()
  c.expectKeyword('as')
  const to = parseTypeName(c)
  c.expectKind(')', "')' after the CAST type")
  return { kind: 'cast', operand, to, implicit: false, pos }
}

function parenthesized(c: TokenCursor, sub: Sub): Expression {
  c.next()
  const inner = sub()
  c.expectKind(')', "')'")
  return inner
}

/** One primary expression; `sub` parses a full expression (for arguments and parentheses). */
export function parsePrimary(c: TokenCursor, sub: Sub): Expression {
  const t = c.peek()
  if (t.kind === '(') return parenthesized(c, sub)
  if (t.kind === 'number') return { kind: 'literal', literal: { type: 'number', text: c.next().text }, pos: t.pos }
  if (t.kind === 'string') return { kind: 'literal', literal: { type: 'string', value: c.next().text }, pos: t.pos }
  if (t.kind === 'qident') return column(c)
  if (t.kind !== 'ident') return c.fail('a column or a literal')
  const word = t.text.toLowerCase()
  const next = c.peek(1).kind
  if (TYPED_LITERALS.has(word) && next === 'string') return typedLiteral(c, word)
  if (word === 'x' && next === 'string' && c.peek(1).pos === t.pos + 1) return binaryLiteral(c)
  if (word === 'true' || word === 'false') {
    c.next()
    return { kind: 'literal', literal: { type: 'boolean', value: word === 'true' }, pos: t.pos }
  }
  if (word === 'null') {
    c.next()
    return { kind: 'literal', literal: { type: 'null' }, pos: t.pos }
  }
  if (word === 'case') return caseExpression(c, sub)
  if (RESERVED.has(word)) return c.fail('a column or a literal (quote a column named like a keyword with `backquotes`)')
  if (word === 'cast' && next === '(') return cast(c, sub)
  if (next === '(') return call(c, sub)
  return column(c)
}
