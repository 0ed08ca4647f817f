// The compiled closures agree with the reference interpreter (evaluate.ts) on random predicates and
// rows, NULLs included (fast-check).

import fc from 'fast-check'
import { predicateOf } from './predicate-arbitrary.js'
import { describe, expect, it } from 'vitest'
import { bindPredicate, compileCondition, evaluatePredicate } from '../../src/expr/index.js'
import { CONTEXT, SCHEMA } from './scope.js'

const intOperand = fc.oneof(fc.constant('i'), fc.constant('n'), fc.integer({ min: -3, max: 3 }).map(String), fc.constant('i + 1'), fc.constant('coalesce(n, 2)'))
const strOperand = fc.oneof(fc.constant('s'), fc.constant('ns'), fc.constantFrom("'a'", "'b'", "'ab'"), fc.constant('upper(s)'))
const op = fc.constantFrom('=', '!=', '<', '<=', '>', '>=')

const leaf = fc.oneof(
  fc.tuple(intOperand, op, intOperand).map(([a, o, b]) => `${a} ${o} ${b}`),
  fc.tuple(strOperand, op, strOperand).map(([a, o, b]) => `${a} ${o} ${b}`),
  fc.tuple(intOperand, fc.boolean(), fc.array(intOperand, { minLength: 1, maxLength: 3 })).map(([a, neg, vs]) => `${a}${neg ? ' NOT' : ''} IN (${vs.join(', ')})`),
  fc.tuple(intOperand, fc.boolean(), intOperand, intOperand).map(([a, neg, lo, hi]) => `${a}${neg ? ' NOT' : ''} BETWEEN ${lo} AND ${hi}`),
  fc.tuple(strOperand, fc.boolean()).map(([a, neg]) => `${a} IS${neg ? ' NOT' : ''} NULL`),
  fc.tuple(strOperand, fc.boolean(), fc.constantFrom("'a%'", "'%b'", "'_'", "'%'")).map(([a, neg, p]) => `${a}${neg ? ' NOT' : ''} LIKE ${p}`),
  fc.constantFrom('TRUE', 'FALSE', 'NULL', 'b'),
)

const predicate = predicateOf(leaf)

const row = fc.record({
  i: fc.option(fc.integer({ min: -3, max: 3 })),
  n: fc.option(fc.integer({ min: -3, max: 3 })),
  s: fc.option(fc.constantFrom('a', 'b', 'ab', 'A')),
  ns: fc.option(fc.constantFrom('a', 'b')),
  b: fc.option(fc.boolean()),
})

describe('compiled closures vs the interpreter', () => {
  it('agree on every predicate and row', () => {
    fc.assert(
      fc.property(predicate, fc.array(row, { minLength: 1, maxLength: 5 }), (text, rows) => {
        const bound = bindPredicate(text, SCHEMA)
        const compiled = compileCondition(text, { relations: [{ alias: null, schema: SCHEMA }] }, CONTEXT)
        for (const r of rows) expect(compiled.evaluate([r])).toBe(evaluatePredicate(bound, r))
      }),
      { numRuns: 300 },
    )
  })
})
