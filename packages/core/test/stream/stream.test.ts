// Table streams end to end on in-memory tables: the starting point, batch sizes, non-append
// commits, durable progress in a checkpoint location (restart, mismatch, fencing) and the sinks'
// exactly-once through app transactions.

import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { DeltaTable, createEngine, streamTable } from '../../src/index.js'
import type { Engine, MicroBatch, Row, StreamOptions } from '../../src/index.js'
import { resolveTable } from '../../src/internal.js'
import { newTable, toRow } from '../dml/helpers.js'
import { tempDir } from '../../../../test/temp-dir.js'

const rows = (from: number, n: number, p = 'a'): Row[] => Array.from({ length: n }, (_, i) => toRow({ id: from + i, p, v: from + i }))
const ids = (list: readonly Row[]): number[] => list.map((r) => Number(r['id'])).sort((a, b) => a - b)

/** A source with `commits` appends of 2 rows each (versions 1..commits). */
async function source(commits: number): Promise<Engine> {
  const { engine } = await newTable({ dv: false, partitioned: false })
  const table = await DeltaTable.open(engine)
  for (let i = 0; i < commits; i++) await table.write(rows(i * 2, 2))
  return engine
}

async function collect(engine: Engine, options: StreamOptions): Promise<{ batch: MicroBatch; rows: Row[] }[]> {
  const out: { batch: MicroBatch; rows: Row[] }[] = []
  for await (const batch of (await DeltaTable.open(engine)).stream(options)) out.push({ batch, rows: await batch.toArray() })
  return out
}

