// Property test of data skipping soundness: whenever canSkipFile says a file can be skipped, no row
// of that file matches the predicate — with exact, prefix-truncated and millisecond-truncated stats.

import fc from 'fast-check'
import type { DataType, Row, StructType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { bindPredicate, canSkipFile, compareStrings, evaluateRow } from '../src/expr/index.js'
import { formatTimestamp } from '../src/partition/temporal.js'

const p = (name: string): DataType => ({ kind: 'primitive', name }) as DataType
const schema: StructType = {
  kind: 'struct',
  fields: [
    { name: 'a', type: p('long'), nullable: true, metadata: {} },
    { name: 's', type: p('string'), nullable: true, metadata: {} },
    { name: 't', type: p('timestamp'), nullable: true, metadata: {} },
  ],
}

const BASE_MICROS = 1_700_000_000_000_000n
const longs = fc.bigInt({ min: -5n, max: 5n })
const strings = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', '\u{1F600}'), maxLength: 5 })
const micros = fc.bigInt({ min: 0n, max: 3000n }).map((d) => BASE_MICROS + d * 997n)

const row = fc.record({
  a: fc.option(longs, { nil: null }),
  s: fc.option(strings, { nil: null }),
  t: fc.option(micros.map(formatTimestamp), { nil: null }),
})

const litFor: Record<string, fc.Arbitrary<string>> = {
  a: longs.map(String),
  s: strings.map((x) => `'${x}'`),
  t: micros.map((m) => `TIMESTAMP '${formatTimestamp(m)}'`),
}

const leaf: fc.Arbitrary<string> = fc.constantFrom('a', 's', 't').chain((c) => {
  const lit = litFor[c] as fc.Arbitrary<string>
  return fc.oneof(
    fc.tuple(fc.constantFrom('=', '!=', '<', '<=', '>', '>='), lit).map(([op, v]) => `${c} ${op} ${v}`),
    fc.tuple(lit, fc.constantFrom('=', '<', '>=')).map(([v, op]) => `${v} ${op} ${c}`),
    fc.tuple(fc.array(lit, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([vs, neg]) => `${c}${neg ? ' NOT' : ''} IN (${vs.join(', ')})`),
    fc.boolean().map((neg) => `${c} IS ${neg ? 'NOT ' : ''}NULL`),
    fc.tuple(lit, lit, fc.boolean()).map(([x, y, neg]) => `${c}${neg ? ' NOT' : ''} BETWEEN ${x} AND ${y}`),
  )
})

const predicate: fc.Arbitrary<string> = fc.letrec<{ p: string }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('p'), tie('p')).map(([x, y]) => `(${x}) AND (${y})`),
    fc.tuple(tie('p'), tie('p')).map(([x, y]) => `(${x}) OR (${y})`),
    tie('p').map((x) => `NOT (${x})`),
  ),
})).p

type Truncation = 'exact' | 'truncated'

/** Stats JSON like Spark writes them: strings cut to 2 code points, timestamps floored to ms. */
function statsOf(rows: readonly Row[], truncation: Truncation): string {
  const min: string[] = []
  const max: string[] = []
  const nulls: string[] = []
  for (const c of ['a', 's', 't']) {
    const values = rows.map((r) => r[c]).filter((v) => v !== null && v !== undefined)
    nulls.push(`"${c}":${rows.length - values.length}`)
    if (values.length === 0) continue
    const sorted = [...values].sort((x, y) => (c === 's' ? compareStrings(x as string, y as string) : x! < y! ? -1 : x! > y! ? 1 : 0))
    const lo = sorted[0]
    const hi = sorted[sorted.length - 1]
    const show = (v: unknown): string => {
      if (c === 'a') return String(v)
      if (c === 's') return JSON.stringify(truncation === 'truncated' ? Array.from(v as string).slice(0, 2).join('') : v)
      const text = v as string
      return JSON.stringify(truncation === 'truncated' ? `${text.slice(0, 23)}Z` : text)
    }
    min.push(`"${c}":${show(lo)}`)
    max.push(`"${c}":${show(hi)}`)
  }
  return `{"numRecords":${rows.length},"minValues":{${min.join(',')}},"maxValues":{${max.join(',')}},"nullCount":{${nulls.join(',')}}}`
}

describe('canSkipFile (property)', () => {
  it.each<Truncation>(['exact', 'truncated'])('never skips a file holding a matching row (%s stats)', (truncation) => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), predicate, (rows, text) => {
        const bound = bindPredicate(text, schema)
        if (canSkipFile(bound, statsOf(rows, truncation))) {
          expect(rows.filter((r) => evaluateRow(bound, r))).toEqual([])
        }
      }),
      { numRuns: 400 },
    )
  })

  it('does skip some files with exact stats (the property is not vacuous)', () => {
    let skipped = 0
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), leaf, (rows, text) => {
        if (canSkipFile(bindPredicate(text, schema), statsOf(rows, 'exact'))) skipped++
      }),
      { numRuns: 200 },
    )
    expect(skipped).toBeGreaterThan(20)
  })
})
