// Delta's text form of partition values, both ways: parseValueText (every type, its range and syntax
// limits, what it says it expected) and serializePartitionValue (every type, what it refuses and why).

import type { DataType, Value } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { serializePartitionValue } from '../src/partition/index.js'
import { parseValueText } from '../src/partition/parse-value.js'

const p = (name: string): DataType => ({ kind: 'primitive', name }) as DataType
const dec = (precision: number, scale: number): DataType => ({ kind: 'decimal', precision, scale })
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('parseValueText', () => {
  it.each<[string, DataType, Value]>([
    ['abc ', p('string'), 'abc '],
    [' 127 ', p('byte'), 127],
    ['-128', p('byte'), -128],
    ['+32767', p('short'), 32767],
    ['-32768', p('short'), -32768],
    ['2147483647', p('integer'), 2147483647],
    ['-2147483648', p('integer'), -2147483648],
    ['9223372036854775807', p('long'), 9223372036854775807n],
    ['-9223372036854775808', p('long'), -9223372036854775808n],
    [' 7 ', p('long'), 7n],
    ['1.5', p('double'), 1.5],
    [' -2e3 ', p('double'), -2000],
    ['.5', p('double'), 0.5],
    ['12.5', p('double'), 12.5],
    ['.25', p('double'), 0.25],
    ['1e10', p('double'), 1e10],
    ['3.', p('double'), 3],
    ['1E+2', p('double'), 100],
    ['NaN', p('double'), Number.NaN],
    ['-Infinity', p('double'), -Infinity],
    ['+Infinity', p('float'), Infinity],
    ['0.1', p('float'), Math.fround(0.1)],
    ['0.1', p('double'), 0.1],
    [' TRUE ', p('boolean'), true],
    ['False', p('boolean'), false],
    ['2024-01-31', p('date'), '2024-01-31'],
    ['2024-01-31 23:30:00', p('date'), '2024-01-31'],
    ['2024-01-31T23:30:00-02:00', p('date'), '2024-02-01'],
    ['2024-01-31 12:00:00', p('timestamp'), '2024-01-31T12:00:00.000000Z'],
    ['2024-01-31T12:00:00.5+01:00', p('timestamp'), '2024-01-31T11:00:00.500000Z'],
    ['2024-01-31 12:00:00.000001', p('timestamp_ntz'), '2024-01-31T12:00:00.000001'],
    ['anything', p('void'), null],
    ['12.5', dec(5, 2), '12.50'],
  ])('parses %j as %s', (text, type, value) => {
    expect(parseValueText(text, type)).toEqual({ ok: true, value })
  })

  it('parses binary as the UTF-8 bytes of the text', () => {
    expect(parseValueText('é', p('binary'))).toEqual({ ok: true, value: bytes('é') })
  })

  it.each<[string, DataType, string]>([
    ['128', p('byte'), 'an integer in the byte range'],
    ['-129', p('byte'), 'an integer in the byte range'],
    ['32768', p('short'), 'an integer in the short range'],
    ['-32769', p('short'), 'an integer in the short range'],
    ['2147483648', p('integer'), 'an integer in the integer range'],
    ['-2147483649', p('integer'), 'an integer in the integer range'],
    ['9223372036854775808', p('long'), 'an integer in the long range'],
    ['-9223372036854775809', p('long'), 'an integer in the long range'],
    ['1.0', p('integer'), 'an integer for integer'],
    ['x1', p('long'), 'an integer for long'],
    ['1x', p('long'), 'an integer for long'],
    ['', p('short'), 'an integer for short'],
    ['1.5x', p('double'), 'a number for double'],
    ['x1.5', p('float'), 'a number for float'],
    ['.', p('double'), 'a number for double'],
    ['1e', p('double'), 'a number for double'],
    ['nan', p('double'), 'a number for double'],
    ['NaNx', p('double'), 'a number for double'],
    ['xInfinity', p('double'), 'a number for double'],
    ['yes', p('boolean'), "'true' or 'false'"],
    ['2024-13-01', p('date'), "a date like '2024-01-31'"],
    ['soon', p('timestamp'), "a timestamp like '2024-01-31 12:00:00[.ffffff]'"],
    ['soon', p('timestamp_ntz'), "a timestamp_ntz like '2024-01-31 12:00:00[.ffffff]'"],
    ['2024-01-31T12:00:00Z', p('timestamp_ntz'), 'a timestamp_ntz without a time zone'],
    ['123.456', dec(5, 2), 'a decimal(5,2) number'],
    ['{}', { kind: 'struct', fields: [] }, 'a primitive type, found struct'],
    ['[]', { kind: 'array', elementType: p('long'), containsNull: true }, 'a primitive type, found array'],
  ])('refuses %j as %j, saying it expected %s', (text, type, expected) => {
    expect(parseValueText(text, type)).toEqual({ ok: false, expected })
  })

  it('refuses an unknown primitive name', () => {
    expect(parseValueText('1', p('interval'))).toEqual({ ok: false, expected: 'a known type, found interval' })
  })
})

