// Stats straight from canonical Arrow buffers (arrow-stats.ts: strings compared once against the min
// and then the max, int64 compared by its 32-bit words without a bigint per value) equal the row
// encoder's stats for random columns: nulls, negative and huge longs, -0 and NaN, unicode strings and
// strings long enough to be truncated at STATS_STRING_PREFIX_LENGTH, whole and sliced batches.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeParquet } from '../src/index.js'
import type { Row } from '../src/index.js'
import { rowsToArrowBatch } from '../src/arrow/index.js'
import { canonicalBatch } from '../src/arrow/encode-arrow-batch.js'
import { STATS_STRING_PREFIX_LENGTH } from '../src/stats.js'
import { field, P, struct } from './helpers.js'
import { random } from './seeded-random.js'

const LONGS = [0n, -1n, 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 32n, -(2n ** 32n), 2n ** 32n - 1n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 62n + 0xffffffffn, -(2n ** 62n) - 0x80000000n]
const PIECES = ['a', 'z', 'é', '\u00ff', '\u0100', '中', '\uFFFF', '\u{1F600}', '\u{10FFFF}', ' ', '~']
const PREFIX = 'p'.repeat(STATS_STRING_PREFIX_LENGTH - 2)

function randomRow(next: () => number, nullShare: number): Row {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T
  const maybe = <T>(value: T): T | null => (next() < nullShare ? null : value)
  const big = BigInt(Math.floor(next() * 2 ** 32)) * BigInt(Math.floor(next() * 2 ** 31)) * (next() < 0.5 ? -1n : 1n)
  const text = Array.from({ length: Math.floor(next() * 5) }, () => pick(PIECES)).join('')
  return {
    l: maybe(next() < 0.2 ? pick(LONGS) : big),
    i: maybe(Math.floor((next() - 0.5) * 2 ** 32)),
    d: maybe(pick([-0, 0, 1.5, -1e300, 1e-300, (next() - 0.5) * 1e6])),
    s: maybe(next() < 0.3 ? PREFIX + text + pick(PIECES).repeat(8) : text),
    t: maybe(`20${10 + Math.floor(next() * 20)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}T12:34:56.${100000 + Math.floor(next() * 899999)}Z`),
  }
}

const SCHEMA = struct(field('l', P('long')), field('i', P('integer')), field('d', P('double')), field('s', P('string')), field('t', P('timestamp')))

const arrowStats = (rows: Row[], start = 0, end = rows.length) => {
  const { batch } = rowsToArrowBatch(rows, SCHEMA)
  return canonicalBatch(start === 0 && end === rows.length ? batch : batch.slice(start, end), SCHEMA, {}).stats()
}
const rowStats = (rows: Row[]) => encodeParquet(rows, SCHEMA, { compression: 'uncompressed' }).stats

