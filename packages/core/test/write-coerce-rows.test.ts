import { describe, expect, it } from 'vitest'
import type { DataType, StructField, StructType } from '@lake/parquet'
import { coerceRows, createRowCoercer } from '../src/rows/coerce-rows.js'

const p = (name: string): DataType => ({ kind: 'primitive', name } as DataType)
const dec = (precision: number, scale: number): DataType => ({ kind: 'decimal', precision, scale })
const field = (name: string, type: DataType, nullable = true): StructField => ({ name, type, nullable, metadata: {} })
const struct = (...fields: StructField[]): StructType => ({ kind: 'struct', fields })
const one = (type: DataType, value: unknown): unknown => coerceRows([{ v: value }], struct(field('v', type)))[0]?.['v']

describe('coerceRows', () => {
  it.each<[string, DataType, unknown, unknown]>([
    ['long from bigint', p('long'), 9007199254740993n, 9007199254740993n],
    ['long from safe integer', p('long'), 42, 42n],
    ['long from digit string', p('long'), '-9223372036854775808', -9223372036854775808n],
    ['integer from number', p('integer'), -2147483648, -2147483648],
    ['short from bigint', p('short'), 300n, 300],
    ['byte from number', p('byte'), 127, 127],
    ['float rounds to float32', p('float'), 0.1, Math.fround(0.1)],
    ['float keeps NaN', p('float'), Number.NaN, Number.NaN],
    ['double keeps Infinity', p('double'), Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
    ['decimal pads scale', dec(10, 2), '1.5', '1.50'],
    ['decimal from number', dec(10, 2), 12.3, '12.30'],
    ['decimal from bigint', dec(5, 0), 12345n, '12345'],
    ['decimal strips trailing zeros', dec(4, 2), '+01.5000', '1.50'],
    ['decimal negative zero', dec(4, 2), '-0.00', '0.00'],
    ['decimal from tiny number', dec(12, 10), 1.5e-7, '0.0000001500'],
    ['decimal from .5', dec(3, 1), '.5', '0.5'],
    ['string', p('string'), 'héllo', 'héllo'],
    ['boolean', p('boolean'), false, false],
    ['binary from Buffer', p('binary'), Buffer.from([1, 2]), Buffer.from([1, 2])],
    ['date from string', p('date'), '2024-02-29', '2024-02-29'],
    ['date from Date at midnight', p('date'), new Date('2024-05-01T00:00:00Z'), '2024-05-01'],
    ['timestamp from Date', p('timestamp'), new Date('2024-05-01T12:00:00.123Z'), '2024-05-01T12:00:00.123000Z'],
    ['timestamp from ISO with offset', p('timestamp'), '2024-05-01T02:30:00+05:30', '2024-04-30T21:00:00.000000Z'],
    ['timestamp from ISO micros', p('timestamp'), '2024-05-01 12:00:00.123456Z', '2024-05-01T12:00:00.123456Z'],
    ['timestamp from nanos with zero tail', p('timestamp'), '2024-05-01T12:00:00.123456000Z', '2024-05-01T12:00:00.123456Z'],
    ['timestamp without seconds', p('timestamp'), '2024-05-01T12:00Z', '2024-05-01T12:00:00.000000Z'],
    ['timestamp from a Date before 1970', p('timestamp'), new Date(-1), '1969-12-31T23:59:59.999000Z'],
    ['timestamps from Dates on two days', p('timestamp'), new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), '2024-01-02T03:04:05.006000Z'],
    ['timestamp from bigint micros', p('timestamp'), -1n, '1969-12-31T23:59:59.999999Z'],
    ['timestamp year 1', p('timestamp'), '0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000000Z'],
    ['timestamp_ntz from string', p('timestamp_ntz'), '2024-05-01T12:00:00.5', '2024-05-01T12:00:00.500000'],
    ['timestamp_ntz from Date', p('timestamp_ntz'), new Date('2024-05-01T12:00:00Z'), '2024-05-01T12:00:00.000000'],
    ['void from null', p('void'), null, null],
  ])('converts %s', (_name, type, input, expected) => {
    expect(one(type, input)).toEqual(expected)
  })

  it.each<[string, DataType, unknown, RegExp]>([
    ['long from fractional number', p('long'), 1.5, /expects long, found number 1.5 \(not a safe integer/],
    ['long from unsafe number', p('long'), 2 ** 53, /not a safe integer/],
    ['long overflow', p('long'), 2n ** 63n, /out of the int64 range/],
    ['long from word', p('long'), '12a', /not an integer string/],
    ['integer overflow', p('integer'), 2147483648, /out of range/],
    ['byte from fraction', p('byte'), 1.5, /not an integer/],
    ['float overflow', p('float'), 1e39, /float32/],
    ['double from string', p('double'), '1.5', /expects double, found string "1.5"/],
    ['decimal too many fractional digits', dec(10, 2), '12.345', /expects decimal\(10,2\), found string "12.345" \(3 fractional digits > scale 2\) in row 0/],
    ['decimal too many integer digits', dec(4, 2), '123.4', /3 integer digits > precision 4 - scale 2/],
    ['decimal exponent string', dec(10, 2), '1e3', /not a decimal number/],
    ['decimal from NaN', dec(10, 2), Number.NaN, /not a finite number/],
    ['string from number', p('string'), 5, /expects string, found number 5/],
    ['boolean from string', p('boolean'), 'true', /expects boolean/],
    ['binary from array', p('binary'), [1, 2], /expects binary, found array\(2\)/],
    ['date not a date', p('date'), '2023-02-29', /not a valid date/],
    ['date Date not midnight', p('date'), new Date('2024-05-01T01:00:00Z'), /not at UTC midnight/],
    ['date wrong format', p('date'), '2024-5-1', /YYYY-MM-DD/],
    ['date with a trailing space', p('date'), '2024-05-01 ', /YYYY-MM-DD/],
    ['date with non-ASCII digits', p('date'), '２０２４-05-01', /YYYY-MM-DD/],
    ['date with slashes', p('date'), '2024/05/01', /YYYY-MM-DD/],
    ['date with a sign', p('date'), '+024-05-01', /YYYY-MM-DD/],
    ['date year 0000', p('date'), '0000-05-01', /not a valid date/],
    ['timestamp without zone', p('timestamp'), '2024-05-01T12:00:00', /no time zone/],
    ['timestamp from number', p('timestamp'), 1714564800000, /expects timestamp, found number/],
    ['timestamp beyond micros', p('timestamp'), '2024-05-01T12:00:00.1234567Z', /more than 6 fractional digits/],
    ['timestamp bad hour', p('timestamp'), '2024-05-01T24:00:00Z', /not a valid time of day/],
    ['timestamp invalid Date', p('timestamp'), new Date('nope'), /invalid Date/],
    ['timestamp year 10000', p('timestamp'), 253402300800000000n, /year outside/],
    ['timestamp_ntz with zone', p('timestamp_ntz'), '2024-05-01T12:00:00Z', /has a time zone/],
    ['void with value', p('void'), 1, /void column/],
  ])('rejects %s', (_name, type, input, message) => {
    expect(() => one(type, input)).toThrow(message)
  })

  it('names column, expected, found and row in the error context', () => {
    const schema = struct(field('id', p('long')), field('amount', dec(10, 2)))
    const rows = [{ id: 1, amount: '1' }, { id: 2, amount: '12.345' }]
    expect(() => coerceRows(rows, schema)).toThrow(
      expect.objectContaining({
        name: 'SchemaError',
        code: 'SchemaMismatch',
        context: { column: 'amount', expected: 'decimal(10,2)', found: 'string "12.345"', row: 1 },
      }),
    )
  })

  it('fills missing nullable columns with null', () => {
    const schema = struct(field('a', p('long')), field('b', p('string')))
    expect(coerceRows([{ a: 1n }, { a: 2n, b: undefined }], schema)).toEqual([
      { a: 1n, b: null },
      { a: 2n, b: null },
    ])
  })

  it('gives the same rows whatever the key order, and never reads inherited properties for missing keys', () => {
    const schema = struct(field('toString', p('string')), field('a', p('long')), field('b', dec(6, 2)))
    const expected = [
      { toString: 'x', a: 1n, b: '1.50' },
      { toString: null, a: 2n, b: null },
      { toString: null, a: null, b: '-0.50' },
      { toString: 'y', a: 3n, b: '0.00' },
    ]
    expect(coerceRows([{ toString: 'x', a: 1, b: '1.50' }, { a: 2 }, { b: '-0.5' }, { b: '-0.00', a: 3n, toString: 'y' }], schema)).toEqual(expected)
    expect(coerceRows([{ toString: 'x', a: 1, b: 1.5 }, { toString: undefined, a: 2 }, { b: '-0.50' }, { toString: 'y', a: 3, b: '00.00' }], schema)).toEqual(expected)
    expect(() => coerceRows([{ toString: 'x', a: 1, b: '1.50', c: 1 }], schema)).toThrow(/column 'c' is not in the table schema/)
  })

  it.each([['12.50', '12.50'], ['-12.50', '-12.50'], ['012.50', '12.50'], ['-0.00', '0.00'], ['1234.00', '1234.00'], ['0.05', '0.05']])(
    'coerces the decimal string %s to %s',
    (input, output) => expect(one(dec(6, 2), input)).toBe(output),
  )

  it.each(['12345.00', '1.5.0', '12.5x', '- 1.00', '12.500001'])('rejects the decimal(6,2) string %s', (input) => {
    expect(() => one(dec(6, 2), input)).toThrow(/decimal\(6,2\)/)
  })

  it('rejects nulls in a non-nullable column, naming it', () => {
    const schema = struct(field('a', p('long'), false))
    expect(() => coerceRows([{ a: 1 }, {}], schema)).toThrow(/column 'a' expects long \(not null\), found undefined in row 1/)
  })

  it('rejects an unknown column and suggests merge', () => {
    const schema = struct(field('a', p('long')))
    expect(() => coerceRows([{ a: 1, b: 'x' }], schema)).toThrow(
      expect.objectContaining({ code: 'SchemaMismatch', context: expect.objectContaining({ column: 'b', row: 0 }) }),
    )
    expect(() => coerceRows([{ a: 1, b: 'x' }], schema)).toThrow(/schemaMode 'merge'/)
  })

  it('matches names case-insensitively and keeps the table casing', () => {
    const schema = struct(field('Amount', p('long')))
    expect(coerceRows([{ amount: 5 }], schema)).toEqual([{ Amount: 5n }])
    expect(() => coerceRows([{ amount: 5, AMOUNT: 6 }], schema)).toThrow(/given twice/)
  })

  it('rejects rows that are not plain objects', () => {
    expect(() => coerceRows([[1, 2]], struct(field('a', p('long'))))).toThrow(/row 0 must be a plain object/)
  })

  it('coerces nested structs, arrays and maps recursively with dotted paths', () => {
    const item = struct(field('price', dec(6, 2), false), field('at', p('timestamp')))
    const schema = struct(
      field('items', { kind: 'array', elementType: item, containsNull: false }),
      field('attrs', { kind: 'map', keyType: p('string'), valueType: p('long'), valueContainsNull: true }),
    )
    const [row] = coerceRows([{ items: [{ price: 1.5 }], attrs: { a: 1, b: null } }], schema)
    expect(row).toEqual({ items: [{ price: '1.50', at: null }], attrs: new Map<string, bigint | null>([['a', 1n], ['b', null]]) })
    expect(() => coerceRows([{ items: [{ price: null }] }], schema)).toThrow(/column 'items.element.price' expects decimal\(6,2\) \(not null\)/)
    expect(() => coerceRows([{ items: [null] }], schema)).toThrow(/column 'items.element' expects/)
    expect(() => coerceRows([{ items: [{ price: 1, extra: 2 }] }], schema)).toThrow(/column 'items.element.extra' is not in the table schema/)
    expect(() => coerceRows([{ attrs: new Map([['a', 'x']]) }], schema)).toThrow(/column 'attrs.value' expects long/)
    expect(() => coerceRows([{ attrs: new Map([[null, 1]]) }], schema)).toThrow(/column 'attrs.key' expects string \(not null\)/)
    expect(() => coerceRows([{ attrs: [1] }], schema)).toThrow(/pass a Map or a plain object/)
  })

  it('requires partition values in every row, allowing null only when nullable', () => {
    const schema = struct(field('id', p('long')), field('date', p('date')), field('region', p('string'), false))
    const coerce = createRowCoercer(schema, { partitionColumns: ['date', 'region'] })
    expect(coerce({ id: 1, date: null, region: 'eu' }, 0)).toEqual({ id: 1n, date: null, region: 'eu' })
    expect(() => coerce({ id: 1, region: 'eu' }, 3)).toThrow(/partition column 'date' \(date\) has no value in row 3/)
    expect(() => coerce({ id: 1, date: undefined, region: 'eu' }, 0)).toThrow(/partition column 'date'/)
    expect(() => coerce({ id: 1, date: '2024-01-01', region: null }, 0)).toThrow(/column 'region' expects string \(not null\)/)
    expect(() => createRowCoercer(schema, { partitionColumns: ['nope'] })).toThrow(/partition column 'nope' is not in the schema/)
  })
})

describe('coerceRows with Date bounds', () => {
  const ts = struct(field('t', p('timestamp')), field('n', p('timestamp_ntz')))
  it('accepts Dates from year 0001 to 9999 and rejects others', () => {
    const first = new Date(-62_135_596_800_000)
    expect(coerceRows([{ t: first, n: first }], ts)).toEqual([{ t: '0001-01-01T00:00:00.000000Z', n: '0001-01-01T00:00:00.000000' }])
    expect(() => coerceRows([{ t: new Date(-62_135_596_800_001) }], ts)).toThrow(/year outside 0001..9999/)
    expect(() => coerceRows([{ n: new Date(253_402_300_800_000) }], ts)).toThrow(/year outside 0001..9999/)
  })
})
