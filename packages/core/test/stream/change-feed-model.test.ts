// readChangeFeed against a model: random appends, DELETEs, UPDATEs and MERGEs on a change-data-feed
// source while change-feed streams run batch by batch (availableNow sessions, some stopped after a
// batch it did not commit, then restarted from the checkpoint). The union of streamed change rows
// equals `table.changes()` over the same range (timestamps included) and the model's own diff; no
// commit is split across batches.

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../../src/index.js'
import type { Engine, Row, StreamOptions } from '../../src/index.js'
import { newTable, toRow } from '../dml/helpers.js'
import type { TestRow } from '../dml/helpers.js'
import { random } from '../../../parquet/test/seeded-random.js'

/** A change row as a comparable key (`withTime`: with `_commit_timestamp`). */
const key = (r: Row, withTime = false): string =>
  [r['_change_type'], Number(r['_commit_version']), Number(r['id']), r['p'], r['v'] === null ? 'null' : Number(r['v']), ...(withTime ? [String(r['_commit_timestamp'])] : [])].join('|')
const modelKey = (type: string, version: number, r: TestRow): string => [type, version, r.id, r.p, r.v === null ? 'null' : r.v].join('|')

/** The source table and its model: the live rows by id, and the change keys of every version. */
class Model {
  readonly live = new Map<number, TestRow>()
  readonly changes: string[] = []
  #next = 0
  constructor(readonly engine: Engine, readonly rand: () => number) {}

  async version(): Promise<number> {
    return (await DeltaTable.open(this.engine)).version
  }

  /** One random operation, applied to the table and the model. */
  async step(): Promise<void> {
    const table = await DeltaTable.open(this.engine)
    const pick = this.rand()
    const ids = [...this.live.keys()]
    const cut = ids.length === 0 ? 0 : (ids[Math.floor(this.rand() * ids.length)] as number)
    const record = async (type: string, rows: readonly TestRow[]): Promise<void> => {
      const v = await this.version()
      for (const r of rows) this.changes.push(modelKey(type, v, r))
    }
    if (pick < 0.45 || ids.length < 3) {
      const rows = Array.from({ length: 1 + Math.floor(this.rand() * 4) }, () => ({ id: this.#next, p: ['a', 'b'][this.#next++ % 2] ?? 'a', v: Math.floor(this.rand() * 100) }))
      await table.write(rows.map(toRow))
      rows.forEach((r) => this.live.set(r.id, r))
      await record('insert', rows)
    } else if (pick < 0.6) {
      const gone = [...this.live.values()].filter((r) => r.id >= cut && r.id < cut + 3)
      await table.delete(`id >= ${cut} AND id < ${cut + 3}`)
      gone.forEach((r) => this.live.delete(r.id))
      await record('delete', gone)
    } else if (pick < 0.8) {
      const hit = [...this.live.values()].filter((r) => r.p === 'b' && r.id <= cut)
      await table.update({ set: { v: 'v + 1' }, where: `p = 'b' AND id <= ${cut}` })
      await this.#pairs(hit, hit.map((r) => ({ ...r, v: (r.v ?? 0) + 1 })))
    } else {
      const source = [{ id: cut, p: this.live.get(cut)?.p ?? 'a', v: 1000 + Math.floor(this.rand() * 100) }, { id: this.#next, p: 'a', v: 7 }]
      this.#next++
      const before = this.live.get(cut)
      await table.merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
      if (before !== undefined) await this.#pairs([before], [source[0] as TestRow])
      await record('insert', source.slice(1))
      source.forEach((r) => this.live.set(r.id, r))
    }
  }

  async #pairs(before: readonly TestRow[], after: readonly TestRow[]): Promise<void> {
    const v = await this.version()
    before.forEach((r) => this.changes.push(modelKey('update_preimage', v, r)))
    after.forEach((r) => {
      this.changes.push(modelKey('update_postimage', v, r))
      this.live.set(r.id, r)
    })
  }
}

/** A change-feed stream run in availableNow sessions: batches by id (a replayed batch replaces its first run). */
class Streamer {
  readonly checkpoint = new MemoryStore({ url: 'memory://ck' })
  readonly batches = new Map<number, Row[]>()
  readonly versionsOf = new Map<number, Set<number>>()
  constructor(readonly engine: Engine, readonly options: StreamOptions) {}

  /** One session: stops after its first batch (leaving it uncommitted) when `stopEarly`. */
  async session(maxFiles: number, stopEarly: boolean): Promise<void> {
    const stream = (await DeltaTable.open(this.engine)).stream({ ...this.options, checkpoint: this.checkpoint, readChangeFeed: true, maxFilesPerTrigger: maxFiles })
    for await (const batch of stream) {
      const rows = await batch.toArray()
      expect(batch.schema.fields.map((f) => f.name)).toEqual(['id', 'p', 'v', '_change_type', '_commit_version', '_commit_timestamp'])
      this.batches.set(batch.batchId, rows)
      this.versionsOf.set(batch.batchId, new Set(rows.map((r) => Number(r['_commit_version']))))
      if (stopEarly) return
    }
  }

  rows(): Row[] {
    return [...this.batches.values()].flat()
  }
}

describe('readChangeFeed stream against the model', () => {
  it.each([
    { dv: false, partitioned: false, seed: 7 },
    { dv: true, partitioned: true, seed: 11 },
  ])('streams every change once, as table.changes() and the model say (%o)', async ({ dv, partitioned, seed }) => {
    const { engine } = await newTable({ dv, partitioned, cdf: true })
    const rand = random(seed)
    const model = new Model(engine, rand)
    const fromStart = new Streamer(engine, { startingVersion: 1 })
    const fromSnapshot = new Streamer(engine, {})
    for (let i = 0; i < 4; i++) await model.step()
    const snapshotVersion = await model.version()
    const snapshotRows = [...model.live.values()].map((r) => modelKey('insert', snapshotVersion, r))
    const changesBefore = model.changes.length
    await fromSnapshot.session(2, true) // the starting snapshot is this version's
    for (let op = 0; op < 24; op++) {
      await model.step()
      if (op % 3 === 2) {
        await fromStart.session(1 + Math.floor(rand() * 4), rand() < 0.3)
        await fromSnapshot.session(1 + Math.floor(rand() * 3), rand() < 0.3)
      }
    }
    await fromStart.session(2, false)
    await fromSnapshot.session(2, false)

    expect(new Set(model.changes.map((k) => k.split('|')[0]))).toEqual(new Set(['insert', 'delete', 'update_preimage', 'update_postimage']))
    const table = await DeltaTable.open(engine)
    const feed = await table.changes({ startingVersion: 1 }).toArray()
    expect(fromStart.rows().map((r) => key(r, true)).sort()).toEqual(feed.map((r) => key(r, true)).sort())
    expect(fromStart.rows().map((r) => key(r)).sort()).toEqual([...model.changes].sort())

    const after = await table.changes({ startingVersion: snapshotVersion + 1 }).toArray()
    expect(fromSnapshot.rows().filter((r) => Number(r['_commit_version']) > snapshotVersion).map((r) => key(r, true)).sort()).toEqual(after.map((r) => key(r, true)).sort())
    expect(fromSnapshot.rows().map((r) => key(r)).sort()).toEqual([...snapshotRows, ...model.changes.slice(changesBefore)].sort())

    const owner = new Map<number, number>() // commit version -> batch id: a commit is never split
    for (const [batchId, versions] of fromStart.versionsOf) {
      for (const v of versions) expect(owner.get(v) ?? batchId).toBe(batchId)
      for (const v of versions) owner.set(v, batchId)
    }
  }, 60_000)
})
