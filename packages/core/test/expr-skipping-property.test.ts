// Property test of data skipping soundness: whenever canSkipFile says a file can be skipped, no row
// of that file matches the predicate — with exact, prefix-truncated and millisecond-truncated stats.
// Literals are drawn near the file's own values (equal to one, one smallest step either side, at and
// around the millisecond truncation of timestamps, the truncated string prefix, NULL, NaN), so a bug at
// a boundary fails in every run rather than in the rare run whose random literal lands on it.

import fc from 'fast-check'
import type { DataType, Row, StructType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { bindPredicate, canSkipFile, compareStrings, compareValues, evaluateRow } from '../src/expr/index.js'
import { formatTimestamp, formatTimestampNtz, parseTimestampMicros } from '../src/partition/temporal.js'

const p = (name: string): DataType => ({ kind: 'primitive', name }) as DataType
const TYPES: Record<string, DataType> = { a: p('long'), x: p('double'), s: p('string'), t: p('timestamp'), n: p('timestamp_ntz') }
const COLUMNS = Object.keys(TYPES)
const schema: StructType = { kind: 'struct', fields: COLUMNS.map((name) => ({ name, type: TYPES[name]!, nullable: true, metadata: {} })) }

const BASE_MICROS = 1_700_000_000_000_000n
const longs = fc.bigInt({ min: -5n, max: 5n })
const doubles = fc.oneof(fc.constantFrom(0, -0, 1.5, -2.25, 1e-300, Number.NaN), fc.integer({ min: -5, max: 5 }).map((i) => i / 4))
const strings = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', '\u{1F600}'), maxLength: 5 })
const micros = fc.bigInt({ min: 0n, max: 3000n }).map((d) => BASE_MICROS + d * 997n)

const row = fc.record({
  a: fc.option(longs, { nil: null }),
  x: fc.option(doubles, { nil: null }),
  s: fc.option(strings, { nil: null }),
  t: fc.option(micros.map(formatTimestamp), { nil: null }),
  n: fc.option(micros.map(formatTimestampNtz), { nil: null }),
})

/** The next double above `v` (its smallest step up). */
function nextUp(v: number): number {
  if (Number.isNaN(v) || v === Infinity) return v
  if (v === 0) return Number.MIN_VALUE
  const bits = new BigInt64Array(new Float64Array([v]).buffer)
  bits[0] = bits[0]! + (v > 0 ? 1n : -1n)
  return new Float64Array(bits.buffer)[0]!
}
const nextDown = (v: number): number => -nextUp(-v)

/** SQL literals near one value of column `c`: the value, its smallest steps and its truncations. */
function nearLiterals(c: string, v: unknown): string[] {
  switch (c) {
    case 'a': {
      const n = v as bigint
      return [n - 1n, n, n + 1n].map(String)
    }
    case 'x': {
      const n = v as number
      if (Number.isNaN(n)) return ["'NaN'"]
      return [nextDown(n), n, nextUp(n)].map((d) => (Object.is(d, -0) ? '-0.0' : String(d)))
    }
    case 's': {
      const text = v as string
      const cut = Array.from(text).slice(0, 2).join('')
      return [text, `${text}a`, cut, `${cut}a`, Array.from(text).slice(0, -1).join('')].map((x) => `'${x}'`)
    }
    default: {
      const m = parseTimestampMicros(v as string)!.micros
      const ms = m - (((m % 1000n) + 1000n) % 1000n)
      const format = c === 't' ? formatTimestamp : formatTimestampNtz
      const keyword = c === 't' ? 'TIMESTAMP' : 'TIMESTAMP_NTZ'
      return [m - 1n, m, m + 1n, ms - 1n, ms, ms + 1n, ms + 998n, ms + 999n, ms + 1000n].map((u) => `${keyword} '${format(u)}'`)
    }
  }
}

const uniformLiteral: Record<string, fc.Arbitrary<string>> = {
  a: longs.map(String),
  x: doubles.map((d) => (Number.isNaN(d) ? "'NaN'" : String(d))),
  s: strings.map((x) => `'${x}'`),
  t: micros.map((m) => `TIMESTAMP '${formatTimestamp(m)}'`),
  n: micros.map((m) => `TIMESTAMP_NTZ '${formatTimestampNtz(m)}'`),
}

/** Literals for column `c`: mostly near the rows' values, sometimes NULL or uniform. */
function literals(rows: readonly Row[], c: string): fc.Arbitrary<string> {
  const near = rows.flatMap((r) => (r[c] === null || r[c] === undefined ? [] : nearLiterals(c, r[c])))
  const uniform = uniformLiteral[c]!
  if (near.length === 0) return fc.oneof(uniform, fc.constant('NULL'))
  return fc.oneof({ arbitrary: fc.constantFrom(...near), weight: 8 }, { arbitrary: uniform, weight: 1 }, { arbitrary: fc.constant('NULL'), weight: 1 })
}

function leafFor(rows: readonly Row[]): fc.Arbitrary<string> {
  return fc.constantFrom(...COLUMNS).chain((c) => {
    const lit = literals(rows, c)
    return fc.oneof(
      fc.tuple(fc.constantFrom('=', '!=', '<', '<=', '>', '>='), lit).map(([op, v]) => `${c} ${op} ${v}`),
      fc.tuple(lit, fc.constantFrom('=', '<', '>=', '!=')).map(([v, op]) => `${v} ${op} ${c}`),
      fc.tuple(fc.array(lit, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([vs, neg]) => `${c}${neg ? ' NOT' : ''} IN (${vs.join(', ')})`),
      fc.boolean().map((neg) => `${c} IS ${neg ? 'NOT ' : ''}NULL`),
      fc.tuple(lit, lit, fc.boolean()).map(([x, y, neg]) => `${c}${neg ? ' NOT' : ''} BETWEEN ${x} AND ${y}`),
    )
  })
}

function predicateFor(rows: readonly Row[]): fc.Arbitrary<string> {
  const leaf = leafFor(rows)
  return fc.letrec<{ p: string }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('p'), tie('p')).map(([x, y]) => `(${x}) AND (${y})`),
      fc.tuple(tie('p'), tie('p')).map(([x, y]) => `(${x}) OR (${y})`),
      tie('p').map((x) => `NOT (${x})`),
      fc.constantFrom('TRUE', 'FALSE', 'NULL'),
    ),
  })).p
}

