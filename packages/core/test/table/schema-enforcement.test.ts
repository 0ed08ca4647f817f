// Schema enforcement through writeDelta: every bad row is a SchemaError `SchemaMismatch` naming the
// column, the expected and the found type, and the table (every object in the store) is unchanged.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { SchemaError, writeDelta } from '../../src/internal.js'
import { P, array, dec, field, map, struct } from './all-types.js'
import { listKeys, readRows } from './helpers.js'

const SCHEMA = struct(
  field('id', P('long'), false),
  field('n', P('integer')),
  field('b', P('byte')),
  field('price', dec(5, 2)),
  field('name', P('string')),
  field('ts', P('timestamp')),
  field('st', struct(field('x', P('long'), false), field('y', P('string')))),
  field('tags', array(P('string'), false)),
  field('attrs', map(P('string'), P('long'), false)),
  field('part', P('string'), false),
)
const GOOD = { id: 1n, n: 1, b: 1, price: '1.00', name: 'a', ts: '2024-01-01T00:00:00Z', st: { x: 1n, y: 'y' }, tags: ['t'], attrs: { k: 1n }, part: 'p' }

async function tableWithOneCommit(): Promise<MemoryStore> {
  const store = new MemoryStore()
  await writeDelta(store, [GOOD], { schema: SCHEMA, partitionBy: ['part'] })
  return store
}

describe('writeDelta schema enforcement', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['an unknown column', { zzz: 1 }, { column: 'zzz', expected: 'no such column', found: 'number 1' }],
    ['a string in a long column', { id: 'seven' }, { column: 'id', expected: 'long', found: 'string "seven"' }],
    ['a number in a string column', { name: 42 }, { column: 'name', expected: 'string', found: 'number 42' }],
    ['a Date in an integer column', { n: new Date(0) }, { column: 'n', expected: 'integer' }],
    ['null in a non-nullable column', { id: null }, { column: 'id', expected: 'long (not null)', found: 'null' }],
    ['null in a non-nullable nested field', { st: { x: null } }, { column: 'st.x', expected: 'long (not null)', found: 'null' }],
    ['null in an array without nulls', { tags: ['a', null] }, { column: 'tags.element', found: 'null' }],
    ['null in a map without null values', { attrs: { k: null } }, { column: 'attrs.value', found: 'null' }],
    ['an unknown nested field', { st: { x: 1n, z: 2 } }, { column: 'st.z', found: 'number 2' }],
    ['a missing partition value', { part: undefined }, { column: 'part', expected: 'string', found: 'undefined' }],
    ['a null partition value of a non-nullable column', { part: null }, { column: 'part', expected: 'string (not null)', found: 'null' }],
    ['a decimal with too many fractional digits', { price: '1.234' }, { column: 'price', expected: 'decimal(5,2)', found: 'string "1.234"' }],
    ['a decimal with too many integer digits', { price: 1000 }, { column: 'price', expected: 'decimal(5,2)', found: 'number 1000' }],
    ['an unsafe integer for a long', { id: 2 ** 53 }, { column: 'id', expected: 'long', found: 'number 9007199254740992' }],
    ['a fraction for a long', { id: 1.5 }, { column: 'id', expected: 'long', found: 'number 1.5' }],
    ['an integer overflow', { n: 2 ** 31 }, { column: 'n', expected: 'integer', found: 'number 2147483648' }],
    ['a byte overflow', { b: 128 }, { column: 'b', expected: 'byte', found: 'number 128' }],
    ['a timestamp string without a zone', { ts: '2024-01-01T00:00:00' }, { column: 'ts', expected: 'timestamp' }],
  ])('rejects %s and leaves the table unchanged', async (_name, patch, context) => {
    const store = await tableWithOneCommit()
    const before = await listKeys(store)
    const rows = [GOOD, { ...GOOD, ...patch }, GOOD]
    const error = await writeDelta(store, rows, { mode: 'append' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaError)
    expect(error).toMatchObject({ code: 'SchemaMismatch', context: { ...context, row: 1 } })
    expect(await listKeys(store)).toEqual(before)
  })

  it('writes nothing at all when the first write of a new table has a bad row', async () => {
    const store = new MemoryStore()
    const error = await writeDelta(store, [GOOD, { ...GOOD, id: null }], { schema: SCHEMA, partitionBy: ['part'] }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: { column: 'id' } })
    expect(await listKeys(store)).toEqual([])
  })

  it('names the column, the expected type and the found value in the message', async () => {
    const store = await tableWithOneCommit()
    await expect(writeDelta(store, [{ ...GOOD, price: '12.345' }], { mode: 'append' })).rejects.toThrow(/'price'.*decimal\(5,2\).*"12\.345"/)
  })

  it('accepts the documented safe conversions', async () => {
    const store = await tableWithOneCommit()
    const { id: _id, ...rest } = GOOD
    const loose = { ...rest, ID: 7, n: 3n, price: 2.5, ts: new Date('2024-01-01T00:00:00.001Z'), attrs: new Map([['k', 5]]) }
    await expect(writeDelta(store, [loose], { mode: 'append' })).resolves.toMatchObject({ status: 'committed', version: 1 })
    const rows = await readRows(store)
    expect(rows[1]).toMatchObject({ id: 7n, n: 3, price: '2.50', ts: '2024-01-01T00:00:00.001000Z', attrs: new Map([['k', 5n]]) })
  })
})
