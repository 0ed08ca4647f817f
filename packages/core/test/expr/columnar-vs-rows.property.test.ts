// The columnar predicate evaluator gives the row evaluator's answer (evaluateRow) on random predicates
// over random columns (fast-check): NULLs, longs beyond 2^53 and at the int64 limits, NaN, -0 and
// infinities, empty and non-BMP strings, decimals, dates and timestamps. Where the columnar one throws
// (it evaluates every node on every row), it is an ExpressionError: callers then use the row evaluator.

import fc from 'fast-check'
import { predicateOf } from './predicate-arbitrary.js'
import { describe, expect, it } from 'vitest'
import type { Row, Value } from '@lake/parquet'
import { bindPredicate, evaluateRow, ExpressionError } from '../../src/expr/index.js'
import type { BoundPredicate } from '../../src/expr/index.js'
import { compileColumnarPredicate } from '../../src/expr/columnar-predicate.js'
import type { ColumnVector } from '../../src/expr/columnar-predicate.js'
import { SCHEMA } from './scope.js'

const LONGS = [0n, 7n, -7n, 100n, 107n, 2n ** 53n + 1n, -(2n ** 53n) - 3n, 2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n]
const DOUBLES = [0, -0, 1.5, -2.25, Number.NaN, Infinity, -Infinity, 7, 2 ** 53 + 2, 1e-300]
const STRINGS = ['', 'a', 'ab', 'A', 'é', '😀', 'a%', 'b_']

const row = fc.record({
  i: fc.option(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(2147483647, -2147483648))),
  l: fc.option(fc.oneof(fc.constantFrom(...LONGS), fc.bigInt({ min: -1000n, max: 1000n }))),
  sh: fc.option(fc.integer({ min: -32768, max: 32767 })),
  d: fc.option(fc.constantFrom('0.00', '-1.50', '7.07', '99999999.99', '-0.01')),
  f: fc.option(fc.constantFrom(...DOUBLES)),
  fl: fc.option(fc.constantFrom(0, -0, 1.5, Number.NaN, 3.4028234663852886e38)),
  s: fc.option(fc.constantFrom(...STRINGS)),
  b: fc.option(fc.boolean()),
  dt: fc.option(fc.constantFrom('2024-02-29', '1970-01-01', '0001-01-01', '9999-12-31')),
  ts: fc.option(fc.constantFrom('2024-05-01T12:00:00.000000Z', '1969-12-31T23:59:59.999999Z', '2024-05-01T12:00:00.000001Z')),
  n: fc.constant(null),
  ns: fc.option(fc.constantFrom(...STRINGS)),
})

const intOperand = fc.oneof(
  fc.constantFrom('i', 'n', 'sh', 'l', 'l % 100', 'l + 1', 'l - i', 'i * 2', '-i', '-l', 'i / 2', 'l % i', 'CAST(s AS int)', 'CAST(f AS long)', 'sh + i'),
  fc.constantFrom('0', '7', '-1', '9007199254740993', '2147483647'),
)
const numOperand = fc.oneof(intOperand, fc.constantFrom('f', 'fl', 'f * 2', 'f + i', 'f / i', 'f % 2', 'd', 'd + 1', 'd * i', '1.5', "CAST('NaN' AS double)", '-0.0', 'CAST(l AS double)'))
const strOperand = fc.constantFrom('s', 'ns', "''", "'a'", "'é'", "'😀'", 'CAST(i AS string)', "'a%'")
const op = fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '<>')

const leaf = fc.oneof(
  fc.tuple(numOperand, op, numOperand).map(([a, o, b]) => `${a} ${o} ${b}`),
  fc.tuple(strOperand, op, strOperand).map(([a, o, b]) => `${a} ${o} ${b}`),
  fc.tuple(fc.constantFrom('dt', "DATE '2024-02-29'"), op, fc.constantFrom('dt', "DATE '1970-01-01'")).map(([a, o, b]) => `${a} ${o} ${b}`),
  fc.tuple(fc.constantFrom('ts'), op, fc.constantFrom('ts', "TIMESTAMP '2024-05-01 12:00:00'", "TIMESTAMP '1969-12-31T23:59:59.999999Z'")).map(([a, o, b]) => `${a} ${o} ${b}`),
  fc.tuple(numOperand, fc.boolean(), fc.array(numOperand, { minLength: 1, maxLength: 3 })).map(([a, neg, vs]) => `${a}${neg ? ' NOT' : ''} IN (${vs.join(', ')})`),
  fc.tuple(strOperand, fc.boolean(), fc.array(fc.constantFrom("'a'", "''", 'NULL', 'ns'), { minLength: 1, maxLength: 3 })).map(([a, neg, vs]) => `${a}${neg ? ' NOT' : ''} IN (${vs.join(', ')})`),
  fc.tuple(numOperand, fc.boolean(), numOperand, numOperand).map(([a, neg, lo, hi]) => `${a}${neg ? ' NOT' : ''} BETWEEN ${lo} AND ${hi}`),
  fc.tuple(fc.oneof(strOperand, numOperand), fc.boolean()).map(([a, neg]) => `${a} IS${neg ? ' NOT' : ''} NULL`),
  fc.tuple(strOperand, fc.boolean(), fc.constantFrom("'a%'", "'%b'", "'_'", "'%'", "''", "'a\\%'", 'ns')).map(([a, neg, p]) => `${a}${neg ? ' NOT' : ''} LIKE ${p}`),
  fc.constantFrom('TRUE', 'FALSE', 'NULL', 'b', 'NOT b'),
)

