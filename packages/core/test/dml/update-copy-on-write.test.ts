// UPDATE without deletion vectors: the columnar copy-on-write route (rewrite/columnar-rewrite.ts: the
// WHERE columns matched, only the matched rows made row objects and changed, the file's rows taken by
// position with the new rows in their places) and the row route give the same table on copies of
// random tables of every flat type (stats on every column or the first 4): the same rows and values,
// metrics, added files' partition values and stats, removed files, change data, or the same error
// (overflow, NOT NULL).

import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParquetCodec } from '@lake/parquet'
import type { MemoryStore } from '@lake/storage'
import { DeltaTable, createEngine } from '../../src/index.js'
import { columnarRoute } from '../../src/rewrite/columnar-match.js'
import { copyStore, countingCodec, flatTable, flatWrites, outcomeOf } from './copy-on-write-routes.js'
import type { Outcome } from './copy-on-write-routes.js'

afterEach(() => {
  columnarRoute.columnar = true
})

const where = fc.constantFrom('id % 3 = 1', 'id = 0', 'i > 0', 'big < 0', 'd >= 0.5', "s < 'm'", 'b', 'sh IS NULL', "day < DATE '2000-01-01'", "part = 'a'", 'part IS NULL', 'id >= 0', '(i / 0 > 1) OR id = 2')
const set = fc.constantFrom<Record<string, string>>(
  { i: 'i + 1' }, { big: 'big * 2' }, { s: 'upper(s)', b: 'NOT b' }, { d: 'd / 2', fl: 'fl * 2' }, { day: "DATE '2020-02-29'", ts: 'NULL' },
  { sh: 'NULL', by: 'by' }, { part: "'c'" }, { id: 'NULL' }, { tn: "TIMESTAMP_NTZ '2024-01-01 10:00:00'", s: "concat(s, '!')" }, { big: '9007199254740993' },
)

async function updateOn(store: MemoryStore, spec: { set: Record<string, string>; where: string }, columnar: boolean, codec: ParquetCodec): Promise<Outcome> {
  columnarRoute.columnar = columnar
  return outcomeOf(createEngine(store, { codec }), (table) => table.update(spec))
}

describe('UPDATE copy-on-write: columnar route vs row route', () => {
  for (const partitioned of [false, true]) {
    it(`give the same rows, metrics, files, change data and errors on random tables (partitioned ${partitioned})`, async () => {
      let columnarRewrites = 0
      let changeRows = 0
      await fc.assert(
        fc.asyncProperty(flatWrites, set, where, fc.boolean(), fc.boolean(), async (writes, assignments, text, cdf, fewStats) => {
          const base = await flatTable(writes, partitioned, { ...(cdf ? { 'delta.enableChangeDataFeed': 'true' } : {}), ...(fewStats ? { 'delta.dataSkippingNumIndexedCols': '4' } : {}) })
          const { codec, reads } = countingCodec()
          const spec = { set: assignments, where: text }
          const columnar = await updateOn(await copyStore(base), spec, true, codec)
          columnarRewrites += reads.batches
          changeRows += columnar.changes?.length ?? 0
          const rows = await updateOn(await copyStore(base), spec, false, countingCodec().codec)
          expect(columnar, JSON.stringify(spec)).toEqual(rows)
        }),
        { numRuns: 60 },
      )
      expect(columnarRewrites).toBeGreaterThan(15)
      expect(changeRows).toBeGreaterThan(20)
    }, 240_000)
  }

  it('reads the rewritten file as Arrow columns and only the matched rows as rows', async () => {
    const writes = [[0, 1, 2, 3].map((id) => ({ id: BigInt(id), i: id, s: `s${id}`, part: 'a' }))]
    const { codec, reads } = countingCodec()
    const engine = createEngine(await flatTable(writes, true), { codec })
    const { metrics } = await (await DeltaTable.open(engine)).update({ set: { i: 'i * 10' }, where: 'id >= 2' })
    expect([reads.batches, reads.rows]).toEqual([1, 0])
    expect(metrics).toMatchObject({ numUpdatedRows: 2, numCopiedRows: 2, numRemovedFiles: 1, numAddedFiles: 1 })
    const rows = await (await DeltaTable.open(engine)).toArray()
    expect(rows.map((r) => [r['id'], r['i'], r['part']])).toEqual([[0n, 0, 'a'], [1n, 1, 'a'], [2n, 20, 'a'], [3n, 30, 'a']])
  })

  it('takes the row route when a SET may move rows to another partition', async () => {
    const writes = [[0, 1].map((id) => ({ id: BigInt(id), i: id, part: 'a' }))]
    const { codec, reads } = countingCodec()
    const engine = createEngine(await flatTable(writes, true), { codec })
    await (await DeltaTable.open(engine)).update({ set: { part: "'b'" }, where: 'id = 1' })
    expect(reads.batches).toBe(0)
    const rows = await (await DeltaTable.open(engine)).toArray()
    expect(rows.map((r) => [r['id'], r['part']]).sort()).toEqual([[0n, 'a'], [1n, 'b']])
  })
})
