// The clauses `lake merge` builds from its options: values, order, assignments split at top-level
// commas, and the usage errors (exit 2) for everything else.

import { describe, expect, it } from 'vitest'
import { mergeClauses, parseAssignments, splitTopLevel } from '../src/commands/merge-args.js'

describe('lake merge clause options', () => {
  it.each([
    ['the upsert', { whenMatched: 'update-all', whenNotMatched: 'insert-all' }, [{ kind: 'matchedUpdateAll' }, { kind: 'notMatchedInsertAll' }]],
    ['delete with a condition', { whenMatched: 'delete', whenMatchedCondition: 'source.v > 1' }, [{ kind: 'matchedDelete', condition: 'source.v > 1' }]],
    ['assignments', { whenMatched: "update:v = source.v, p = concat(source.p, ',x')" }, [{ kind: 'matchedUpdate', set: { v: 'source.v', p: "concat(source.p, ',x')" } }]],
    ['by-source delete, none elsewhere', { whenNotMatched: 'none', whenNotMatchedBySource: 'delete' }, [{ kind: 'notMatchedBySourceDelete' }]],
  ])('%s', (_name, options, expected) => {
    expect(mergeClauses(options)).toEqual(expected)
  })

  it.each([
    ['no clause', {}, 'at least one clause'],
    ['an unknown --when-matched', { whenMatched: 'upsert' }, '--when-matched'],
    ['a condition without --when-matched', { whenMatchedCondition: 'source.v > 1', whenNotMatched: 'insert-all' }, '--when-matched-condition'],
    ['an unknown --when-not-matched', { whenNotMatched: 'insert' }, '--when-not-matched'],
    ['an unknown --when-not-matched-by-source', { whenNotMatchedBySource: 'update' }, '--when-not-matched-by-source'],
    ['an assignment without =', { whenMatched: 'update:v' }, "'column = expression'"],
    ['a column assigned twice', { whenMatched: 'update:v = 1, v = 2' }, 'twice'],
  ])('refuses %s (InvalidArgument)', (_name, options, text) => {
    expect(() => mergeClauses(options)).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: expect.stringContaining(text) }))
  })

  it('splits at commas outside quotes and parentheses; keeps = inside expressions', () => {
    expect(splitTopLevel("a = 1, b = 'x,y', c = f(1, 2)")).toEqual(['a = 1', "b = 'x,y'", 'c = f(1, 2)'])
    expect(parseAssignments('`odd name` = CASE WHEN source.a = 1 THEN 2 END')).toEqual({ 'odd name': 'CASE WHEN source.a = 1 THEN 2 END' })
  })
})