const predicate = predicateOf(leaf)

function bound(text: string): BoundPredicate | undefined {
  try {
    return bindPredicate(text, SCHEMA)
  } catch {
    return undefined // a type error: not a predicate of this schema
  }
}

/** The rows' columns as vectors, the columns of one row every other time as scalars (a file's partition values). */
function vectors(p: BoundPredicate, rows: readonly Row[], scalars: boolean): { columns: ColumnVector[]; rows: readonly Row[] } | undefined {
  const columnar = compileColumnarPredicate(p)
  if (columnar === undefined) return undefined
  const names = columnar.columns.map((c) => c.path[0] as string)
  const held = scalars ? rows.map((r) => ({ ...r, ...Object.fromEntries(names.slice(0, 1).map((n) => [n, rows[0]?.[n] ?? null])) })) : rows
  const columns = names.map((name, k): ColumnVector => (scalars && k === 0 ? { scalar: true, value: rows[0]?.[name] ?? null } : { scalar: false, values: held.map((r) => r[name] ?? null) }))
  return { columns, rows: held }
}

function rowAnswer(p: BoundPredicate, rows: readonly Row[]): number[] | 'throws' {
  try {
    return rows.flatMap((r, i) => (evaluateRow(p, r) ? [i] : []))
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError)
    return 'throws'
  }
}

describe('columnar predicates vs the row evaluator', () => {
  it('select exactly the rows evaluateRow matches, or throw an ExpressionError where rows may too', () => {
    let compared = 0
    fc.assert(
      fc.property(predicate, fc.array(row, { minLength: 0, maxLength: 12 }), fc.boolean(), (text, rows, scalars) => {
        const p = bound(text)
        if (p === undefined) return
        const input = vectors(p, rows, scalars)
        expect(input, `columnar refused ${text}`).toBeDefined()
        if (input === undefined) return
        let selected: number[]
        try {
          selected = compileColumnarPredicate(p)?.select({ length: input.rows.length, columns: input.columns }) ?? []
        } catch (err) {
          expect(err).toBeInstanceOf(ExpressionError)
          return
        }
        expect(selected, text).toEqual(rowAnswer(p, input.rows))
        compared++
      }),
      { numRuns: 1500 },
    )
    expect(compared).toBeGreaterThan(500)
  }, 60_000)

  it('refuses CASE, function calls and nested fields (the row evaluator answers those)', () => {
    for (const text of ['CASE WHEN i > 0 THEN TRUE ELSE FALSE END', "upper(s) = 'A'", 'coalesce(n, 1) = 1', 'st.x = 1']) {
      expect(compileColumnarPredicate(bindPredicate(text, SCHEMA)), text).toBeUndefined()
    }
  })

  it('names the columns a batch must hold, each once, in first-use order', () => {
    const columnar = compileColumnarPredicate(bindPredicate('l % 100 = 7 AND (s = ns OR l > i)', SCHEMA))
    expect(columnar?.columns.map((c) => c.path)).toEqual([['l'], ['s'], ['ns'], ['i']])
  })

  it('matches longs beyond 2^53 exactly, NaN = NaN, -0 = 0 and never a NULL row', () => {
    const big: Value[] = [2n ** 53n, 2n ** 53n + 1n, null, -(2n ** 63n)]
    const longs = compileColumnarPredicate(bindPredicate('l = 9007199254740993', SCHEMA))
    expect(longs?.select({ length: 4, columns: [{ scalar: false, values: big }] })).toEqual([1])
    const doubles = compileColumnarPredicate(bindPredicate("f = CAST('NaN' AS double) OR f = 0.0", SCHEMA))
    expect(doubles?.select({ length: 4, columns: [{ scalar: false, values: [Number.NaN, -0, null, 1] }] })).toEqual([0, 1])
    const negated = compileColumnarPredicate(bindPredicate('NOT (l > 0)', SCHEMA))
    expect(negated?.select({ length: 4, columns: [{ scalar: false, values: big }] })).toEqual([3])
  })
})
