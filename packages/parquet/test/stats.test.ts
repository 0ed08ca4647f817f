// Delta file statistics: null counts, bounds, nesting, column limit, NaN, timestamp and string truncation.
import { describe, expect, it } from 'vitest'
import { encodeParquet } from '../src/index.js'
import type { Row, StructType } from '../src/index.js'
import { truncateMaxString, truncateMinString } from '../src/string-bounds.js'
import { array, decimal, field, map, P, struct } from './helpers.js'

const statsOf = (rows: Row[], schema: StructType, statsColumnLimit?: number) =>
  encodeParquet(rows, schema, { statsColumnLimit, compression: 'uncompressed' }).stats

describe('file stats', () => {
  it('counts records and nulls and keeps numeric, date and decimal bounds', () => {
    const schema = struct(field('i', P('integer')), field('d', P('date')), field('dec', decimal(10, 2)), field('b', P('boolean')))
    const stats = statsOf(
      [
        { i: 5, d: '2024-01-02', dec: '-1.50', b: true },
        { i: -3, d: '1969-12-31', dec: '12345678.99', b: null },
        { i: null, d: null, dec: null, b: false },
      ],
      schema,
    )
    expect(stats).toEqual({
      numRecords: 3,
      minValues: { i: -3, d: '1969-12-31', dec: -1.5 },
      maxValues: { i: 5, d: '2024-01-02', dec: 12345678.99 },
      nullCount: { i: 1, d: 1, dec: 1, b: 1 },
    })
  })

  it('orders string bounds by code point (UTF-8 bytes), also with surrogates and lone surrogates', () => {
    const values = ['ab', 'a\uffff', 'a\u{10000}', 'a\ud800', 'a\ud800x', 'a\ue000', 'a', 'a\u{10000}b', '\u{1f600}', '\uffff']
    const utf8Order = (a: string, b: string) => {
      const [x, y] = [[...a].map(c => c.codePointAt(0) as number), [...b].map(c => c.codePointAt(0) as number)]
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number)
      return x.length - y.length
    }
    for (const a of values) {
      for (const b of values) {
        const stats = statsOf([{ s: a }, { s: b }], struct(field('s', P('string'))))
        const [min, max] = utf8Order(a, b) <= 0 ? [a, b] : [b, a]
        expect([a, b, stats.minValues['s'], stats.maxValues['s']]).toEqual([a, b, min, max])
      }
    }
  })

  it('nests stats like the schema and counts a null struct as null in each field', () => {
    const schema = struct(field('s', struct(field('a', P('long')), field('t', struct(field('c', P('string')))))))
    const stats = statsOf([{ s: { a: 1n, t: { c: 'x' } } }, { s: null }, { s: { a: 2n, t: null } }], schema)
    expect(stats.minValues).toEqual({ s: { a: 1, t: { c: 'x' } } })
    expect(stats.maxValues).toEqual({ s: { a: 2, t: { c: 'x' } } })
    expect(stats.nullCount).toEqual({ s: { a: 1, t: { c: 2 } } })
  })

  it('gives arrays, maps, binary and booleans a null count but no bounds', () => {
    const schema = struct(field('l', array(P('integer'))), field('m', map(P('string'), P('string'))), field('bin', P('binary')))
    const stats = statsOf([{ l: [1], m: new Map([['a', 'b']]), bin: new Uint8Array([1]) }, { l: null, m: null, bin: null }], schema)
    expect(stats.minValues).toEqual({})
    expect(stats.maxValues).toEqual({})
    expect(stats.nullCount).toEqual({ l: 1, m: 1, bin: 1 })
  })

  it('only covers the first N leaf columns, depth first', () => {
    const schema = struct(field('a', P('integer')), field('s', struct(field('b', P('integer')), field('c', P('integer')))), field('d', P('integer')))
    const stats = statsOf([{ a: 1, s: { b: 2, c: 3 }, d: 4 }], schema, 2)
    expect(stats.nullCount).toEqual({ a: 0, s: { b: 0 } })
    expect(stats.minValues).toEqual({ a: 1, s: { b: 2 } })
    expect(statsOf([{ a: 1, s: { b: 2, c: 3 }, d: 4 }], schema, 0)).toEqual({ numRecords: 1, minValues: {}, maxValues: {}, nullCount: {} })
  })

  it('omits float bounds when a NaN is present and infinite bounds always', () => {
    const schema = struct(field('f', P('double')), field('g', P('float')))
    const stats = statsOf([{ f: 1, g: Infinity }, { f: NaN, g: -2 }], schema)
    expect(stats.minValues).toEqual({ g: -2 })
    expect(stats.maxValues).toEqual({})
    expect(JSON.stringify(stats)).not.toMatch(/NaN|Infinity|:null/)
  })

  it('truncates timestamps to milliseconds, rounding the max up when micros are cut', () => {
    const schema = struct(field('ts', P('timestamp')), field('ntz', P('timestamp_ntz')))
    const stats = statsOf(
      [
        { ts: '2024-01-01T00:00:00.123456Z', ntz: '1969-12-31T23:59:59.999001' },
        { ts: '2024-01-01T00:00:00.999000Z', ntz: '1969-12-31T23:59:59.000999' },
      ],
      schema,
    )
    expect(stats.minValues).toEqual({ ts: '2024-01-01T00:00:00.123Z', ntz: '1969-12-31T23:59:59.000' })
    expect(stats.maxValues).toEqual({ ts: '2024-01-01T00:00:00.999Z', ntz: '1970-01-01T00:00:00.000' })
    const roundUp = statsOf([{ ts: '2024-12-31T23:59:59.999001Z', ntz: null }], schema)
    expect(roundUp.maxValues).toEqual({ ts: '2025-01-01T00:00:00.000Z' })
  })

  it('truncates long strings to 32 chars, the max with a tie-breaker that still bounds', () => {
    const long = 'a'.repeat(40)
    const stats = statsOf([{ s: long }, { s: 'b' + 'z'.repeat(40) }], struct(field('s', P('string'))))
    expect(stats.minValues).toEqual({ s: 'a'.repeat(32) })
    expect(stats.maxValues).toEqual({ s: 'b' + 'z'.repeat(31) + '\u007f' })
  })

  it('keeps exact long bounds up to 2^53 and rounds outward, or omits, beyond', () => {
    const schema = struct(field('l', P('long')))
    expect(statsOf([{ l: 9007199254740991n }, { l: -9007199254740991n }], schema).maxValues).toEqual({ l: 9007199254740991 })
    const big = statsOf([{ l: 9007199254740993n }, { l: 2n ** 62n + 1n }], schema)
    expect(BigInt(JSON.stringify(big.minValues.l))).toBeLessThanOrEqual(9007199254740993n)
    expect(BigInt(JSON.stringify(big.maxValues.l))).toBeGreaterThanOrEqual(2n ** 62n + 1n)
    const extreme = statsOf([{ l: 2n ** 63n - 1n }, { l: -(2n ** 63n) }], schema)
    expect(extreme.minValues).toEqual({})
    expect(extreme.maxValues).toEqual({})
  })

  it('rounds wide decimal bounds outward so their JSON text still bounds', () => {
    const schema = struct(field('d', decimal(38, 10)))
    const value = '1234567890123456789012345678.0123456789'
    const stats = statsOf([{ d: value }, { d: '-' + value }], schema)
    const exact = BigInt(value.replace('.', ''))
    const asUnscaled = (x: unknown) => BigInt(Math.round(Number(x))) * 10n ** 10n
    expect(asUnscaled(stats.maxValues.d)).toBeGreaterThanOrEqual(exact)
    expect(asUnscaled(stats.minValues.d)).toBeLessThanOrEqual(-exact)
  })
})

describe('string bounds', () => {
  it.each([
    ['short strings stay whole', 'abc', 'abc', 'abc'],
    ['a cut surrogate pair is kept whole in the min', 'a'.repeat(31) + '😀x', 'a'.repeat(31) + '😀', 'a'.repeat(31) + '😀\u007f'],
    ['a non-ASCII cut char gets U+10FFFF', 'a'.repeat(32) + 'é', 'a'.repeat(32), 'a'.repeat(32) + '\u{10ffff}'],
  ])('%s', (_, value, min, max) => {
    expect(truncateMinString(value, 32)).toBe(min)
    expect(truncateMaxString(value, 32)).toBe(max)
  })

  it('gives up on a max when only U+10FFFF follows the prefix', () => {
    expect(truncateMaxString('a'.repeat(32) + '\u{10ffff}'.repeat(40), 32)).toBeUndefined()
  })
})
