// Tests for binding predicates to a schema and evaluating them on rows with three-valued logic.

import type { DataType, Row, StructType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { bindPredicate, compareNumeric, compareStrings, evaluatePredicate, evaluateRow, isPartitionOnly, referencedColumns } from '../src/expr/index.js'

const p = (name: string): DataType => ({ kind: 'primitive', name }) as DataType
const field = (name: string, type: DataType, metadata: Record<string, unknown> = {}) => ({ name, type, nullable: true, metadata })

const schema: StructType = {
  kind: 'struct',
  fields: [
    field('id', p('long')),
    field('n', p('integer')),
    field('x', p('double')),
    field('f', p('float')),
    field('Name', p('string')),
    field('flag', p('boolean')),
    field('d', p('date')),
    field('ts', p('timestamp')),
    field('ntz', p('timestamp_ntz')),
    field('amount', { kind: 'decimal', precision: 38, scale: 10 }),
    field('bin', p('binary')),
    field('s', { kind: 'struct', fields: [field('inner', p('integer'), { 'delta.columnMapping.physicalName': 'col-inner' })] }, { 'delta.columnMapping.physicalName': 'col-s' }),
    field('tags', { kind: 'array', elementType: p('string'), containsNull: true }),
  ],
}

const row: Row = {
  id: 9007199254740993n,
  n: 5,
  x: 1.5,
  f: Math.fround(0.1),
  Name: 'émile',
  flag: true,
  d: '2024-01-31',
  ts: '2024-01-31T12:00:00.123456Z',
  ntz: '2024-01-31T12:00:00.123456',
  amount: '12345678901234567890.1234567891',
  bin: new Uint8Array([104, 105]),
  s: { inner: 7 },
  tags: ['a'],
}

const nulls: Row = Object.fromEntries(Object.keys(row).map((k) => [k, null]))

function matches(text: string, r: Row = row): boolean | null {
  return evaluatePredicate(bindPredicate(text, schema), r)
}

describe('bindPredicate', () => {
  it('resolves columns case-insensitively to their schema spelling', () => {
    const bound = bindPredicate("NAME = 'x' AND S.INNER = 1", schema)
    expect(referencedColumns(bound)).toEqual([['Name'], ['s', 'inner']])
  })

  it('maps nested columns to physical names under column mapping', () => {
    const bound = bindPredicate('s.inner = 1', schema, { columnMappingMode: 'name' })
    expect(bound).toMatchObject({ left: { path: ['s', 'inner'], physicalPath: ['col-s', 'col-inner'] } })
  })

  it.each([
    ['id = 9223372036854775807', 9223372036854775807n],
    ["d = '2024-1-5'", '2024-01-05'],
    ["ts = '2024-01-31 12:00:00'", '2024-01-31T12:00:00.000000Z'],
    ["ts = DATE '2024-01-31'", '2024-01-31T00:00:00.000000Z'],
    ["ntz = TIMESTAMP '2024-01-31 12:00:00.5'", '2024-01-31T12:00:00.500000'],
    ['amount = 1.5', '1.5'],
    ['f = 0.1', Math.fround(0.1)],
    ["id = '42'", 42n],
  ])('coerces the literal of %s to the column type', (text, value) => {
    expect(bindPredicate(text, schema)).toMatchObject({ right: { kind: 'value', value } })
  })

  it.each([
    ["id = 'abc'", "column 'id' has type long: expected a literal of type long, found string 'abc' at position 6"],
    ['nope = 1', 'unknown column \'nope\': expected one of id, n, x, f, Name'],
    ['n = 3000000000', "column 'n' has type integer: expected a literal of type integer, found number 3000000000 at position 5"],
    ["flag = 'maybe'", "column 'flag' has type boolean: expected a literal of type boolean, found string 'maybe'"],
    ['d = 5', "column 'd' has type date: expected a literal of type date, found number 5"],
    ['tags = 1', "column 'tags' has type array: expected a primitive type to compare at position 1"],
    ['id.x = 1', "column 'id.x': expected 'id' to be a struct, found long"],
    ['id = Name', "cannot compare column 'id' of type long with column 'Name' of type string at position 6"],
    ['n', "column 'n' has type integer: expected a literal of type integer, found true"],
    ["d = TIMESTAMP '2024-01-01 00:00:00'", "column 'd' has type date: expected a literal of type date, found TIMESTAMP"],
  ])('rejects %s', (text, message) => {
    expect(() => bindPredicate(text, schema)).toThrow(expect.objectContaining({ code: 'InvalidPredicate', message: expect.stringContaining(message) }))
  })

  it('folds comparisons without columns into constants', () => {
    expect(bindPredicate('1 = 1', schema)).toMatchObject({ kind: 'const', value: true })
    expect(bindPredicate('1 < NULL', schema)).toMatchObject({ kind: 'const', value: null })
  })
})

describe('evaluateRow', () => {
  it.each([
    ['id = 9007199254740993', true],
    ['id > 9007199254740992', true],
    ['id = 9007199254740992', false],
    ['id > 1.5', true],
    ['n > 4.5 AND n < 5.5', true],
    ['x = 1.5', true],
    ['f = 0.1', true],
    ["Name = 'émile'", true],
    ["Name > 'z'", true],
    ['flag', true],
    ['NOT flag', false],
    ["d BETWEEN '2024-01-01' AND '2024-01-31'", true],
    ["ts > TIMESTAMP '2024-01-31 12:00:00.123455'", true],
    ["ts = '2024-01-31T13:00:00.123456+01:00'", true],
    ["ntz < TIMESTAMP_NTZ '2024-01-31 12:00:00.123457'", true],
    ['amount = 12345678901234567890.12345678910', true],
    ['amount > 12345678901234567890.1234567890', true],
    ['amount < 12345678901234567890.123456789', false],
    ["bin = 'hi'", true],
    ['s.inner IN (1, 7)', true],
    ['s.inner NOT IN (1, 2)', true],
    ['id IS NOT NULL AND tags IS NOT NULL', true],
    ['n != 5 OR x <> 1.5', false],
  ])('%s is %s on the sample row', (text, expected) => {
    expect(matches(text)).toBe(expected)
    expect(evaluateRow(bindPredicate(text, schema), row)).toBe(expected)
  })

  it.each([
    ['n = 1', null],
    ['n != 1', null],
    ['NOT n = 1', null],
    ['n = 1 OR TRUE', true],
    ['n = 1 AND FALSE', false],
    ['n = 1 OR FALSE', null],
    ['n IS NULL', true],
    ['s.inner IS NULL', true],
    ['n IN (1, 2)', null],
    ['n BETWEEN 1 AND 2', null],
  ])('%s is %s when the columns are null', (text, expected) => {
    expect(matches(text, nulls)).toBe(expected)
  })

  it.each([
    ['n IN (5, NULL)', true],
    ['n IN (1, NULL)', null],
    ['n NOT IN (1, NULL)', null],
    ['n NOT IN (1, 2)', true],
    ['n NOT BETWEEN 6 AND 9', true],
  ])('%s is %s (IN/BETWEEN with nulls)', (text, expected) => {
    expect(matches(text)).toBe(expected)
  })

  it('never matches a row whose predicate is unknown', () => {
    expect(evaluateRow(bindPredicate('n = 1', schema), nulls)).toBe(false)
    expect(evaluateRow(bindPredicate('NOT n = 1', schema), nulls)).toBe(false)
  })

  it('reads a missing column as null', () => {
    expect(matches('n IS NULL', {})).toBe(true)
  })
})

describe('compare helpers', () => {
  it.each([
    [1n, 1.5, -1],
    [2n, 1.5, 1],
    [9007199254740993n, 9007199254740992, 1],
    [Number.NaN, Infinity, 1],
    [Number.NaN, Number.NaN, 0],
    [-1n, -Infinity, 1],
  ] as const)('compareNumeric(%s, %s) has sign %i', (a, b, sign) => {
    expect(Math.sign(compareNumeric(a, b))).toBe(sign)
  })

  it('orders strings by code point, putting astral chars above the BMP', () => {
    expect(compareStrings('\u{1F600}', '\uFFFF')).toBeGreaterThan(0)
    expect(compareStrings('a', 'ab')).toBeLessThan(0)
  })
})

describe('isPartitionOnly', () => {
  it.each([
    ["d = '2024-01-01' AND flag", ['D', 'flag'], true],
    ["d = '2024-01-01' AND n = 1", ['d'], false],
    ['TRUE', ['d'], true],
    ['s.inner = 1', ['s'], false],
  ])('%s over partitions %j is %s', (text, partitions, expected) => {
    expect(isPartitionOnly(bindPredicate(text, schema), partitions)).toBe(expected)
  })
})
