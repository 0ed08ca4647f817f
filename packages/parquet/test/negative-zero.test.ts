// encodeParquet keeps -0 apart from 0 in float and double columns (flat, in structs, in arrays, in map
// keys and values): hyparquet-writer's dictionary would key both as one value, so columns holding floats
// or doubles are written PLAIN (negative-zero.ts). Other columns keep their dictionary.

import { describe, expect, it } from 'vitest'
import { parquetMetadata } from 'hyparquet'
import { encodeParquet } from '../src/index.js'
import type { Row } from '../src/index.js'
import { P, array, decimal, field, map, readAll, struct } from './helpers.js'

/** Values with -0 written as the text '-0', so that toEqual tells it from 0. */
function signed(value: unknown): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : value
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [signed(k), signed(v)]))
  if (Array.isArray(value)) return value.map(signed)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, signed(v)]))
  return value
}

const SCHEMA = struct(
  field('d', P('double')),
  field('f', P('float')),
  field('s', struct(field('x', P('double')), field('name', P('string')))),
  field('a', array(P('double'))),
  field('m', map(P('string'), P('double'))),
  field('mk', map(P('double'), P('string'))),
  field('k', P('long')),
  field('mi', map(P('string'), P('long'))),
  field('dec', decimal(10, 2)),
)

const rows: Row[] = Array.from({ length: 40 }, (_, i) => {
  const z = i % 2 === 0 ? 0 : -0
  return { d: z, f: z, s: { x: z, name: 'same' }, a: [z, 1, z], m: new Map([['k', z]]), mk: new Map([[z, 'v']]), k: BigInt(i % 3), mi: new Map([['k', BigInt(i % 2)]]), dec: i % 2 === 0 ? '1.50' : '2.25' }
})

describe('encodeParquet: negative zero', () => {
  it('reads back -0 and 0 as written in every float and double column, flat and nested', async () => {
    const { bytes } = encodeParquet(rows, SCHEMA)
    expect((await readAll(bytes, SCHEMA)).map(signed)).toEqual(rows.map(signed))
  })

  it('writes the columns holding floats or doubles without a dictionary, the others with one', () => {
    const { bytes } = encodeParquet(rows, SCHEMA)
    const columns = parquetMetadata(bytes.slice().buffer).row_groups[0]?.columns ?? []
    const dictionary = Object.fromEntries(columns.map((c) => [c.meta_data?.path_in_schema.join('.'), c.meta_data?.encodings.includes('RLE_DICTIONARY')]))
    expect(dictionary).toMatchObject({ d: false, f: false, 's.x': false, 's.name': false, 'a.list.element': false, 'm.key_value.value': false, 'mk.key_value.key': false })
    expect(dictionary).toMatchObject({ k: true, 'mi.key_value.value': true, dec: true })
  })
})
