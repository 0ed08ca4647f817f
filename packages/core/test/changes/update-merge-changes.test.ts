// The change data feed written by lake's UPDATE and MERGE and read back by changes(): update pairs
// (`update_preimage` / `update_postimage`) with their typed rows, copied rows are not changes, deletion
// vectors on and off; a failed attempt leaves no change data files.

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine, Row } from '../../src/index.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'
import { SCHEMA, keys, toRow } from '../dml/helpers.js'
import type { TestRow } from '../dml/helpers.js'

const rows = (from: number, to: number, p: string): TestRow[] => Array.from({ length: to - from }, (_, i) => ({ id: from + i, p, v: from + i }))

/** v0 create (feed on), v1 ids 0..9 in p=a, v2 ids 10..19 in p=b. */
async function cdfTable(dv: boolean): Promise<{ engine: Engine; store: MemoryStore }> {
  const store = new MemoryStore({ url: 'memory://cdf' })
  const engine = createEngine(store)
  const configuration = { 'delta.enableChangeDataFeed': 'true', ...(dv ? { 'delta.enableDeletionVectors': 'true' } : {}) }
  await DeltaTable.create(engine, { schema: SCHEMA, configuration })
  await (await DeltaTable.open(engine)).write(rows(0, 10, 'a').map(toRow))
  await (await DeltaTable.open(engine)).write(rows(10, 20, 'b').map(toRow))
  return { engine, store }
}

/** The feed from `version` as `[type, version, id, p, v]` tuples, sorted. */
async function feed(engine: Engine, version: number): Promise<(string | number | null)[][]> {
  const changed = await (await DeltaTable.open(engine)).changes({ startingVersion: version }).toArray()
  const tuple = (r: Row): (string | number | null)[] => [String(r['_change_type']), Number(r['_commit_version']), Number(r['id']), r['p'] as string, r['v'] === null ? null : Number(r['v'])]
  return changed.map(tuple).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

const sorted = (tuples: (string | number | null)[][]): (string | number | null)[][] => [...tuples].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
const pair = (version: number, r: TestRow, v: number | null): (string | number | null)[][] => [
  ['update_preimage', version, r.id, r.p, r.v],
  ['update_postimage', version, r.id, r.p, v],
]
const cdcKeys = async (store: MemoryStore): Promise<string[]> => (await keys(store)).filter((k) => k.startsWith('_change_data/'))

describe('UPDATE on a change-data-feed table', () => {
  it.each([false, true])('writes each updated row as an update_preimage / update_postimage pair; copies are not changes (DV %s)', async (dv) => {
    const { engine, store } = await cdfTable(dv)
    const result = await (await DeltaTable.open(engine)).update({ set: { v: 'v + 100' }, where: 'id < 2 OR id = 15' })
    expect(result.version).toBe(3)
    expect(result.metrics.numUpdatedRows).toBe(3)
    expect(result.metrics.numAddedChangeFiles).toBe((await cdcKeys(store)).length)
    expect(result.metrics.numAddedChangeFiles).toBeGreaterThan(0)
    expect(await feed(engine, 3)).toEqual(sorted([...pair(3, rows(0, 1, 'a')[0]!, 100), ...pair(3, rows(1, 2, 'a')[0]!, 101), ...pair(3, rows(15, 16, 'b')[0]!, 115)]))
  })

  it('a SET to NULL records the NULL post-image', async () => {
    const { engine } = await cdfTable(false)
    await (await DeltaTable.open(engine)).update({ set: { v: 'NULL' }, where: 'id = 3' })
    expect(await feed(engine, 3)).toEqual(sorted(pair(3, rows(3, 4, 'a')[0]!, null)))
  })

  it('an UPDATE that loses a conflict deletes the change data files it wrote', async () => {
    const { engine, store } = await cdfTable(false)
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000003.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).update({ set: { v: '0' }, where: 'id = 2' }, { commit: { maxReplans: 0 } })
    await gated.reached
    expect(await cdcKeys(store)).toHaveLength(1) // the loser's, written before its commit
    await (await DeltaTable.open(engine)).update({ set: { v: '1' }, where: 'id = 3' }) // the winner rewrites the same file: v3
    const winners = await cdcKeys(store)
    gated.open()
    await expect(loser).rejects.toMatchObject({ name: 'CommitConflictError' })
    const left = await cdcKeys(store)
    expect(left).toHaveLength(1)
    expect(winners).toEqual(expect.arrayContaining(left))
    expect(await feed(engine, 3)).toEqual(sorted(pair(3, rows(3, 4, 'a')[0]!, 1)))
  })
})

describe('MERGE on a change-data-feed table', () => {
  const source = [{ id: 1, p: 'a', v: 101 }, { id: 2, p: 'a', v: -1 }, { id: 15, p: 'b', v: 115 }, { id: 40, p: 'c', v: 40 }]

  it.each([false, true])('writes deletes, update pairs and inserts; copies are not changes (DV %s)', async (dv) => {
    const { engine, store } = await cdfTable(dv)
    const result = await (await DeltaTable.open(engine))
      .merge(source, { on: 'target.id = source.id' })
      .whenMatchedDelete({ condition: 'source.v < 0' })
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute()
    expect(result.version).toBe(3)
    expect(result.metrics.numTargetChangeFilesAdded).toBe((await cdcKeys(store)).length)
    expect(result.metrics.numTargetChangeFilesAdded).toBeGreaterThan(0)
    expect(await feed(engine, 3)).toEqual(sorted([
      ...pair(3, { id: 1, p: 'a', v: 1 }, 101),
      ...pair(3, { id: 15, p: 'b', v: 15 }, 115),
      ['delete', 3, 2, 'a', 2],
      ['insert', 3, 40, 'c', 40],
    ]))
  })

  it.each([false, true])('an insert-only MERGE writes no change data files: its adds are the inserts (DV %s)', async (dv) => {
    const { engine, store } = await cdfTable(dv)
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenNotMatchedInsertAll().execute()
    expect(result.metrics.numTargetChangeFilesAdded).toBe(0)
    expect(await cdcKeys(store)).toEqual([])
    expect(await feed(engine, 3)).toEqual([['insert', 3, 40, 'c', 40]])
  })

  it('a MERGE that deletes by deletion vectors only writes no change data files: the deletes are inferred', async () => {
    const { engine, store } = await cdfTable(true)
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedDelete().execute()
    expect(result.metrics.numTargetChangeFilesAdded).toBe(0)
    expect(await cdcKeys(store)).toEqual([])
    expect(await feed(engine, 3)).toEqual(sorted([['delete', 3, 1, 'a', 1], ['delete', 3, 2, 'a', 2], ['delete', 3, 15, 'b', 15]]))
  })

  it('a MERGE that loses a conflict deletes the change data files it wrote', async () => {
    const { engine, store } = await cdfTable(false)
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000003.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().execute({ commit: { maxReplans: 0 } })
    await gated.reached
    expect((await cdcKeys(store)).length).toBeGreaterThan(0) // the loser's, written before its commit
    await (await DeltaTable.open(engine)).update({ set: { v: '0' }, where: 'id = 3' }) // the winner rewrites a file the loser read: v3
    const winners = await cdcKeys(store)
    gated.open()
    await expect(loser).rejects.toMatchObject({ name: 'CommitConflictError' })
    const left = await cdcKeys(store)
    expect(left).toHaveLength(1)
    expect(winners).toEqual(expect.arrayContaining(left))
    expect(await feed(engine, 3)).toEqual(sorted(pair(3, { id: 3, p: 'a', v: 3 }, 0)))
  })
})
