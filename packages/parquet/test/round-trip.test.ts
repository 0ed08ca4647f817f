// encodeParquet -> readParquetRows round trips: every Delta type and extreme value, each codec, row groups, input checks.
import { describe, expect, it } from 'vitest'
import { encodeParquet, readParquetMetadata, asyncBufferFromBytes } from '../src/index.js'
import type { Compression } from '../src/index.js'
import { ALL_TYPES, ALL_TYPES_ROWS } from './fixtures.js'
import { array, decimal, field, P, readAll, struct } from './helpers.js'

const CODECS: Compression[] = ['zstd', 'snappy', 'gzip', 'uncompressed']

describe('encodeParquet + readParquetRows', () => {
  it.each(CODECS)('round-trips every Delta type exactly with %s', async compression => {
    const { bytes, numRecords } = encodeParquet(ALL_TYPES_ROWS, ALL_TYPES, { compression })
    expect(numRecords).toBe(ALL_TYPES_ROWS.length)
    expect(await readAll(bytes, ALL_TYPES)).toEqual(ALL_TYPES_ROWS)
  })

  it('keeps -0, the smallest subnormals and float32 max', async () => {
    const [, , third, fourth] = await readAll(encodeParquet(ALL_TYPES_ROWS, ALL_TYPES).bytes, ALL_TYPES)
    expect(Object.is(third?.d, -0)).toBe(true)
    expect(fourth?.d).toBe(5e-324)
    expect(fourth?.f).toBe(Math.fround(1.4e-45))
  })

  it('keeps Map key order and non-string keys', async () => {
    const [first] = await readAll(encodeParquet(ALL_TYPES_ROWS, ALL_TYPES).bytes, ALL_TYPES)
    expect([...(first?.intkeys as Map<number, string>).keys()]).toEqual([2, 1])
  })

  it('writes several row groups and reads them back in order', async () => {
    const schema = struct(field('n', P('long'), false), field('s', P('string')))
    const rows = Array.from({ length: 1000 }, (_, i) => ({ n: BigInt(i), s: i % 7 === 0 ? null : `v${i % 13}` }))
    const { bytes } = encodeParquet(rows, schema, { rowGroupSize: 300 })
    const info = await readParquetMetadata(asyncBufferFromBytes(bytes))
    expect(info.rowGroups.map(g => g.numRows)).toEqual([300, 300, 300, 100])
    expect(info.numRows).toBe(1000)
    expect(await readAll(bytes, schema)).toEqual(rows)
  })

  it('bounds row groups by estimated bytes', async () => {
    const schema = struct(field('s', P('string')))
    const rows = Array.from({ length: 100 }, () => ({ s: 'x'.repeat(1000) }))
    const info = await readParquetMetadata(asyncBufferFromBytes(encodeParquet(rows, schema, { rowGroupBytes: 10_000 }).bytes))
    expect(info.rowGroups.length).toBeGreaterThanOrEqual(10)
  })

  it('writes an empty file that reads back as no rows', async () => {
    const { bytes, stats } = encodeParquet([], ALL_TYPES)
    expect(stats.numRecords).toBe(0)
    expect(await readAll(bytes, ALL_TYPES)).toEqual([])
  })

  it('leaves void columns out of the file and reads them as null', async () => {
    const schema = struct(field('a', P('integer')), field('v', P('void')))
    const { bytes } = encodeParquet([{ a: 1, v: null }], schema)
    const info = await readParquetMetadata(asyncBufferFromBytes(bytes))
    expect(info.columns.map(c => c.path)).toEqual([['a']])
    expect(await readAll(bytes, schema)).toEqual([{ a: 1, v: null }])
  })

  it('writes decimals as INT32, INT64 and FIXED_LEN_BYTE_ARRAY by precision', async () => {
    const schema = struct(field('a', decimal(9, 0)), field('b', decimal(18, 0)), field('c', decimal(19, 0)))
    const info = await readParquetMetadata(asyncBufferFromBytes(encodeParquet([{ a: '1', b: '2', c: '3' }], schema).bytes))
    expect(info.columns.map(c => c.physicalType)).toEqual(['INT32', 'INT64', 'FIXED_LEN_BYTE_ARRAY'])
  })

  it('writes field ids from delta.columnMapping.id when asked', async () => {
    const schema = struct(
      field('col-1', P('integer'), true, { 'delta.columnMapping.id': 7 }),
      field('col-2', struct(field('col-3', P('string'), true, { 'delta.columnMapping.id': 9 })), true, { 'delta.columnMapping.id': 8 }),
    )
    const { bytes } = encodeParquet([{ 'col-1': 1, 'col-2': { 'col-3': 'x' } }], schema, { fieldIds: true })
    const info = await readParquetMetadata(asyncBufferFromBytes(bytes))
    expect(info.columns.map(c => c.fieldId)).toEqual([7, 9])
  })
})

