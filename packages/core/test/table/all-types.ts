// A schema with every Delta type (nested combos included) and rows at their extremes, in the exact
// JS value model of @lake/parquet. Type-only imports, so the root S3 tests can share it.

import type { DataType, Row, StructField, StructType } from '@lake/parquet'

export const P = (name: string): DataType => ({ kind: 'primitive', name }) as DataType
export const dec = (precision: number, scale: number): DataType => ({ kind: 'decimal', precision, scale })
export const field = (name: string, type: DataType, nullable = true): StructField => ({ name, type, nullable, metadata: {} })
export const struct = (...fields: StructField[]): StructType => ({ kind: 'struct', fields })
export const array = (elementType: DataType, containsNull = true): DataType => ({ kind: 'array', elementType, containsNull })
export const map = (keyType: DataType, valueType: DataType, valueContainsNull = true): DataType => ({ kind: 'map', keyType, valueType, valueContainsNull })

/** Every Delta type as a column; `id` orders the rows. */
export const ALL_TYPES: StructType = struct(
  field('id', P('integer'), false),
  field('b', P('byte')),
  field('sh', P('short')),
  field('i', P('integer')),
  field('l', P('long')),
  field('f', P('float')),
  field('d', P('double')),
  field('d52', dec(5, 2)),
  field('d184', dec(18, 4)),
  field('d3810', dec(38, 10)),
  field('s', P('string')),
  field('bin', P('binary')),
  field('bool', P('boolean')),
  field('dt', P('date')),
  field('ts', P('timestamp')),
  field('ntz', P('timestamp_ntz')),
  field('st', struct(field('a', P('integer')), field('b', P('string')), field('inner', struct(field('x', P('long'), false))))),
  field('arr', array(P('long'))),
  field('m', map(P('string'), P('double'))),
  field('nested', array(struct(field('k', P('string'), false), field('m', map(P('string'), array(P('integer'))))))),
  field('mstruct', map(P('integer'), struct(field('v', dec(18, 4)), field('when', P('date'))), true)),
)

/** Partition columns of the partitioned variant: one of each partitionable kind. */
export const PARTITION_BY: readonly string[] = ['s', 'l', 'dt', 'ts', 'd184', 'bool', 'b']

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values)

/** Rows in canonical form (what coerceRows returns and scans yield), sorted by id. */
export function allTypesRows(): Row[] {
  return [
    {
      id: 0,
      b: -128, sh: -32768, i: -2147483648, l: -9223372036854775808n,
      f: -3.4028234663852886e38, d: -1.7976931348623157e308,
      d52: '-999.99', d184: '-99999999999999.9999', d3810: '-9999999999999999999999999999.9999999999',
      s: 'a/b%c=d e', bin: bytes(0, 255, 39, 92), bool: false,
      dt: '0001-01-01', ts: '0001-01-01T00:00:00.000000Z', ntz: '0001-01-01T00:00:00.000000',
      st: { a: -1, b: '', inner: { x: -9223372036854775808n } },
      arr: [-9223372036854775808n, null, 9223372036854775807n],
      m: new Map([['neg', -0.5], ['nan', Number.NaN], ['null', null]]),
      nested: [{ k: 'x', m: new Map([['a', [1, null, 3]], ['b', null]]) }, { k: 'y', m: null }],
      mstruct: new Map([[1, { v: '0.0001', when: '1969-12-31' }], [2, null]]),
    },
    {
      id: 1,
      b: 127, sh: 32767, i: 2147483647, l: 9223372036854775807n,
      f: 3.4028234663852886e38, d: Number.POSITIVE_INFINITY,
      d52: '999.99', d184: '99999999999999.9999', d3810: '9999999999999999999999999999.9999999999',
      s: 'ünïcödé 😀 𝄞 日本', bin: bytes(), bool: true,
      dt: '9999-12-31', ts: '9999-12-31T23:59:59.999999Z', ntz: '9999-12-31T23:59:59.999999',
      st: { a: 2147483647, b: '😀', inner: { x: 9223372036854775807n } },
      arr: [],
      m: new Map([['inf', Number.NEGATIVE_INFINITY]]),
      nested: [],
      mstruct: new Map(),
    },
    {
      id: 2,
      b: 0, sh: 0, i: 0, l: 0n,
      f: 1.5, d: -0.000001,
      d52: '0.01', d184: '-0.0001', d3810: '0.0000000001',
      s: '..', bin: bytes(1, 2, 3), bool: false,
      dt: '1969-12-31', ts: '1969-12-31T23:59:59.999999Z', ntz: '1969-12-31T23:59:59.000001',
      st: null,
      arr: null,
      m: null,
      nested: null,
      mstruct: null,
    },
    {
      id: 3,
      b: null, sh: null, i: null, l: null, f: null, d: null,
      d52: null, d184: null, d3810: null, s: null, bin: null, bool: null,
      dt: null, ts: null, ntz: null,
      st: { a: null, b: null, inner: { x: 0n } },
      arr: [null],
      m: new Map([['k', null]]),
      nested: [{ k: '', m: new Map() }],
      mstruct: new Map([[0, { v: null, when: null }]]),
    },
    {
      id: 4,
      b: 1, sh: -1, i: 42, l: 9007199254740993n,
      f: Math.fround(0.1), d: Number.NaN,
      d52: '-0.50', d184: '12345.6789', d3810: '1234567890123456789012345678.0123456789',
      s: "../../escape?#&'\"\\ %2F =", bin: bytes(0), bool: true,
      dt: '2024-02-29', ts: '2024-05-01T12:34:56.123456Z', ntz: '2024-05-01T12:34:56.123456',
      st: { a: 0, b: 'x', inner: { x: 1n } },
      arr: [1n, 2n],
      m: new Map([['a', 1], ['b', 2]]),
      nested: [{ k: 'z', m: new Map([['q', []]]) }],
      mstruct: new Map([[-1, { v: '-1.0000', when: '2000-01-01' }]]),
    },
  ]
}

/** Rows sorted by their integer `id` column. */
export function byId(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => (a['id'] as number) - (b['id'] as number))
}