describe('starting point and batch size', () => {
  it('reads the current snapshot first, one batch per maxFilesPerTrigger files', async () => {
    const engine = await source(5)
    const batches = await collect(engine, { maxFilesPerTrigger: 2 })
    expect(batches.map((b) => [b.batch.batchId, b.batch.files.length, b.batch.end.isStartingVersion, b.batch.endVersion])).toEqual([
      [0, 2, true, 5], [1, 2, true, 5], [2, 1, true, 5],
    ])
    expect(ids(batches.flatMap((b) => b.rows))).toEqual(Array.from({ length: 10 }, (_, i) => i))
  })

  it('startingVersion reads the changes of that version and later; latest only new ones', async () => {
    const engine = await source(4)
    const from3 = await collect(engine, { startingVersion: 3 })
    expect(from3.map((b) => [b.batch.startVersion, b.batch.endVersion])).toEqual([[3, 4]])
    expect(ids(from3[0]?.rows ?? [])).toEqual([4, 5, 6, 7])
    expect(await collect(engine, { startingVersion: 'latest' })).toEqual([])
    await expect(collect(engine, { startingVersion: 9 })).rejects.toMatchObject({ code: 'VersionNotFound', context: { version: 9, latest: 4 } })
  })

  it('a log of only a checkpoint (commit files cleaned up): streams from the checkpoint on, and names a start before it as the start', async () => {
    const dir = join(tempDir('lake-stream-'), 't')
    const { store } = await newTable({ dv: false, partitioned: false })
    await DeltaTable.create(dir, { schema: (await DeltaTable.open(store)).schema })
    for (let i = 0; i < 3; i++) await (await DeltaTable.open(dir)).write(rows(i * 2, 2))
    await (await DeltaTable.open(dir)).checkpoint()
    for (const name of readdirSync(join(dir, '_delta_log'))) if (name.endsWith('.json')) rmSync(join(dir, '_delta_log', name))
    const engine = await resolveTable(dir)
    expect(ids((await collect(engine, {})).flatMap((b) => b.rows))).toEqual([0, 1, 2, 3, 4, 5])
    expect(await collect(engine, { startingVersion: 4 })).toEqual([])
    for (const version of [1, 3]) {
      await expect(collect(engine, { startingVersion: version })).rejects.toMatchObject({
        code: 'VersionNotFound',
        message: `cannot start the stream at version ${version}: expected a version from 4 to 4 (the stream reads the table as of the version before its start; the log can rebuild versions 3..3), found ${version}`,
        context: { version, earliest: 3, latest: 3 },
      })
    }
  })

  it('startingTimestamp starts at the first commit at or after the instant', async () => {
    const engine = await source(3)
    const history = await (await DeltaTable.open(engine)).history()
    const v2 = history.find((h) => h.version === 2)?.timestamp ?? 0
    const batches = await collect(engine, { startingTimestamp: v2 })
    expect(batches[0]?.batch.startVersion).toBe(2)
  })

  it('columns and filter apply like scan', async () => {
    const engine = await source(3)
    const [only] = await collect(engine, { columns: ['id'], filter: 'id >= 3' })
    expect(ids(only?.rows ?? [])).toEqual([3, 4, 5])
    expect(Object.keys(only?.rows[0] ?? {})).toEqual(['id'])
  })

  it('once: everything available in one batch, limits ignored', async () => {
    const engine = await source(4)
    const batches = await collect(engine, { trigger: { once: true }, maxFilesPerTrigger: 1 })
    expect(batches.map((b) => b.batch.files.length)).toEqual([4])
  })

  it('refuses bad options before any I/O', async () => {
    const engine = await source(1)
    const table = await DeltaTable.open(engine)
    expect(() => table.stream({ readChangeFeed: true, skipChangeCommits: true })).toThrow(expect.objectContaining({ code: 'InvalidArgument', context: { option: 'skipChangeCommits' } }))
    expect(() => table.stream({ minBatchesToRetain: 0 })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
    expect(() => table.stream({ maxFilesPerTrigger: 0 })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
    expect(() => table.stream({ startingVersion: 1, startingTimestamp: 0 })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
  })
})

describe('non-append commits', () => {
  it('a DELETE stops the stream with an error naming the version; skipChangeCommits goes on', async () => {
    const engine = await source(2)
    const table = await DeltaTable.open(engine)
    await table.delete('id = 0') // v3: rewrites the file of v1
    await table.write(rows(100, 1)) // v4
    await expect(collect(engine, { startingVersion: 1 })).rejects.toMatchObject({ code: 'UnsupportedChange', context: { version: 3, operation: 'DELETE' } })
    const skipped = await collect(engine, { startingVersion: 1, skipChangeCommits: true })
    expect(ids(skipped.flatMap((b) => b.rows))).toEqual([0, 1, 2, 3, 100])
    const reemitted = await collect(engine, { startingVersion: 1, ignoreChanges: true })
    expect(ids(reemitted.flatMap((b) => b.rows))).toEqual([0, 1, 1, 2, 3, 100])
  })

  it('an overwrite stops the stream at its version', async () => {
    const engine = await source(2)
    await (await DeltaTable.open(engine)).write(rows(50, 1), { mode: 'overwrite' })
    await expect(collect(engine, { startingVersion: 1 })).rejects.toMatchObject({ code: 'UnsupportedChange', context: { version: 3, operation: 'WRITE' } })
  })
})

describe('schema changes in the source', () => {
  it('stop the stream at the version of the change unless allowSchemaChange, then batches carry the new schema', async () => {
    const engine = await source(1)
    await (await DeltaTable.open(engine)).write([{ ...toRow({ id: 10, p: 'a', v: 1 }), extra: 'x' }], { schemaMode: 'merge' }) // v2
    await (await DeltaTable.open(engine)).write(rows(20, 1)) // v3
    await expect(collect(engine, { startingVersion: 1 })).rejects.toMatchObject({ code: 'SchemaChanged', context: { version: 2 } })
    const batches = await collect(engine, { startingVersion: 1, allowSchemaChange: true })
    expect(batches.map((b) => [b.batch.startVersion, b.batch.endVersion, b.batch.schema.fields.map((f) => f.name).join()])).toEqual([
      [1, 1, 'id,p,v'], [2, 3, 'id,p,v,extra'],
    ])
    expect(batches[1]?.rows.map((r) => r['extra'])).toEqual(['x', null])
  })
})

describe('checkpoint location', () => {
  it('a restart continues after the last committed batch; an uncommitted batch is re-run whole', async () => {
    const engine = await source(3)
    const checkpoint = new MemoryStore({ url: 'memory://ck' })
    const options: StreamOptions = { checkpoint, maxFilesPerTrigger: 1 }
    const first: number[] = []
    const firstRows: Row[] = []
    for await (const batch of (await DeltaTable.open(engine)).stream(options)) {
      first.push(batch.batchId)
      if (batch.batchId === 1) break // batch 1 planned, not committed
      firstRows.push(...(await batch.toArray()))
    }
    await (await DeltaTable.open(engine)).write(rows(10, 2)) // v4
    const rest = await collect(engine, options)
    expect(first).toEqual([0, 1])
    expect(rest.map((b) => b.batch.batchId)).toEqual([1, 2, 3])
    // The snapshot's files go in (modificationTime, path) order: two appends in one millisecond may swap.
    const done = ids(firstRows)
    expect(done).toHaveLength(2)
    expect(ids(rest.flatMap((b) => b.rows))).toEqual([0, 1, 2, 3, 4, 5, 10, 11].filter((id) => !done.includes(id)))
    expect(await collect(engine, options)).toEqual([])
    const keys: string[] = []
    for await (const m of checkpoint.list('')) keys.push(m.path)
    expect(keys.sort()).toEqual(['commits/0', 'commits/1', 'commits/2', 'commits/3', 'metadata', 'offsets/0', 'offsets/1', 'offsets/2', 'offsets/3'])
  })

  it('refuses a checkpoint of another source table', async () => {
    const checkpoint = new MemoryStore({ url: 'memory://ck' })
    await collect(await source(1), { checkpoint })
    await expect(collect(await source(1), { checkpoint })).rejects.toMatchObject({ code: 'StreamMismatch' })
  })

  it('fencing: a batch planned by another runner is not planned again', async () => {
    const engine = await source(2)
    const checkpoint = new MemoryStore({ url: 'memory://ck' })
    const a = (await DeltaTable.open(engine)).stream({ checkpoint, maxFilesPerTrigger: 1 })[Symbol.asyncIterator]()
    const b = (await DeltaTable.open(engine)).stream({ checkpoint, maxFilesPerTrigger: 1 })[Symbol.asyncIterator]()
    expect((await a.next()).value).toMatchObject({ batchId: 0 })
    expect((await b.next()).value).toMatchObject({ batchId: 0 }) // b re-runs the uncommitted batch 0
    expect((await a.next()).value).toMatchObject({ batchId: 1 }) // a commits 0, plans 1
    await expect(b.next()).rejects.toMatchObject({ code: 'CommitConflict', context: { batchId: 0 } })
  })
})

describe('sinks', () => {
  it('writeTo appends each batch once with txn(queryId, batchId); a replayed batch is skipped by the target', async () => {
    const src = await source(3)
    const target = createEngine(new MemoryStore({ url: 'memory://target' }))
    const checkpoint = new MemoryStore({ url: 'memory://ck' })
    const stream = await streamTable(src, { checkpoint, maxFilesPerTrigger: 2 })
    expect(await stream.writeTo(target)).toEqual({ batches: 2, rows: 6, skippedBatches: 0 })
    await checkpoint.delete('commits/1') // as if the process died after the target commit
    const again = await streamTable(src, { checkpoint, maxFilesPerTrigger: 2 })
    expect(await again.writeTo(target)).toEqual({ batches: 1, rows: 0, skippedBatches: 1 })
    const out = await DeltaTable.open(target)
    expect(ids(await out.toArray())).toEqual([0, 1, 2, 3, 4, 5])
    expect(out.snapshot.txnVersion(stream.queryId ?? '')).toBe(1)
    expect((await out.history()).map((h) => h.operation)).toEqual(['WRITE', 'WRITE'])
  })

  it('complete mode replaces the target with f(batch, previous) each batch', async () => {
    const src = await source(3)
    const target = createEngine(new MemoryStore({ url: 'memory://target' }))
    const stream = await streamTable(src, { checkpoint: new MemoryStore({ url: 'memory://ck' }), maxFilesPerTrigger: 1 })
    const count = (batch: readonly Row[], previous: readonly Row[]): Row[] => [{ n: BigInt(batch.length) + BigInt((previous[0]?.['n'] as bigint | undefined) ?? 0n) }]
    await stream.writeTo(target, { mode: 'complete', complete: count })
    expect(await (await DeltaTable.open(target)).toArray()).toEqual([{ n: 6n }])
  })

  it('writeTo partitionBy makes a partitioned target; schemaMode merge follows an allowed source schema change', async () => {
    const src = await source(1)
    await (await DeltaTable.open(src)).write([{ ...toRow({ id: 10, p: 'b', v: 1 }), extra: 'x' }], { schemaMode: 'merge' }) // v2
    const target = createEngine(new MemoryStore({ url: 'memory://target' }))
    const stream = await streamTable(src, { checkpoint: new MemoryStore({ url: 'memory://ck' }), startingVersion: 1, allowSchemaChange: true })
    expect(await stream.writeTo(target, { partitionBy: ['p'], schemaMode: 'merge' })).toMatchObject({ batches: 2, rows: 3 })
    const out = await DeltaTable.open(target)
    expect([out.partitionColumns, out.schema.fields.map((f) => f.name)]).toEqual([['p'], ['id', 'p', 'v', 'extra']])
    expect(ids(await out.toArray())).toEqual([0, 1, 10])
  })

  it('writeTo needs a checkpoint', async () => {
    const stream = await streamTable(await source(1))
    await expect(stream.writeTo(createEngine(new MemoryStore()))).rejects.toMatchObject({ code: 'InvalidArgument' })
  })

  it('foreachBatch hands each batch and its id; it is committed after the function returns', async () => {
    const src = await source(2)
    const checkpoint = new MemoryStore({ url: 'memory://ck' })
    const seen: number[] = []
    const summary = await (await streamTable(src, { checkpoint, maxFilesPerTrigger: 1 })).foreachBatch((batch, id) => {
      seen.push(id)
      expect(batch.batchId).toBe(id)
    })
    expect([seen, summary.batches]).toEqual([[0, 1], 2])
    expect(await checkpoint.head('commits/1')).toMatchObject({ path: 'commits/1' })
  })
})

describe('interval trigger', () => {
  it('polls until the signal aborts, picking up new commits', async () => {
    const engine = await source(1)
    const controller = new AbortController()
    const got: number[] = []
    const run = (async () => {
      for await (const batch of (await DeltaTable.open(engine)).stream({ trigger: { intervalMs: 10 }, signal: controller.signal })) {
        got.push(...ids(await batch.toArray()))
        if (got.length >= 4) controller.abort()
      }
    })()
    await new Promise((r) => setTimeout(r, 30))
    await (await DeltaTable.open(engine)).write(rows(2, 2))
    await run
    expect(got).toEqual([0, 1, 2, 3])
  })
})
