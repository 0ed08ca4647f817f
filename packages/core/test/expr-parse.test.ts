// Tests for the predicate parser and SQL printer: grammar, precedence, literals, errors with positions.

import { describe, expect, it } from 'vitest'
import { parsePredicate, predicateToSql } from '../src/expr/index.js'
import type { Predicate } from '../src/expr/index.js'

/** The tree without `pos` fields, for shape comparisons. */
function shape(p: unknown): unknown {
  if (Array.isArray(p)) return p.map(shape)
  if (p === null || typeof p !== 'object') return p
  return Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'pos').map(([k, v]) => [k, shape(v)]))
}

const col = (...path: string[]) => ({ kind: 'column', path })
const num = (text: string) => ({ kind: 'literal', literal: { type: 'number', text } })
const str = (value: string) => ({ kind: 'literal', literal: { type: 'string', value } })

describe('parsePredicate', () => {
  it.each([
    ['a = 1', { kind: 'compare', op: '=', left: col('a'), right: num('1') }],
    ['a <> 1', { kind: 'compare', op: '!=', left: col('a'), right: num('1') }],
    ['a == -2.5e3', { kind: 'compare', op: '=', left: col('a'), right: num('-2.5e3') }],
    ["s = 'it''s'", { kind: 'compare', op: '=', left: col('s'), right: str("it's") }],
    ['`weird name`.`x``y` >= .5', { kind: 'compare', op: '>=', left: col('weird name', 'x`y'), right: num('.5') }],
    ['a.b.c < 9223372036854775808', { kind: 'compare', op: '<', left: col('a', 'b', 'c'), right: num('9223372036854775808') }],
    ['x IS NOT NULL', { kind: 'isNull', operand: col('x'), negated: true }],
    ['x is null', { kind: 'isNull', operand: col('x'), negated: false }],
    ["x NOT IN (1, 'b', NULL)", { kind: 'in', operand: col('x'), values: [num('1'), str('b'), { kind: 'literal', literal: { type: 'null' } }], negated: true }],
    ['x BETWEEN 1 AND 2', { kind: 'between', operand: col('x'), low: num('1'), high: num('2'), negated: false }],
    ['x not between 1 and 2', { kind: 'between', operand: col('x'), low: num('1'), high: num('2'), negated: true }],
    ["d = DATE '2024-01-01'", { kind: 'compare', op: '=', left: col('d'), right: { kind: 'literal', literal: { type: 'date', value: '2024-01-01' } } }],
    ["t < timestamp '2024-01-01T00:00:00Z'", { kind: 'compare', op: '<', left: col('t'), right: { kind: 'literal', literal: { type: 'timestamp', value: '2024-01-01T00:00:00Z' } } }],
    ["t < TIMESTAMP_NTZ '2024-01-01 10:00:00.123456'", { kind: 'compare', op: '<', left: col('t'), right: { kind: 'literal', literal: { type: 'timestamp_ntz', value: '2024-01-01 10:00:00.123456' } } }],
    ['date = 1', { kind: 'compare', op: '=', left: col('date'), right: num('1') }],
    ['flag', { kind: 'compare', op: '=', left: col('flag'), right: { kind: 'literal', literal: { type: 'boolean', value: true } } }],
    ['TRUE', { kind: 'const', value: true }],
    ['null', { kind: 'const', value: null }],
  ])('parses %s', (text, expected) => {
    expect(shape(parsePredicate(text))).toEqual(expected)
  })

  it('binds AND tighter than OR and NOT tighter than AND', () => {
    const p = parsePredicate('NOT a = 1 OR b = 2 AND c = 3')
    expect(p.kind).toBe('or')
    const or = p as Predicate & { kind: 'or' }
    expect(or.left.kind).toBe('not')
    expect(or.right.kind).toBe('and')
  })

  it('reads the AND of BETWEEN as part of it', () => {
    const p = parsePredicate('x BETWEEN 1 AND 2 AND y = 3') as Predicate & { kind: 'and' }
    expect(p.kind).toBe('and')
    expect(p.left.kind).toBe('between')
  })

  it('honours parentheses', () => {
    const p = parsePredicate('(a = 1 OR b = 2) AND c = 3')
    expect(p.kind).toBe('and')
  })

  it.each([
    ['', 'expected a predicate, found end of input at position 1'],
    ['a =', 'expected a column or a literal, found end of input at position 4'],
    ['a = 1 b', "expected AND, OR or end of input, found 'b' at position 7"],
    ["a = 'x", 'unterminated string: expected a closing \' at position 5'],
    ['a IN 1', "expected '(' after IN, found '1' at position 6"],
    ['a IN (1, 2', "expected ',' or ')' in the IN list, found end of input at position 11"],
    ['a IS 1', "expected NULL, found '1' at position 6"],
    ['(a = 1', "expected ')', found end of input at position 7"],
    ['a = 1 AND and = 2', "expected a column or a literal (quote a column named like a keyword with `backquotes`), found 'and' at position 11"],
    ["d = DATE '2024-02-30'", "expected a DATE like '2024-01-31', found '2024-02-30' at position 5"],
    ["t = TIMESTAMP_NTZ '2024-01-01T00:00:00Z'", "expected a TIMESTAMP_NTZ like '2024-01-31 12:00:00[.ffffff]', found '2024-01-01T00:00:00Z' at position 5"],
    ['a ; 1', "unexpected character ';' at position 3"],
    ['5', 'expected a comparison, IN, IS or BETWEEN after the literal'],
  ])('rejects %j with %j', (text, message) => {
    expect(() => parsePredicate(text)).toThrow(expect.objectContaining({ code: 'InvalidPredicate', message: expect.stringContaining(message) }))
  })

  it('puts the 1-based position in the error context', () => {
    expect(() => parsePredicate('a = = 1')).toThrow(expect.objectContaining({ context: expect.objectContaining({ position: 5 }) }))
  })
})

describe('predicateToSql', () => {
  it.each([
    ["a = 1 AND (b = 'x' OR c IS NULL)", "a = 1 AND (b = 'x' OR c IS NULL)"],
    ['NOT (a = 1 AND b = 2)', 'NOT (a = 1 AND b = 2)'],
    ['a <> 1', 'a != 1'],
    ["`my col` IN (1, 2) OR `and` NOT BETWEEN DATE '2024-01-01' AND DATE '2024-02-01'", "`my col` IN (1, 2) OR `and` NOT BETWEEN DATE '2024-01-01' AND DATE '2024-02-01'"],
    ["s = 'it''s'", "s = 'it''s'"],
    ['a = 1 OR (b = 2 OR c = 3)', 'a = 1 OR (b = 2 OR c = 3)'],
  ])('prints %s as %s', (text, sql) => {
    expect(predicateToSql(parsePredicate(text))).toBe(sql)
  })

  it.each([
    'a = 1 AND b = 2 OR NOT c IN (1, 2, 3)',
    "x.y.z BETWEEN -1 AND 1e10 AND t >= TIMESTAMP '2024-01-01 00:00:00' AND NOT n IS NOT NULL",
    "(a = 1 OR b = 2) AND (c = 3 OR d = 'q''') AND TRUE",
  ])('round-trips %s to the same tree', (text) => {
    const p = parsePredicate(text)
    expect(shape(parsePredicate(predicateToSql(p)))).toEqual(shape(p))
  })
})
