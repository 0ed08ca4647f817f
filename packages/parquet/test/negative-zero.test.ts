// encodeParquet keeps -0 apart from 0 in float and double columns (flat, in structs, in arrays, in map
// values): hyparquet-writer's dictionary would key both as one value, so such columns are written PLAIN
// (negative-zero.ts). Columns without a -0 keep their dictionary.

import { describe, expect, it } from 'vitest'
import { parquetMetadata } from 'hyparquet'
import { encodeParquet } from '../src/index.js'
import type { Row } from '../src/index.js'
import { P, array, field, map, readAll, struct } from './helpers.js'

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
  field('n', P('double')),
)

const rows: Row[] = Array.from({ length: 40 }, (_, i) => {
  const z = i % 2 === 0 ? 0 : -0
  return { d: z, f: z, s: { x: z, name: 'same' }, a: [z, 1, z], m: new Map([['k', z]]), n: i % 3 }
})

describe('encodeParquet: negative zero', () => {
  it('reads back -0 and 0 as written in every float and double column, flat and nested', async () => {
    const { bytes } = encodeParquet(rows, SCHEMA)
    expect((await readAll(bytes, SCHEMA)).map(signed)).toEqual(rows.map(signed))
  })

  it('writes only the columns holding a -0 without a dictionary', () => {
    const { bytes } = encodeParquet(rows, SCHEMA)
    const encodings = parquetMetadata(bytes.slice().buffer).row_groups[0]?.columns.map((c) => [c.meta_data?.path_in_schema.join('.'), c.meta_data?.encodings])
    const dictionary = new Map(encodings?.map(([path, used]) => [path, (used as string[] | undefined)?.includes('RLE_DICTIONARY') ?? false]))
    expect(dictionary.get('d')).toBe(false)
    expect(dictionary.get('s.x')).toBe(false)
    expect(dictionary.get('n')).toBe(true)
  })
})
