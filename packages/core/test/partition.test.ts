// Tests for partition value parsing/serialization and Hive path escaping, with golden tables.

import path from 'node:path'
import type { DataType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import {
  compareDecimalText,
  escapePathName,
  parsePartitionDirectory,
  parsePartitionValue,
  parsePartitionValues,
  partitionDirectory,
  serializePartitionValue,
  toDecimalValue,
  unescapePathName,
} from '../src/partition/index.js'
import { readGoldenAdds } from './scan-golden-helpers.js'

const p = (name: string): DataType => ({ kind: 'primitive', name }) as DataType
const dec = (precision: number, scale: number): DataType => ({ kind: 'decimal', precision, scale })

describe('parsePartitionValue', () => {
  it.each([
    ['42', p('integer'), 42],
    ['-7', p('byte'), -7],
    ['9223372036854775807', p('long'), 9223372036854775807n],
    ['1.5', p('double'), 1.5],
    ['NaN', p('double'), Number.NaN],
    ['0.1', p('float'), Math.fround(0.1)],
    ['true', p('boolean'), true],
    ['FALSE', p('boolean'), false],
    ['null', p('string'), 'null'],
    ['2021-09-08', p('date'), '2021-09-08'],
    ['2021-09-08 11:11:11', p('timestamp'), '2021-09-08T11:11:11.000000Z'],
    ['2024-01-01T10:00:00.000000Z', p('timestamp'), '2024-01-01T10:00:00.000000Z'],
    ['2024-01-01T10:00:00.5+02:00', p('timestamp'), '2024-01-01T08:00:00.500000Z'],
    ['2013-07-05 17:01:00.123456', p('timestamp_ntz'), '2013-07-05T17:01:00.123456'],
    ['200.000000000000000000', dec(38, 18), '200.000000000000000000'],
    ['12345678901234567890.1234567891', dec(38, 10), '12345678901234567890.1234567891'],
    ['1', dec(5, 2), '1.00'],
    ['-0.5', dec(3, 1), '-0.5'],
  ])('parses %s as %o', (text, type, expected) => {
    expect(parsePartitionValue(text, type, 'c')).toEqual(expected)
  })

  it('parses binary as the UTF-8 bytes of the text', () => {
    expect(parsePartitionValue('\u0001\u0002\u0003', p('binary'))).toEqual(new Uint8Array([1, 2, 3]))
  })

  it.each([null, undefined, ''])('reads %o as null', (raw) => {
    expect(parsePartitionValue(raw, p('integer'))).toBeNull()
  })

  it.each([
    ['abc', p('integer')],
    ['128', p('byte')],
    ['1.5', p('long')],
    ['9223372036854775808', p('long')],
    ['0x10', p('double')],
    ['yes', p('boolean')],
    ['2021-02-30', p('date')],
    ['2021-09-08 25:00:00', p('timestamp')],
    ['2021-09-08T00:00:00Z', p('timestamp_ntz')],
    ['1.234', dec(5, 2)],
    ['1000', dec(3, 0)],
  ])('rejects %s for %o with CorruptLog naming the value', (text, type) => {
    expect(() => parsePartitionValue(text, type, 'col')).toThrow(
      expect.objectContaining({ code: 'CorruptLog', message: expect.stringContaining(`'${text}'`) }),
    )
  })
})

describe('serializePartitionValue', () => {
  it.each([
    [42, p('integer'), '42'],
    [9007199254740993n, p('long'), '9007199254740993'],
    [1, p('double'), '1.0'],
    [0.25, p('float'), '0.25'],
    [true, p('boolean'), 'true'],
    ['2024-01-31', p('date'), '2024-01-31'],
    ['2024-01-31T12:00:00.123456Z', p('timestamp'), '2024-01-31T12:00:00.123456Z'],
    ['2024-01-31T12:00:00.123456', p('timestamp_ntz'), '2024-01-31 12:00:00.123456'],
    ['1.5', dec(10, 3), '1.500'],
    [null, p('string'), null],
  ])('serializes %o as %o', (value, type, expected) => {
    expect(serializePartitionValue(value, type)).toBe(expected)
  })

  it('round-trips every value through parsePartitionValue', () => {
    const cases: [DataType, unknown][] = [
      [p('long'), -9223372036854775808n],
      [p('timestamp'), '1969-12-31T23:59:59.999999Z'],
      [p('timestamp_ntz'), '0001-01-01T00:00:00.000001'],
      [dec(38, 10), '-1234567890123456789012345678.0123456789'],
      [p('binary'), new Uint8Array([104, 105])],
    ]
    for (const [type, value] of cases) {
      const text = serializePartitionValue(value as never, type)
      expect(parsePartitionValue(text, type)).toEqual(value)
    }
  })

  it('rejects a value of the wrong JS type with the found value', () => {
    expect(() => serializePartitionValue('x', p('integer'))).toThrow(/expected an integer for integer, found "x"/)
  })
})

describe('decimal text', () => {
  it.each([
    ['1.10', '1.1', 0],
    ['-2', '1', -1],
    ['100000000000000000000000000000.0000000001', '100000000000000000000000000000', 1],
    ['1e3', '999.99', 1],
  ])('compares %s with %s as %i', (a, b, sign) => {
    expect(Math.sign(compareDecimalText(a, b))).toBe(sign)
  })

  it('keeps the exact digits of exponent notation', () => {
    expect(toDecimalValue('2.5E-2', 10, 4)).toBe('0.0250')
  })
})

describe('escapePathName', () => {
  it.each([
    ['2021-09-08 11:11:11', '2021-09-08 11%3A11%3A11'],
    ['bar+%21', 'bar+%2521'],
    ['a/b', 'a%2Fb'],
    ['..', '..'],
    ['x=y?#', 'x%3Dy%3F%23'],
    ['\u0000\u001f\u007f', '%00%1F%7F'],
    ['{[]}^*\'"\\', '%7B%5B%5D}%5E%2A%27%22%5C'],
    ['é ü', 'é ü'],
  ])('escapes %o as %o and back', (raw, escaped) => {
    expect(escapePathName(raw)).toBe(escaped)
    expect(unescapePathName(escaped)).toBe(raw)
  })

  it('keeps percent signs that do not start a hex escape', () => {
    expect(unescapePathName('100%zz%4')).toBe('100%zz%4')
  })

  it('never produces a separator or a parent-directory segment', () => {
    const dir = partitionDirectory(['p'], { p: '../../etc/passwd' })
    expect(dir).toBe('p=..%2F..%2Fetc%2Fpasswd')
    expect(dir.split('/')).toHaveLength(1)
  })
})

describe('partitionDirectory', () => {
  it('writes null and empty values as the Hive default partition', () => {
    expect(partitionDirectory(['a', 'b'], { a: null, b: '' })).toBe('a=__HIVE_DEFAULT_PARTITION__/b=__HIVE_DEFAULT_PARTITION__')
  })

  it('rejects a partition column without a value', () => {
    expect(() => partitionDirectory(['a'], {})).toThrow(expect.objectContaining({ code: 'CorruptLog' }))
  })

  it.each(['data-reader-partition-values', 'data-reader-escaped-chars', 'data-reader-timestamp_ntz'])(
    'matches the directories Spark wrote in golden table %s',
    (table) => {
      for (const add of readGoldenAdds(table)) {
        const values = add['partitionValues'] as Record<string, string | null>
        const dir = path.posix.dirname(decodeURIComponent(add['path'] as string))
        expect(partitionDirectory(Object.keys(values).sort(byDir(dir)), values)).toBe(dir)
        expect(parsePartitionDirectory(dir)).toEqual(normaliseNulls(values))
      }
    },
  )

  it('parses ISO-8601 partition values to the instant of the directory name (kernel-timestamp-partition-col-ISO8601)', () => {
    const ts = p('timestamp')
    const adds = readGoldenAdds('kernel-timestamp-partition-col-ISO8601')
    expect(adds).toHaveLength(2)
    for (const add of adds) {
      const fromLog = (add['partitionValues'] as Record<string, string>)['ts']
      const fromDir = parsePartitionDirectory(path.posix.dirname(decodeURIComponent(add['path'] as string)))['ts']
      expect(parsePartitionValue(fromLog, ts)).toBe(parsePartitionValue(fromDir, ts))
    }
  })
})

describe('parsePartitionValues', () => {
  it('types every column of data-reader-partition-values and keys them by logical name', () => {
    const adds = readGoldenAdds('data-reader-partition-values')
    const columns = [
      { name: 'as_int', physicalName: 'as_int', type: p('integer') },
      { name: 'as_long', physicalName: 'as_long', type: p('long') },
      { name: 'as_float', physicalName: 'as_float', type: p('float') },
      { name: 'as_timestamp', physicalName: 'as_timestamp', type: p('timestamp') },
      { name: 'Decimal', physicalName: 'as_big_decimal', type: dec(1, 0) },
      { name: 'as_string_lit_null', physicalName: 'as_string_lit_null', type: p('string') },
    ]
    const rows = adds.map((a) => parsePartitionValues(a['partitionValues'] as Record<string, string | null>, columns))
    expect(rows).toContainEqual({
      as_int: 1, as_long: 1n, as_float: 1, as_timestamp: '2021-09-08T11:11:11.000000Z', Decimal: '1', as_string_lit_null: 'null',
    })
    expect(rows).toContainEqual({
      as_int: null, as_long: null, as_float: null, as_timestamp: null, Decimal: null, as_string_lit_null: null,
    })
  })
})

function byDir(dir: string): (a: string, b: string) => number {
  return (a, b) => dir.indexOf(`${escapePathName(a)}=`) - dir.indexOf(`${escapePathName(b)}=`)
}

function normaliseNulls(values: Record<string, string | null>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === '' ? null : v]))
}