describe('serializePartitionValue', () => {
  it.each<[Value, DataType, string | null]>([
    [null, p('integer'), null],
    ['a b', p('string'), 'a b'],
    ['2024-01-31', p('date'), '2024-01-31'],
    [-128, p('byte'), '-128'],
    [32767, p('short'), '32767'],
    [7, p('integer'), '7'],
    [9223372036854775807n, p('long'), '9223372036854775807'],
    [42, p('long'), '42'],
    [3, p('double'), '3.0'],
    [-3, p('float'), '-3.0'],
    [9999999, p('double'), '9999999.0'],
    [10000000, p('double'), '10000000'],
    [-10000000, p('double'), '-10000000'],
    [1.5, p('double'), '1.5'],
    [Number.NaN, p('double'), 'NaN'],
    [true, p('boolean'), 'true'],
    [false, p('boolean'), 'false'],
    ['2024-01-31T12:00:00Z', p('timestamp'), '2024-01-31T12:00:00.000000Z'],
    ['2024-01-31T12:00:00.000001', p('timestamp_ntz'), '2024-01-31 12:00:00.000001'],
    ['12.5', dec(5, 2), '12.50'],
    [12n, dec(5, 2), '12.00'],
    [1.25, dec(5, 2), '1.25'],
  ])('serializes %s of %j as %j', (value, type, text) => {
    expect(serializePartitionValue(value, type)).toBe(text)
  })

  it('serializes binary as its UTF-8 text and refuses bytes that are not UTF-8', () => {
    expect(serializePartitionValue(bytes('é'), p('binary'))).toBe('é')
    const err = (() => {
      try {
        return serializePartitionValue(new Uint8Array([0x61, 0xff]), p('binary'))
      } catch (e) {
        return e
      }
    })()
    expect(err).toMatchObject({
      code: 'SchemaMismatch',
      message: 'binary partition value is not valid UTF-8: expected bytes that decode as UTF-8 (as Spark stores them), found invalid sequences',
    })
    expect((err as Error).cause).toBeInstanceOf(TypeError)
  })

  it.each<[Value, DataType, string]>([
    [1, p('string'), 'expected a string for string, found 1'],
    [1, p('date'), 'expected a string for date, found 1'],
    [1.5, p('integer'), 'expected an integer for integer, found 1.5'],
    ['1', p('byte'), 'expected an integer for byte, found "1"'],
    [1.5, p('long'), 'expected a bigint for long, found 1.5'],
    [2 ** 53, p('long'), 'expected a bigint for long, found 9007199254740992'],
    ['1', p('long'), 'expected a bigint for long, found "1"'],
    ['1', p('double'), 'expected a number for double, found "1"'],
    ['true', p('boolean'), 'expected a boolean, found "true"'],
    ['x', p('binary'), 'expected a Uint8Array for binary, found "x"'],
    [1, p('timestamp'), 'expected a string for timestamp, found 1'],
    ['soon', p('timestamp'), 'expected a timestamp, found "soon"'],
    ['soon', p('timestamp_ntz'), 'expected a timestamp_ntz, found "soon"'],
    [1, p('void'), 'expected null for void, found 1'],
    [5n, p('integer'), 'expected an integer for integer, found 5n'],
    ['123.456', dec(5, 2), 'expected a decimal(5,2), found "123.456"'],
    [true, dec(5, 2), 'expected a decimal(5,2), found true'],
    [['1.5'] as unknown as Value, dec(5, 2), 'expected a decimal(5,2), found ["1.5"]'],
    ['x', { kind: 'array', elementType: p('long'), containsNull: true }, 'expected a primitive partition column type, found array, found "x"'],
  ])('refuses %s for %j', (value, type, detail) => {
    expect(() => serializePartitionValue(value, type)).toThrow(
      expect.objectContaining({ code: 'CorruptLog', message: `cannot serialize partition value: ${detail}` }),
    )
  })
})