type Truncation = 'exact' | 'truncated'

/** One column's stats entry text, as a writer records it: strings cut to 2 code points, timestamps floored to ms. */
function show(c: string, v: unknown, truncation: Truncation): string {
  if (c === 'a' || c === 'x') return String(v)
  if (c === 's') return JSON.stringify(truncation === 'truncated' ? Array.from(v as string).slice(0, 2).join('') : v)
  const text = v as string
  return JSON.stringify(truncation === 'truncated' ? `${text.slice(0, 23)}${c === 't' ? 'Z' : ''}` : text)
}

/** Stats JSON of the rows; a double column with a NaN has no min/max (as lake's writer records it). */
function statsOf(rows: readonly Row[], truncation: Truncation): string {
  const min: string[] = []
  const max: string[] = []
  const nulls: string[] = []
  for (const c of COLUMNS) {
    const values = rows.map((r) => r[c]).filter((v) => v !== null && v !== undefined)
    nulls.push(`"${c}":${rows.length - values.length}`)
    if (values.length === 0 || values.some((v) => Number.isNaN(v))) continue
    const sorted = [...values].sort((x, y) => (c === 's' ? compareStrings(x as string, y as string) : compareValues(x, y, TYPES[c]!)))
    min.push(`"${c}":${show(c, sorted[0], truncation)}`)
    max.push(`"${c}":${show(c, sorted[sorted.length - 1], truncation)}`)
  }
  return `{"numRecords":${rows.length},"minValues":{${min.join(',')}},"maxValues":{${max.join(',')}},"nullCount":{${nulls.join(',')}}}`
}

const rowsAndPredicate = fc.array(row, { minLength: 1, maxLength: 6 }).chain((rows) => fc.tuple(fc.constant(rows), predicateFor(rows)))
const rowsAndLeaf = fc.array(row, { minLength: 1, maxLength: 6 }).chain((rows) => fc.tuple(fc.constant(rows), leafFor(rows)))

describe('canSkipFile (property)', () => {
  it.each<Truncation>(['exact', 'truncated'])('never skips a file holding a matching row (%s stats)', (truncation) => {
    fc.assert(
      fc.property(rowsAndPredicate, ([rows, text]) => {
        const bound = bindPredicate(text, schema)
        if (canSkipFile(bound, statsOf(rows, truncation))) {
          expect(rows.filter((r) => evaluateRow(bound, r))).toEqual([])
        }
      }),
      { numRuns: 600 },
    )
  })

  it('does skip some files with exact stats (the property is not vacuous)', () => {
    let skipped = 0
    fc.assert(
      fc.property(rowsAndLeaf, ([rows, text]) => {
        if (canSkipFile(bindPredicate(text, schema), statsOf(rows, 'exact'))) skipped++
      }),
      { numRuns: 300 },
    )
    expect(skipped).toBeGreaterThan(30)
  })
})
