// Data skipping at the edges of the stats: millisecond-truncated timestamp and timestamp_ntz maxima,
// stats without counts, constant predicates. Each case pins one rule whose breaking would skip a file
// that holds matching rows (or keep reading files that cannot match).

import type { DataType, StructType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { bindPredicate, canSkipFile } from '../src/expr/index.js'
import type { BoundPredicate } from '../src/expr/index.js'

const p = (name: string): DataType => ({ kind: 'primitive', name }) as DataType
const field = (name: string, type: DataType) => ({ name, type, nullable: true, metadata: {} })
const schema: StructType = {
  kind: 'struct',
  fields: [field('id', p('long')), field('ts', p('timestamp')), field('tn', p('timestamp_ntz')), field('s', p('string'))],
}

// Maxima as Spark writes them: timestamps truncated to the millisecond.
const stats = JSON.stringify({
  numRecords: 4,
  minValues: { id: 10, ts: '2024-01-01T00:00:00.000Z', tn: '2024-01-01T00:00:00.000', s: 'b' },
  maxValues: { id: 20, ts: '2024-01-01T00:00:00.123Z', tn: '2024-01-01T00:00:00.123', s: 'd' },
  nullCount: { id: 0, ts: 0, tn: 0, s: 1 },
})

function skips(text: string, json: string = stats, partitionValues?: Record<string, string | null>): boolean {
  return canSkipFile(bindPredicate(text, schema), json, partitionValues)
}

describe('canSkipFile with millisecond-truncated timestamp maxima', () => {
  it.each([
    ["ts >= TIMESTAMP '2024-01-01 00:00:00.123500'", false],
    ["ts >= TIMESTAMP '2024-01-01 00:00:00.123999'", false],
    ["ts >= TIMESTAMP '2024-01-01 00:00:00.124'", true],
    ["ts = TIMESTAMP '2024-01-01 00:00:00.123999'", false],
    ["ts = TIMESTAMP '2024-01-01 00:00:00.124'", true],
    ["ts > TIMESTAMP '2024-01-01 00:00:00.123998'", false],
    ["ts > TIMESTAMP '2024-01-01 00:00:00.123999'", true],
    ["TIMESTAMP '2024-01-01 00:00:00.123500' <= ts", false],
  ])('%s skips: %s', (text, expected) => {
    expect(skips(text)).toBe(expected)
  })

  it.each([
    ["tn >= TIMESTAMP_NTZ '2024-01-01 00:00:00.123500'", false],
    ["tn > TIMESTAMP_NTZ '2024-01-01 00:00:00.123998'", false],
    ["tn = TIMESTAMP_NTZ '2024-01-01 00:00:00.123999'", false],
    ["tn > TIMESTAMP_NTZ '2024-01-01 00:00:00.123999'", true],
    ["tn != TIMESTAMP_NTZ '2024-01-01 00:00:00.123'", false],
  ])('treats timestamp_ntz maxima as truncated too: %s skips: %s', (text, expected) => {
    expect(skips(text)).toBe(expected)
  })

  it('treats an equal min and max of a timestamp column as inexact for !=', () => {
    const one = JSON.stringify({ numRecords: 2, minValues: { ts: '2024-01-01T00:00:00.123Z' }, maxValues: { ts: '2024-01-01T00:00:00.123Z' }, nullCount: { ts: 0 } })
    expect(skips("ts != TIMESTAMP '2024-01-01 00:00:00.123'", one)).toBe(false)
  })

  it('never skips when a timestamp maximum does not parse', () => {
    const odd = JSON.stringify({ numRecords: 2, minValues: {}, maxValues: { ts: 'yesterday' }, nullCount: { ts: 0 } })
    expect(skips("ts > TIMESTAMP '2024-01-01 00:00:00'", odd)).toBe(false)
  })
})

describe('canSkipFile with exact stats', () => {
  it('skips != only when min and max both equal the literal', () => {
    const one = JSON.stringify({ numRecords: 2, minValues: { id: 7 }, maxValues: { id: 7 }, nullCount: { id: 0 } })
    const range = JSON.stringify({ numRecords: 2, minValues: { id: 7 }, maxValues: { id: 8 }, nullCount: { id: 0 } })
    const low = JSON.stringify({ numRecords: 2, minValues: { id: 6 }, maxValues: { id: 7 }, nullCount: { id: 0 } })
    expect(skips('id != 7', one)).toBe(true)
    expect(skips('id != 7', range)).toBe(false)
    expect(skips('id != 7', low)).toBe(false)
    expect(skips('id != 8', one)).toBe(false)
  })

  it('never skips != without both bounds', () => {
    const onlyMin = JSON.stringify({ numRecords: 2, minValues: { id: 7 }, maxValues: {}, nullCount: { id: 0 } })
    const onlyMax = JSON.stringify({ numRecords: 2, minValues: {}, maxValues: { id: 7 }, nullCount: { id: 0 } })
    expect(skips('id != 7', onlyMin)).toBe(false)
    expect(skips('id != 7', onlyMax)).toBe(false)
  })

  it.each([
    ['id < 10', true],
    ['id < 11', false],
    ['id <= 9', true],
    ['id <= 10', false],
    ['id > 19', false],
    ['id > 20', true],
    ['id >= 21', true],
    ['id = 21', true],
    ['id = 9', true],
    ['10 > id', true],
    ['20 < id', true],
    ['20 <= id', false],
    ['id NOT BETWEEN 10 AND 20', true],
    ['id NOT BETWEEN 11 AND 20', false],
    ['id NOT BETWEEN 10 AND 19', false],
    ['id BETWEEN 20 AND 30', false],
    ['id NOT IN (10, 20)', false],
    ['id IN (9, 21)', true],
  ])('%s skips: %s', (text, expected) => {
    expect(skips(text)).toBe(expected)
  })

  it('never skips a comparison against a NULL literal as a match, nor a column-to-column comparison', () => {
    expect(skips('id = NULL')).toBe(true)
    expect(skips('NULL < id')).toBe(true)
    expect(skips('ts < ts')).toBe(false)
  })
})

describe('canSkipFile on a nested column', () => {
  it('reads its stats, never a partition value named like its parent struct', () => {
    const nested: StructType = { kind: 'struct', fields: [field('n', { kind: 'struct', fields: [field('v', p('integer'))] })] }
    const nestedStats = JSON.stringify({ numRecords: 2, minValues: { n: { v: 1 } }, maxValues: { n: { v: 2 } }, nullCount: { n: { v: 0 } } })
    expect(canSkipFile(bindPredicate('n.v = 9', nested), nestedStats, { n: '9' })).toBe(true)
    expect(canSkipFile(bindPredicate('n.v = 2', nested), nestedStats, { n: '9' })).toBe(false)
  })
})

describe('canSkipFile with NOT IN', () => {
  const one = JSON.stringify({ numRecords: 2, minValues: { id: 7 }, maxValues: { id: 7 }, nullCount: { id: 0 } })

  it('skips only when every listed value rules the file out', () => {
    expect(skips('id NOT IN (7)', one)).toBe(true)
    expect(skips('id NOT IN (8)', one)).toBe(false)
    expect(skips('id NOT IN (7, 8)', one)).toBe(true)
    expect(skips('id NOT IN (8, 9)', one)).toBe(false)
  })

  it('skips whenever the list holds NULL (x NOT IN (..., NULL) is never TRUE)', () => {
    expect(skips('id NOT IN (8, NULL)', one)).toBe(true)
    expect(skips('id NOT IN (NULL)', one)).toBe(true)
  })
})

describe('canSkipFile on a comparison of two values (not folded by the binder)', () => {
  const long = p('long')
  const compare = (op: '=' | '<', a: bigint, b: bigint): BoundPredicate => ({
    kind: 'compare',
    op,
    left: { kind: 'value', value: a, type: long, pos: 0 },
    right: { kind: 'value', value: b, type: long, pos: 4 },
    pos: 0,
  })

  it('evaluates it: FALSE skips, TRUE does not', () => {
    expect(canSkipFile(compare('=', 1n, 2n), stats)).toBe(true)
    expect(canSkipFile(compare('=', 2n, 2n), stats)).toBe(false)
    expect(canSkipFile(compare('<', 1n, 2n), stats)).toBe(false)
  })
})

describe('canSkipFile with incomplete counts', () => {
  const noCounts = JSON.stringify({ minValues: { id: 10 }, maxValues: { id: 20 } })

  it('does not treat a column as all-null when the stats have neither numRecords nor nullCount', () => {
    expect(skips('id = 15', noCounts)).toBe(false)
    expect(skips('id IS NOT NULL', noCounts)).toBe(false)
    expect(skips('id IS NULL', noCounts)).toBe(false)
  })

  it('keeps a file with some nulls for IS NULL and one without for IS NOT NULL', () => {
    expect(skips('s IS NULL')).toBe(false)
    expect(skips('s IS NOT NULL')).toBe(false)
    expect(skips('id IS NULL')).toBe(true)
  })

  it('skips IS NOT NULL on a partition whose value is null and IS NULL on one that is not', () => {
    expect(skips('id IS NOT NULL', stats, { id: null })).toBe(true)
    expect(skips('id IS NULL', stats, { id: '15' })).toBe(true)
    expect(skips('id = 15', stats, { id: '15' })).toBe(false)
    expect(skips('id = 15', stats, { id: '16' })).toBe(true)
  })
})

describe('canSkipFile with constant predicates', () => {
  it.each([
    ['NOT FALSE', false],
    ['NOT TRUE', true],
    ['NOT NULL', true],
    ['NOT (NOT FALSE)', true],
    ['TRUE OR FALSE', false],
    ['FALSE OR FALSE', true],
    ['TRUE AND FALSE', true],
    ['1 = 1', false],
    ['1 = 2', true],
    ['NULL IS NULL', false],
    ['1 IS NULL', true],
    ['1 IS NOT NULL', false],
  ])('%s skips: %s', (text, expected) => {
    expect(skips(text)).toBe(expected)
  })

  it('skips a file with zero records but not one of unknown size', () => {
    expect(skips('TRUE', JSON.stringify({ numRecords: 0 }))).toBe(true)
    expect(skips('TRUE', JSON.stringify({ minValues: {} }))).toBe(false)
  })
})