describe('stats from Arrow buffers', () => {
  it.each([
    [1, 0],
    [2, 0.1],
    [3, 0.6],
    [4, 0.97],
  ])('equal the row encoder stats for random columns (seed %i, null share %f)', (seed, nullShare) => {
    const next = random(seed)
    const rows = Array.from({ length: 2000 }, () => randomRow(next, nullShare))
    expect(arrowStats(rows)).toEqual(rowStats(rows))
    expect(arrowStats(rows, 333, 1500)).toEqual(rowStats(rows.slice(333, 1500)))
  })

  it('orders int64 values across their 32-bit words exactly (no rounding through a double)', () => {
    const safe = [2n ** 32n, -(2n ** 32n), 2n ** 32n - 1n, -(2n ** 31n) - 1n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n - 2n, -(2n ** 53n) + 2n, 0n, -1n]
    const rows = safe.map((l) => ({ l, i: null, d: null, s: null, t: null }))
    const stats = arrowStats(rows)
    expect(stats).toEqual(rowStats(rows))
    expect(String(stats.minValues['l'])).toBe('-9007199254740991')
    expect(String(stats.maxValues['l'])).toBe('9007199254740991')
    const huge = LONGS.map((l) => ({ l, i: null, d: null, s: null, t: null }))
    expect(arrowStats(huge)).toEqual(rowStats(huge))
  })

  it('gives no bounds for a double column holding NaN, and keeps the first of -0 and 0', () => {
    const nan = [1, Number.NaN, -5].map((d) => ({ l: null, i: null, d, s: null, t: null }))
    expect(arrowStats(nan)).toEqual(rowStats(nan))
    expect(arrowStats(nan).minValues['d']).toBeUndefined()
    const zeros = [-0, 0].map((d) => ({ l: null, i: null, d, s: null, t: null }))
    expect(arrowStats(zeros)).toEqual(rowStats(zeros))
  })

  it.each([5, 6, 7, 8, 9])('bound strings that share prefixes or are prefixes of each other by code point (seed %i)', (seed) => {
    const next = random(seed)
    const alphabet = ['a', 'b', '\u00ff', '\u{1F600}', '\uFFFF']
    const text = () => Array.from({ length: Math.floor(next() * 7) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('')
    const rows = Array.from({ length: 3000 }, () => ({ l: null, i: null, d: null, s: next() < 0.1 ? null : `key-${text()}`, t: null }))
    expect(arrowStats(rows)).toEqual(rowStats(rows))
    expect(arrowStats(rows.slice(0, 40))).toEqual(rowStats(rows.slice(0, 40)))
  })

  it('bound short sequences of strings over a small alphabet exactly (every new min and max, prefixes, equal values)', () => {
    const piece = fc.constantFrom('a', 'b', '\u00ff', '\u0100', '\u{1F600}', '\uFFFF')
    const text = fc.array(piece, { maxLength: 4 }).map((pieces) => pieces.join(''))
    fc.assert(
      fc.property(fc.array(fc.option(text, { nil: null, freq: 5 }), { minLength: 1, maxLength: 12 }), (texts) => {
        const rows = texts.map((s) => ({ l: null, i: null, d: null, s, t: null }))
        expect(arrowStats(rows)).toEqual(rowStats(rows))
      }),
      { numRuns: 600 },
    )
  })

  it('bound short sequences of decimals exactly (signed 128-bit compare across words, ties, nulls)', () => {
    const schema = struct(field('m', { kind: 'decimal', precision: 38, scale: 2 }))
    const unscaled = fc.oneof(fc.bigInt({ min: -(10n ** 36n), max: 10n ** 36n }), fc.bigInt({ min: -300n, max: 300n }), fc.constantFrom(2n ** 64n, -(2n ** 64n), 2n ** 32n - 1n, -(2n ** 32n)))
    const text = (u: bigint): string => `${u < 0n ? '-' : ''}${(u < 0n ? -u : u) / 100n}.${String((u < 0n ? -u : u) % 100n).padStart(2, '0')}`
    fc.assert(
      fc.property(fc.array(fc.option(unscaled, { nil: null, freq: 5 }), { minLength: 1, maxLength: 12 }), (values) => {
        const rows = values.map((u) => ({ m: u === null ? null : text(u) }))
        const { batch } = rowsToArrowBatch(rows, schema)
        expect(canonicalBatch(batch, schema, {}).stats()).toEqual(encodeParquet(rows, schema, { compression: 'uncompressed' }).stats)
      }),
      { numRuns: 300 },
    )
  })

  it('truncates long strings at the prefix length, the max rounded up past a shared prefix', () => {
    const rows = ['b'.repeat(40), 'a'.repeat(40), `${'a'.repeat(40)}\u{1F600}`, 'b'.repeat(50)].map((s) => ({ l: null, i: null, d: null, s, t: null }))
    const stats = arrowStats(rows)
    expect(stats).toEqual(rowStats(rows))
    expect(stats.minValues['s']).toBe('a'.repeat(STATS_STRING_PREFIX_LENGTH))
  })
})