describe('encodeParquet input checks', () => {
  it.each([
    ['long given a number', P('long'), 1],
    ['integer out of range', P('integer'), 2 ** 31],
    ['byte given a fraction', P('byte'), 1.5],
    ['string given a number', P('string'), 1],
    ['binary given a string', P('binary'), 'x'],
    ['bad date', P('date'), '2024-02-30'],
    ['timestamp without Z', P('timestamp'), '2024-01-01T00:00:00.000000'],
    ['timestamp_ntz with Z', P('timestamp_ntz'), '2024-01-01T00:00:00.000000Z'],
    ['decimal with too many digits', decimal(5, 2), '1234.5'],
    ['decimal with lost scale', decimal(5, 2), '1.234'],
    ['array given an object', array(P('integer')), { 0: 1 }],
    ['map given an object', { kind: 'map', keyType: P('string'), valueType: P('string'), valueContainsNull: true } as const, { a: 'b' }],
    ['struct given an array', struct(field('x', P('integer'))), [1]],
  ] as const)('rejects %s with a ParquetError', (_, type, value) => {
    const schema = struct(field('c', type))
    expect(() => encodeParquet([{ c: value as never }], schema)).toThrow(expect.objectContaining({ code: 'ParquetError' }))
  })

  it('reports the first bad value in row order (then column order)', () => {
    const schema = struct(field('a', P('integer')), field('b', P('integer')))
    expect(() => encodeParquet([{ a: 1, b: 'x' }, { a: 'y', b: 2 }] as never, schema)).toThrow(/column 'b'.*"x"/)
    expect(() => encodeParquet([{ a: 1, b: 2 }, 7, { a: 'y', b: 2 }] as never, schema)).toThrow(/row 1: expected a plain object/)
    expect(() => encodeParquet([{ a: 'z', b: 2 }, 7] as never, schema)).toThrow(/column 'a'.*"z"/)
  })

  it('rejects null in a non-nullable field, list element and map key', () => {
    expect(() => encodeParquet([{ c: null }], struct(field('c', P('integer'), false)))).toThrow(/non-null/)
    expect(() => encodeParquet([{ c: [null] }], struct(field('c', array(P('integer'), false))))).toThrow(/non-null/)
    const m = { kind: 'map', keyType: P('string'), valueType: P('string'), valueContainsNull: true } as const
    expect(() => encodeParquet([{ c: new Map([[null, 'x']]) }], struct(field('c', m)))).toThrow(/non-null/)
  })

  it('accepts decimal strings with fewer fraction digits or trailing zeros', async () => {
    const schema = struct(field('c', decimal(6, 2)))
    const rows = await readAll(encodeParquet([{ c: '1.5' }, { c: '-2' }, { c: '3.1000' }], schema).bytes, schema)
    expect(rows.map(r => r.c)).toEqual(['1.50', '-2.00', '3.10'])
  })
})
