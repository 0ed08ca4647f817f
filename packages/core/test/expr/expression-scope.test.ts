// Scopes of aliased relations (MERGE's target/source): qualified and unqualified names, ambiguity,
// missing rows read as NULL, referencedRelations, splitConjuncts, canonical SQL that binds back.

import { describe, expect, it } from 'vitest'
import { bindExpression, bindPredicate, compileBound, compileCondition, compileExpression, evaluateRow, expressionToSql, referencedRelations, splitConjuncts } from '../../src/expr/index.js'
import { CONTEXT, MERGE_SCOPE, SCHEMA, SCOPE } from './scope.js'

const TARGET = { id: 1n, v: 10, s: 'old' }
const SOURCE = { id: 1n, v: 3, w: 'new' }

describe('expression scopes', () => {
  it.each([
    ['target.id = source.id', [TARGET, SOURCE], true],
    ['TARGET.ID = Source.Id', [TARGET, SOURCE], true],
    ['target.v + source.v', [TARGET, SOURCE], 13],
    ['s || w', [TARGET, SOURCE], 'oldnew'],
    ["coalesce(target.s, 'none')", [undefined, SOURCE], 'none'],
    ['target.v IS NULL', [undefined, SOURCE], true],
    ['target.id = source.id', [TARGET, undefined], null],
    ['source.v > 2 AND target.v > 5', [TARGET, SOURCE], true],
  ] as const)('%s on %o is %o', (text, rows, expected) => {
    expect(compileExpression(text, MERGE_SCOPE, CONTEXT).evaluate(rows)).toEqual(expected)
  })

  it.each([
    ['id = 1', "column 'id' is ambiguous: expected one of target.id, source.id", 1],
    ['target.v = v', "column 'v' is ambiguous: expected one of target.v, source.v", 12],
    ['target.w = 1', "unknown column 'target.w': expected one of id, v, s", 1],
    ['other.id = 1', "unknown column 'other.id': expected one of target.id, target.v, target.s, source.id, source.v, source.w", 1],
  ])('%s: %s', (text, message, position) => {
    expect(() => bindExpression(text, MERGE_SCOPE)).toThrow(
      expect.objectContaining({ code: 'InvalidPredicate', message: expect.stringContaining(message), context: expect.objectContaining({ position }) }),
    )
  })

  it('binds columns to their relation, path and type', () => {
    expect(bindExpression('source.w', MERGE_SCOPE)).toMatchObject({ kind: 'column', relation: 1, path: ['w'], physicalPath: ['w'], type: { kind: 'primitive', name: 'string' } })
    expect(bindExpression('s', MERGE_SCOPE)).toMatchObject({ kind: 'column', relation: 0, path: ['s'] })
  })

  it('tells which relations an expression reads', () => {
    expect([...referencedRelations(bindExpression('target.id = source.id AND target.v > 1', MERGE_SCOPE))].sort()).toEqual([0, 1])
    expect([...referencedRelations(bindExpression('upper(w) = \'X\'', MERGE_SCOPE))]).toEqual([1])
    expect([...referencedRelations(bindExpression('1 + 1', MERGE_SCOPE))]).toEqual([])
  })

  it('splits conjuncts', () => {
    const parts = splitConjuncts(bindExpression('target.id = source.id AND (source.v > 1 AND target.s IS NULL) AND (source.v < 3 OR TRUE)', MERGE_SCOPE))
    expect(parts.map(expressionToSql)).toEqual(['target.id = source.id', 'source.v > 1', 'target.s IS NULL', 'source.v < 3 OR TRUE'])
    expect(splitConjuncts(bindExpression('source.v', MERGE_SCOPE)).map(expressionToSql)).toEqual(['source.v'])
  })

  it('compiles a bound conjunct on its own', () => {
    const [key] = splitConjuncts(bindExpression('target.id = source.id AND source.v > 1', MERGE_SCOPE))
    const compiled = compileBound(key!, CONTEXT)
    expect(compiled.sql).toBe('target.id = source.id')
    expect(compiled.evaluate([TARGET, SOURCE])).toBe(true)
  })

  it('evaluates a condition three-valued', () => {
    const c = compileCondition('target.v > source.v', MERGE_SCOPE, CONTEXT)
    expect(c.sql).toBe('target.v > source.v')
    expect(c.evaluate([TARGET, SOURCE])).toBe(true)
    expect(c.evaluate([undefined, SOURCE])).toBeNull()
  })

  it('fixes current_timestamp() once per compile', () => {
    const a = compileExpression('current_timestamp()', SCOPE, { nowMs: 0 })
    expect(a.evaluate([{}])).toBe('1970-01-01T00:00:00.000000Z')
    expect(a.evaluate([{}])).toBe('1970-01-01T00:00:00.000000Z')
  })
})

describe('canonical SQL', () => {
  it.each([
    ['target.v+1', 'target.v + 1'],
    ['target.v + source.v * 2', 'target.v + (source.v * 2)'],
    ['(target.v + source.v) * 2', '(target.v + source.v) * 2'],
    ["CASE target.v WHEN 1 THEN 'a' ELSE w END", "CASE WHEN target.v = 1 THEN 'a' ELSE source.w END"],
    ['cast(v AS bigint)', 'CAST(v AS LONG)'],
    ["s || 'x'", "concat(target.s, 'x')"],
    ["w not like 'a!%' escape '!'", "source.w NOT LIKE 'a!%' ESCAPE '!'"],
    ["X'0a' IS NULL", "X'0A' IS NULL"],
    ['-source.v', '-source.v'],
    ['coalesce(target.v, 1.5)', 'coalesce(target.v, 1.5)'],
  ])('%s prints as %s, which binds to a tree printing the same', (text, sql) => {
    const scope = text.startsWith('cast(v') ? { relations: [{ alias: null, schema: MERGE_SCOPE.relations[0]!.schema }] } : MERGE_SCOPE
    const bound = bindExpression(text, scope)
    expect(expressionToSql(bound)).toBe(sql)
    expect(expressionToSql(bindExpression(sql, scope))).toBe(sql)
  })
})

describe('current_timestamp() / current_date() in predicates', () => {
  it('are the operation time given to bindPredicate, and refused without one', () => {
    const nowMs = Date.UTC(2024, 2, 1, 12)
    const bound = bindPredicate('ts < current_timestamp() AND dt = current_date()', SCHEMA, { nowMs })
    expect(evaluateRow(bound, { ts: '2024-03-01T11:00:00.000000Z', dt: '2024-03-01' })).toBe(true)
    expect(evaluateRow(bound, { ts: '2024-03-01T13:00:00.000000Z', dt: '2024-03-01' })).toBe(false)
    expect(() => bindPredicate('ts < current_timestamp()', SCHEMA)).toThrow(
      expect.objectContaining({ code: 'InvalidPredicate', message: expect.stringContaining('current_timestamp() is not allowed here: expected a deterministic expression'), context: expect.objectContaining({ position: 6 }) }),
    )
  })

  it('need an EvalContext time when compiled from bindExpression', () => {
    const bound = bindExpression('current_date()', SCOPE)
    expect(() => compileBound(bound, { nowMs: Number.NaN })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
    expect(compileBound(bound, { nowMs: 0 }).evaluate([{}])).toBe('1970-01-01')
  })
})
