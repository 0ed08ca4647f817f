// Tests for stats-based file skipping: conservative with missing or truncated stats, exact on partitions.

import type { DataType, StructType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { bindPredicate, canSkipFile, parseFileStats, toNegationNormalForm, predicateToSql } from '../src/expr/index.js'

const p = (name: string): DataType => ({ kind: 'primitive', name }) as DataType
const field = (name: string, type: DataType, metadata: Record<string, unknown> = {}) => ({ name, type, nullable: true, metadata })

const schema: StructType = {
  kind: 'struct',
  fields: [
    field('id', p('long')),
    field('x', p('double')),
    field('s', p('string')),
    field('ts', p('timestamp')),
    field('amount', { kind: 'decimal', precision: 38, scale: 2 }),
    field('part', p('integer'), { 'delta.columnMapping.physicalName': 'col-part' }),
    field('nested', { kind: 'struct', fields: [field('v', p('integer'), { 'delta.columnMapping.physicalName': 'col-v' })] }, { 'delta.columnMapping.physicalName': 'col-nested' }),
  ],
}

// Written as text: decimal stats must keep digits a JS number would lose.
const stats =
  '{"numRecords":10,' +
  '"minValues":{"id":10,"x":1.5,"s":"apple","ts":"2024-01-01T00:00:00.000Z","amount":12345678901234567.5,"nested":{"v":3}},' +
  '"maxValues":{"id":20,"x":2.5,"s":"mango","ts":"2024-01-01T00:00:00.123Z","amount":12345678901234568.25,"nested":{"v":4}},' +
  '"nullCount":{"id":0,"x":2,"s":0,"ts":0,"amount":0,"nested":{"v":10}}}'

function skips(text: string, json: string | null = stats, partitionValues?: Record<string, string | null>): boolean {
  return canSkipFile(bindPredicate(text, schema), json, partitionValues)
}

describe('canSkipFile', () => {
  it.each([
    ['id = 5', true],
    ['id = 10', false],
    ['id > 20', true],
    ['id >= 20', false],
    ['id < 10', true],
    ['id <= 10', false],
    ['id != 15', false],
    ['id IN (1, 2, 30)', true],
    ['id IN (1, 15)', false],
    ['id NOT IN (1, NULL)', true],
    ['id BETWEEN 21 AND 30', true],
    ['id BETWEEN 0 AND 10', false],
    ['id NOT BETWEEN 0 AND 30', true],
    ['NOT id < 25', true],
    ['NOT (id > 5 AND id < 25)', true],
    ['id = 5 OR x = 2', false],
    ['id = 5 AND x = 2', true],
    ['x IS NULL', false],
    ['id IS NULL', true],
    ['nested.v IS NOT NULL', true],
    ['nested.v = 3', true],
    ['FALSE', true],
    ['NULL', true],
    ['TRUE', false],
    ['id = x', false],
  ])('%s skips the file: %s', (text, expected) => {
    expect(skips(text)).toBe(expected)
  })

  it('compares decimal stats exactly, beyond double precision', () => {
    expect(skips('amount = 12345678901234567.49')).toBe(true)
    expect(skips('amount = 12345678901234567.50')).toBe(false)
    expect(skips('amount > 12345678901234568.25')).toBe(true)
    expect(skips('amount > 12345678901234568.24')).toBe(false)
  })

  it('keeps long stats exact', () => {
    const big = '{"numRecords":1,"minValues":{"id":9007199254740993},"maxValues":{"id":9007199254740993},"nullCount":{"id":0}}'
    expect(skips('id = 9007199254740992', big)).toBe(true)
    expect(skips('id = 9007199254740993', big)).toBe(false)
  })

  it('allows for millisecond-truncated timestamp maxima', () => {
    expect(skips("ts > TIMESTAMP '2024-01-01 00:00:00.123500'")).toBe(false)
    expect(skips("ts > TIMESTAMP '2024-01-01 00:00:00.124'")).toBe(true)
    expect(skips("ts < TIMESTAMP '2024-01-01 00:00:00'")).toBe(true)
  })

  it('treats a string maximum as a possibly truncated prefix', () => {
    expect(skips("s = 'mango-juice'")).toBe(false)
    expect(skips("s > 'mangp'")).toBe(true)
    expect(skips("s < 'apple'")).toBe(true)
    expect(skips("s = 'zebra'")).toBe(true)
  })

  it.each([null, '', 'not json', '{"numRecords":5}'])('never skips on a comparison without stats (%j)', (json) => {
    expect(skips('id = 5', json)).toBe(false)
  })

  it('skips a file with zero records whatever the predicate', () => {
    expect(skips('TRUE', '{"numRecords":0}')).toBe(true)
  })

  it('skips on all-null columns using nullCount = numRecords even without min/max', () => {
    const allNull = '{"numRecords":3,"minValues":{},"maxValues":{},"nullCount":{"x":3}}'
    expect(skips('x > 0', allNull)).toBe(true)
    expect(skips('x IS NULL', allNull)).toBe(false)
  })

  it('uses partition values exactly, keyed by physical name', () => {
    const bound = bindPredicate('part = 1 AND id = 15', schema, { columnMappingMode: 'name' })
    expect(canSkipFile(bound, stats, { 'col-part': '2' })).toBe(true)
    expect(canSkipFile(bound, stats, { 'col-part': '1' })).toBe(false)
    expect(canSkipFile(bindPredicate('part IS NULL', schema, { columnMappingMode: 'name' }), stats, { 'col-part': null })).toBe(false)
    expect(canSkipFile(bindPredicate('part != 1', schema, { columnMappingMode: 'name' }), stats, { 'col-part': '1' })).toBe(true)
  })

  it('reads nested stats under physical names with column mapping', () => {
    const mapped = JSON.stringify({ numRecords: 2, minValues: { 'col-nested': { 'col-v': 5 } }, maxValues: { 'col-nested': { 'col-v': 6 } }, nullCount: {} })
    const bound = bindPredicate('nested.v = 1', schema, { columnMappingMode: 'name' })
    expect(canSkipFile(bound, mapped)).toBe(true)
  })
})

describe('toNegationNormalForm', () => {
  it.each([
    ['NOT (a = 1 AND b < 2)', 'a != 1 OR b >= 2'],
    ['NOT (a IN (1) OR NOT b IS NULL)', 'a NOT IN (1) AND b IS NULL'],
    ['NOT NOT a BETWEEN 1 AND 2', 'a BETWEEN 1 AND 2'],
  ])('rewrites %s as %s', (text, expected) => {
    const s: StructType = { kind: 'struct', fields: [field('a', p('integer')), field('b', p('integer'))] }
    expect(predicateToSql(toNegationNormalForm(bindPredicate(text, s)))).toBe(expected)
  })
})

describe('parseFileStats', () => {
  it('keeps numbers exact and tolerates missing maps', () => {
    const parsed = parseFileStats('{"numRecords":3,"minValues":{"a":123456789012345678901234}}')
    expect(parsed?.numRecords).toBe(3)
    expect(parsed?.maxValues).toEqual({})
    expect((parsed?.minValues['a'] as { text: string }).text).toBe('123456789012345678901234')
  })
})
