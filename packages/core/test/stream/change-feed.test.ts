// readChangeFeed streams: the starting snapshot as inserts, whole commits per batch under the
// limits, a source without the feed (appends are inserts, a DELETE is ChangeDataNotRecorded),
// projection and filter over the change columns, and writeTo writing the change rows exactly once.

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine, streamTable } from '../../src/index.js'
import type { Engine, MicroBatch, Row, StreamOptions } from '../../src/index.js'
import type { Action, Metadata, Protocol } from '../../src/internal.js'
import { commitSources } from '../../src/operations/changes/plan.js'
import { ChangeBatchPlanner } from '../../src/operations/stream/change-plan.js'
import { END_INDEX } from '../../src/operations/stream/plan-offset.js'
import { add, metadata, protocol } from '../helpers/actions.js'
import { newTable, toRow } from '../dml/helpers.js'

const rows = (from: number, n: number, p = 'a'): Row[] => Array.from({ length: n }, (_, i) => toRow({ id: from + i, p, v: from + i }))
const tuple = (r: Row): string => `${String(r['_change_type'])}@${Number(r['_commit_version'])}:${Number(r['id'])}`

/** A source (feed on or off) with `commits` appends of 2 rows each (versions 1..commits). */
async function source(commits: number, cdf = true): Promise<Engine> {
  const { engine } = await newTable({ dv: false, partitioned: false, cdf })
  for (let i = 0; i < commits; i++) await (await DeltaTable.open(engine)).write(rows(i * 2, 2))
  return engine
}

async function collect(engine: Engine, options: StreamOptions): Promise<{ batch: MicroBatch; rows: Row[] }[]> {
  const out: { batch: MicroBatch; rows: Row[] }[] = []
  for await (const batch of (await DeltaTable.open(engine)).stream({ readChangeFeed: true, ...options })) out.push({ batch, rows: await batch.toArray() })
  return out
}

describe('readChangeFeed', () => {
  it('emits the starting snapshot as inserts at its version and timestamp, split by file', async () => {
    const engine = await source(3)
    const snapshot = (await DeltaTable.open(engine)).snapshot
    const batches = await collect(engine, { maxFilesPerTrigger: 2 })
    expect(batches.map((b) => [b.batch.files.length, b.batch.end.isStartingVersion])).toEqual([[2, true], [1, true]])
    const all = batches.flatMap((b) => b.rows)
    expect(all.map(tuple).sort()).toEqual(['insert@3:0', 'insert@3:1', 'insert@3:2', 'insert@3:3', 'insert@3:4', 'insert@3:5'])
    expect(new Set(all.map((r) => r['_commit_timestamp']))).toEqual(new Set([new Date(snapshot.timestamp).toISOString().replace('Z', '000Z')]))
  })

  it('takes whole commits: the commit crossing maxFilesPerTrigger is included and ends the batch', async () => {
    const engine = await source(1)
    await (await DeltaTable.open(engine)).delete('id = 0') // v2: one cdc file (or a rewrite)
    await (await DeltaTable.open(engine)).write(rows(10, 2)) // v3
    await (await DeltaTable.open(engine)).write(rows(20, 2)) // v4
    const batches = await collect(engine, { startingVersion: 1, maxFilesPerTrigger: 2 })
    const versions = batches.map((b) => [...new Set(b.rows.map((r) => Number(r['_commit_version'])))])
    expect(versions.flat()).toEqual([1, 2, 3, 4])
    expect(batches.every((b) => b.batch.end.index === END_INDEX && !b.batch.end.isStartingVersion)).toBe(true)
    expect(batches.flatMap((b) => b.rows).map(tuple)).toEqual(['insert@1:0', 'insert@1:1', 'delete@2:0', 'insert@3:10', 'insert@3:11', 'insert@4:20', 'insert@4:21'])
  })

  it('without the feed on the source: appends are inserts, a DELETE is ChangeDataNotRecorded naming its version', async () => {
    const engine = await source(2, false)
    expect((await collect(engine, { startingVersion: 1 })).flatMap((b) => b.rows).map(tuple)).toEqual(['insert@1:0', 'insert@1:1', 'insert@2:2', 'insert@2:3'])
    await (await DeltaTable.open(engine)).delete('id = 0') // v3
    await expect(collect(engine, { startingVersion: 1 })).rejects.toMatchObject({ code: 'ChangeDataNotRecorded', context: { version: 3, operation: 'DELETE' } })
    // The batch before the commit is delivered first: the error comes with the batch that would hold it.
    const first: number[] = []
    await expect((async () => {
      for await (const batch of (await DeltaTable.open(engine)).stream({ readChangeFeed: true, startingVersion: 1, maxFilesPerTrigger: 2 })) first.push(batch.endVersion)
    })()).rejects.toMatchObject({ code: 'ChangeDataNotRecorded' })
    expect(first).toEqual([2])
  })

  it('columns and filter apply over the table and change columns', async () => {
    const engine = await source(2)
    await (await DeltaTable.open(engine)).update({ set: { v: 'v + 100' }, where: 'id = 1' }) // v3
    const [only] = await collect(engine, { startingVersion: 2, columns: ['id', 'v', '_change_type'], filter: "_change_type <> 'insert'" })
    expect(only?.batch.schema.fields.map((f) => f.name)).toEqual(['id', 'v', '_change_type'])
    expect(only?.rows).toEqual([
      { id: 1n, v: 1, _change_type: 'update_preimage' },
      { id: 1n, v: 101, _change_type: 'update_postimage' },
    ])
  })

  it('writeTo writes the change rows with the three columns once; a replayed batch is skipped by the target', async () => {
    const src = await source(2)
    await (await DeltaTable.open(src)).delete('id = 2') // v3
    const target = createEngine(new MemoryStore({ url: 'memory://target' }))
    const checkpoint = new MemoryStore({ url: 'memory://ck' })
    const options: StreamOptions = { checkpoint, readChangeFeed: true, startingVersion: 1, maxFilesPerTrigger: 1 }
    expect(await (await streamTable(src, options)).writeTo(target)).toMatchObject({ batches: 3, rows: 5, skippedBatches: 0 })
    await checkpoint.delete('commits/2') // as if the process died after the target commit
    expect(await (await streamTable(src, options)).writeTo(target)).toEqual({ batches: 1, rows: 0, skippedBatches: 1 })
    const out = await DeltaTable.open(target)
    expect(out.schema.fields.map((f) => [f.name, f.type.kind === 'primitive' ? f.type.name : f.type.kind])).toEqual([
      ['id', 'long'], ['p', 'string'], ['v', 'integer'], ['_change_type', 'string'], ['_commit_version', 'long'], ['_commit_timestamp', 'timestamp'],
    ])
    const feed = await (await DeltaTable.open(src)).changes({ startingVersion: 1 }).toArray()
    const written = await out.toArray()
    const asText = (r: Row): string => `${tuple(r)}@${String(r['_commit_timestamp'])}`
    expect(written.map(asText).sort()).toEqual(feed.map(asText).sort())
    expect((await out.history()).length).toBe(3)
  })
})

