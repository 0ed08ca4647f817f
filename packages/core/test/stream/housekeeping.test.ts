// A stream's housekeeping: the checkpoint keeps the entries of the last `minBatchesToRetain` batches
// only (a restart still works), and commits that contribute nothing (skipped change commits,
// ignored deletes, compaction) are read once: alone, they make an empty batch that advances the
// durable offset, writes nothing to a writeTo target, and is not re-read by later polls or restarts.

import { MemoryStore } from '@lake/storage'
import type { ObjectMeta, SignalOptions } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine, streamTable } from '../../src/index.js'
import type { Engine, MicroBatch, Row, StreamOptions } from '../../src/index.js'
import { END_INDEX } from '../../src/operations/stream/plan-offset.js'
import { createTable, toRow } from '../dml/helpers.js'

const rows = (from: number, n: number): Row[] => Array.from({ length: n }, (_, i) => toRow({ id: from + i, p: 'a', v: from + i }))
const ids = (list: readonly Row[]): number[] => list.map((r) => Number(r['id'])).sort((a, b) => a - b)

/** A memory store that counts the reads of each key. */
class CountingStore extends MemoryStore {
  readonly reads = new Map<string, number>()
  override get(path: string, options?: SignalOptions): Promise<Uint8Array> {
    this.reads.set(path, (this.reads.get(path) ?? 0) + 1)
    return super.get(path, options)
  }
}

const commitKey = (v: number): string => `_delta_log/${String(v).padStart(20, '0')}.json`

async function source(commits: number): Promise<{ engine: Engine; store: CountingStore }> {
  const store = new CountingStore({ url: 'memory://src' })
  const engine = await createTable(store, { dv: false, partitioned: false })
  for (let i = 0; i < commits; i++) await (await DeltaTable.open(engine)).write(rows(i * 2, 2))
  return { engine, store }
}

async function collect(engine: Engine, options: StreamOptions): Promise<{ batch: MicroBatch; rows: Row[] }[]> {
  const out: { batch: MicroBatch; rows: Row[] }[] = []
  for await (const batch of (await DeltaTable.open(engine)).stream(options)) out.push({ batch, rows: await batch.toArray() })
  return out
}

async function entries(checkpoint: MemoryStore): Promise<string[]> {
  const keys: ObjectMeta[] = []
  for await (const m of checkpoint.list('')) keys.push(m)
  return keys.map((m) => m.path).filter((p) => p !== 'metadata').sort()
}

describe('checkpoint purge (minBatchesToRetain)', () => {
  it('keeps the last batches only, and a restart continues after them', async () => {
    const { engine } = await source(8)
    const checkpoint = new MemoryStore({ url: 'memory://ck' })
    const options: StreamOptions = { checkpoint, maxFilesPerTrigger: 1, minBatchesToRetain: 3 }
    const first = await collect(engine, options)
    expect(first.map((b) => b.batch.batchId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(await entries(checkpoint)).toEqual(['commits/5', 'commits/6', 'commits/7', 'offsets/5', 'offsets/6', 'offsets/7'])
    await (await DeltaTable.open(engine)).write(rows(100, 2))
    await (await DeltaTable.open(engine)).write(rows(200, 2))
    const rest = await collect(engine, options)
    expect(rest.map((b) => b.batch.batchId)).toEqual([8, 9])
    expect(ids([...first, ...rest].flatMap((b) => b.rows))).toEqual([...Array.from({ length: 16 }, (_, i) => i), 100, 101, 200, 201])
    expect(await entries(checkpoint)).toEqual(['commits/7', 'commits/8', 'commits/9', 'offsets/7', 'offsets/8', 'offsets/9'])
  })

  it('a restart purges every entry older than the window (left by a crash or a larger window)', async () => {
    const { engine } = await source(2)
    const checkpoint = new MemoryStore({ url: 'memory://ck' })
    await collect(engine, { checkpoint, maxFilesPerTrigger: 1 })
    expect(await entries(checkpoint)).toEqual(['commits/0', 'commits/1', 'offsets/0', 'offsets/1'])
    expect(await collect(engine, { checkpoint, minBatchesToRetain: 1 })).toEqual([])
    expect(await entries(checkpoint)).toEqual(['commits/1', 'offsets/1'])
  })
})

describe('commits that contribute nothing', () => {
  it('alone make one empty batch that advances the offset; they are not read again', async () => {
    const { engine, store } = await source(2)
    const checkpoint = new MemoryStore({ url: 'memory://ck' })
    const options: StreamOptions = { checkpoint, startingVersion: 1, skipChangeCommits: true }
    expect((await collect(engine, options)).map((b) => [b.batch.batchId, b.batch.endVersion, b.batch.empty])).toEqual([[0, 2, false]])
    await (await DeltaTable.open(engine)).delete('id = 0') // v3: skipped
    await (await DeltaTable.open(engine)).optimize() // v4 or none: compaction, no data change
    const latest = (await DeltaTable.open(engine)).version
    await (await DeltaTable.open(engine)).checkpoint() // snapshot loads no longer read commit 3: only the stream's planning does
    const empty = await collect(engine, options)
    expect(empty.map((b) => [b.batch.batchId, b.batch.startVersion, b.batch.endVersion, b.batch.empty, b.batch.files.length, b.rows.length])).toEqual([[1, 3, latest, true, 0, 0]])
    expect(empty[0]?.batch.end).toMatchObject({ version: latest, index: END_INDEX, isStartingVersion: false })
    const reads = store.reads.get(commitKey(3)) ?? 0
    expect(await collect(engine, options)).toEqual([])
    expect(store.reads.get(commitKey(3))).toBe(reads)
    await (await DeltaTable.open(engine)).write(rows(50, 1))
    expect((await collect(engine, options)).flatMap((b) => b.rows).map((r) => Number(r['id']))).toEqual([50])
    expect(store.reads.get(commitKey(3))).toBe(reads)
  })

  it('an interval stream reads a skipped commit once, not at every poll', async () => {
    const { engine, store } = await source(1)
    const controller = new AbortController()
    const seen: boolean[] = []
    const stream = (await DeltaTable.open(engine)).stream({ startingVersion: 1, skipChangeCommits: true, trigger: { intervalMs: 1, maxIdleMs: 2 }, signal: controller.signal })
    for await (const batch of stream) {
      seen.push(batch.empty)
      if (seen.length === 1) await (await DeltaTable.open(engine)).delete('id = 0') // v2: skipped
      if (seen.length === 2) setTimeout(() => controller.abort(), 100) // many idle polls after the empty batch
    }
    expect(seen).toEqual([false, true])
    expect(store.reads.get(commitKey(2))).toBe(1)
  })

  it('writeTo commits nothing to the target for an empty batch', async () => {
    const { engine } = await source(1)
    const target = createEngine(new MemoryStore({ url: 'memory://target' }))
    const options: StreamOptions = { checkpoint: new MemoryStore({ url: 'memory://ck' }), startingVersion: 1, ignoreDeletes: true }
    expect(await (await streamTable(engine, options)).writeTo(target)).toEqual({ batches: 1, rows: 2, skippedBatches: 0 })
    await (await DeltaTable.open(engine)).delete() // v2: removes every file
    const progress: string[] = []
    expect(await (await streamTable(engine, options)).writeTo(target, { onBatch: (p) => progress.push(p.status) })).toEqual({ batches: 1, rows: 0, skippedBatches: 0 })
    expect(progress).toEqual(['empty'])
    expect((await DeltaTable.open(target)).version).toBe(0)
  })
})
