// Scan filters and replaceWhere accept the whole expression language where they evaluate per row:
// arithmetic, functions, CASE, CAST and LIKE in a filter; columns read only inside a function are
// still read (projection) and never mistaken for a partition-only predicate.

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, writeDelta } from '../../src/internal.js'
import { P, field, struct } from '../table/all-types.js'
import { readRows } from '../table/helpers.js'

const SCHEMA = struct(field('id', P('long')), field('name', P('string')), field('v', P('integer')), field('part', P('string')))
const ROWS = [1, 2, 3, 4, 5, 6].map((id) => ({ id: BigInt(id), name: ['ann', 'Bob', 'cy', 'Dee', 'eve', null][id - 1] ?? null, v: id * 10, part: id % 2 === 0 ? 'even' : 'odd' }))

async function table(): Promise<MemoryStore> {
  const store = new MemoryStore()
  await writeDelta(store, ROWS, { schema: SCHEMA, partitionBy: ['part'], maxRowsPerFile: 2 })
  return store
}

const ids = (rows: readonly Record<string, unknown>[]): number[] => rows.map((r) => Number(r['id'])).sort((a, b) => a - b)

describe('scan filters with value expressions', () => {
  it.each([
    ["upper(name) LIKE 'D%'", [4]],
    ['v * 2 + 1 > 81', [5, 6]],
    ["CASE WHEN part = 'even' THEN v ELSE 0 END >= 40", [4, 6]],
    ['CAST(id AS string) IN (\'1\', \'3\')', [1, 3]],
    ["coalesce(name, 'none') = 'none'", [6]],
    ["length(name) = 3 AND part = 'odd'", [1, 5]],
    ["name NOT LIKE '%e%'", [1, 2, 3]],
    ['v % 20 = 0', [2, 4, 6]],
  ])('%s keeps ids %o', async (filter, expected) => {
    const t = await DeltaTable.open(await table())
    expect(ids(await t.toArray({ filter }))).toEqual(expected)
    expect(ids(await t.toArray({ filter, columns: ['id'] }))).toEqual(expected)
  })

  it('treats a partition column inside a function as a partition predicate, a data column as not', async () => {
    const t = await DeltaTable.open(await table())
    expect(ids(await t.toArray({ filter: "upper(part) = 'EVEN'" }))).toEqual([2, 4, 6])
    expect(ids(await t.toArray({ filter: "upper(part) = 'EVEN' AND lower(name) = 'dee'" }))).toEqual([4])
  })

  it('replaceWhere with a value expression replaces exactly the matching rows', async () => {
    const store = await table()
    await writeDelta(store, [{ id: 7n, name: 'new', v: 70, part: 'odd' }], { mode: 'overwrite', replaceWhere: "part = 'odd' AND v / 10 >= 3" })
    expect(ids(await readRows(store))).toEqual([1, 2, 4, 6, 7])
  })
})