describe('readChangeFeed and the checkpoint', () => {
  it('a checkpoint of a change-feed stream is refused to a stream of rows, and the reverse', async () => {
    const engine = await source(1)
    const feed = new MemoryStore({ url: 'memory://ck-feed' })
    const plain = new MemoryStore({ url: 'memory://ck-rows' })
    await collect(engine, { checkpoint: feed })
    await collect(engine, { checkpoint: plain, readChangeFeed: false })
    const rowsOf = async (checkpoint: MemoryStore): Promise<unknown> => (await DeltaTable.open(engine)).stream({ checkpoint })[Symbol.asyncIterator]().next()
    await expect(rowsOf(feed)).rejects.toMatchObject({ code: 'StreamMismatch', context: { expected: true, found: false } })
    await expect(collect(engine, { checkpoint: plain })).rejects.toMatchObject({ code: 'StreamMismatch', context: { expected: false, found: true } })
  })
})

describe('ChangeBatchPlanner limits', () => {
  const state = (): { metadata: Metadata; protocol: Protocol } => {
    const m = metadata({ configuration: { 'delta.enableChangeDataFeed': 'true' } })
    const p = protocol()
    if (m.kind !== 'metaData' || p.kind !== 'protocol') throw new Error('helpers changed')
    return { metadata: m.metaData, protocol: p.protocol }
  }
  const commit = (version: number, sizes: readonly number[]): { version: number; timestamp: number; actions: Action[] } => ({
    version, timestamp: 0, actions: sizes.map((size, i) => add(`v${version}-${i}.parquet`, { size })),
  })
  const after = { version: 0, index: -1, isStartingVersion: false }

  it('maxBytesPerTrigger is soft per commit: the commit crossing it is taken whole and ends the batch', () => {
    const planner = new ChangeBatchPlanner(after, state(), {}, { maxBytes: 250 }, commitSources)
    expect([commit(1, [100]), commit(2, [100, 100]), commit(3, [10])].map((c) => planner.offerCommit(c))).toEqual(['more', 'full', 'stop'])
    expect(planner.sources.map((s) => s.version)).toEqual([1, 2, 2])
    expect(planner.end).toEqual({ version: 2, index: END_INDEX, isStartingVersion: false })
  })

  it('a commit is never split by maxFilesPerTrigger, and one bigger than the limit makes a batch alone', () => {
    const planner = new ChangeBatchPlanner(after, state(), {}, { maxFiles: 2 }, commitSources)
    expect(planner.offerCommit(commit(1, [1, 1, 1]))).toBe('full')
    expect(planner.offerCommit(commit(2, [1]))).toBe('stop')
    expect(planner.sources).toHaveLength(3)
  })
})
