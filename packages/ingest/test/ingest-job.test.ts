// runIngestJob: resume replays exactly the planned range, a second runner is fenced by the txn,
// schema evolution commits on its own, the signal stops between batches, the local lock fences.
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { readCommit, readHistory, resolveTable } from '@lake/core/internal'
import { MemoryStore } from '@lake/storage'
import { appendRows, NdjsonSource, runIngestJob } from '../src/index.js'
import type { IngestEvent, ReadContext, Source, SourceRecord } from '../src/index.js'
import type { JsonValue } from '../src/types.js'
import { lockJob } from '../src/job/job-lock.js'
import { tempDir } from './temp-dir.js'

function ndjson(n: number, extra: (i: number) => Record<string, unknown> = () => ({})): string {
  const path = join(tempDir('lake-job-'), 'in.ndjson')
  writeFileSync(path, Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, ...extra(i) })).join('\n') + '\n')
  return path
}

/** Wraps a source: records the ranges read and runs `onRead` before each read. */
function spy(inner: Source, onRead: (start: JsonValue, end: JsonValue) => Promise<void> | void = () => undefined): Source & { reads: [JsonValue, JsonValue][] } {
  const reads: [JsonValue, JsonValue][] = []
  return {
    reads,
    fingerprint: () => inner.fingerprint(),
    initialOffset: () => inner.initialOffset(),
    latestOffset: (s, l) => inner.latestOffset(s, l),
    async *read(start: JsonValue, end: JsonValue, ctx?: ReadContext): AsyncGenerator<SourceRecord> {
      reads.push([start, end])
      await onRead(start, end)
      yield* inner.read(start, end, ctx)
    },
    schema: () => inner.schema?.() ?? Promise.resolve(undefined),
  }
}

async function ids(store: MemoryStore): Promise<number[]> {
  return (await (await DeltaTable.open(store)).toArray({ columns: ['id'] })).map((r) => Number(r['id'])).sort((a, b) => a - b)
}

describe('runIngestJob into a new table', () => {
  it('creates the table with its first batch: version 0 holds protocol, metaData, the data and the txn', async () => {
    const store = new MemoryStore()
    const events: IngestEvent[] = []
    const source = new NdjsonSource({ path: ndjson(10, (i) => (i < 5 ? {} : { tag: `t${i}` })), sampleLines: 1 })
    const result = await runIngestJob({ table: store, appId: 'job', source, batchLimit: 4, encoders: 0, onEvent: (e) => events.push(e) })
    expect(result).toMatchObject({ status: 'completed', batches: 3, tableVersion: 3 })
    const engine = await resolveTable(store)
    expect((await readCommit(engine, 0)).map((a) => a.kind)).toEqual(expect.arrayContaining(['protocol', 'metaData', 'add', 'txn']))
    const history = await readHistory(engine)
    expect(history.map((h) => [h.version, h.operation]).reverse()).toEqual([[0, 'WRITE'], [1, 'WRITE'], [2, 'WRITE'], [3, 'WRITE']])
    expect(await ids(store)).toEqual(Array.from({ length: 10 }, (_, i) => i))
    const table = await DeltaTable.open(store)
    expect(table.snapshot.txnVersion('job')).toBe(2)
  })

  it('leaves nothing at the path when its first batch fails: no log, no data files, no job state', async () => {
    const dir = tempDir('lake-job-first-')
    const path = join(dir, 'in.ndjson')
    writeFileSync(path, Array.from({ length: 3_000 }, (_, i) => JSON.stringify({ id: i })).join('\n') + '\n{"id":"bad"}\n')
    const table = join(dir, 'table')
    const run = runIngestJob({ table, appId: 'first', source: new NdjsonSource({ path }), encoders: 0, chunkRows: 500, schemaPolicy: 'freeze' })
    await expect(run).rejects.toMatchObject({ code: 'TooManyBadRecords' })
    expect(existsSync(join(table, '_delta_log'))).toBe(false)
    expect(existsSync(join(table, '_lake_ingest'))).toBe(false)
    expect(existsSync(table) ? readdirSync(table, { recursive: true }).filter((n) => String(n).endsWith('.parquet')) : []).toEqual([])
  })

  it('goes into the table a concurrent writer created while its first batch was read, and resumes there', async () => {
    const store = new MemoryStore()
    const path = ndjson(10)
    let created = false
    const source = spy(new NdjsonSource({ path }), async () => {
      if (created) return
      created = true
      await appendRows(store, [{ id: 100 }], { encoders: 0 })
    })
    const first = await runIngestJob({ table: store, appId: 'late', source, batchLimit: 5, encoders: 0 })
    expect(first).toMatchObject({ status: 'completed', batches: 2, tableVersion: 2 })
    expect(await ids(store)).toEqual([...Array.from({ length: 10 }, (_, i) => i), 100])
    const again = await runIngestJob({ table: store, appId: 'late', source: new NdjsonSource({ path }), batchLimit: 5, encoders: 0 })
    expect(again).toMatchObject({ status: 'completed', batches: 0, lastBatchId: 1 })
  })

  it('keeps the job state once a batch is in the table', async () => {
    const dir = tempDir('lake-job-state-')
    const path = join(dir, 'in.ndjson')
    writeFileSync(path, '{"id":1}\n{"id":2}\n{"id":"bad"}\n')
    const table = join(dir, 'table')
    await expect(runIngestJob({ table, appId: 'kept', source: new NdjsonSource({ path }), batchLimit: 2, encoders: 0 })).rejects.toMatchObject({ code: 'TooManyBadRecords' })
    expect(existsSync(join(table, '_lake_ingest', 'kept', 'job.json'))).toBe(true)
    expect((await DeltaTable.open(table)).version).toBe(0)
  })
})

describe('runIngestJob', () => {
  it('re-reads exactly the planned range of a batch that failed before its commit', async () => {
    const store = new MemoryStore()
    const path = ndjson(100)
    const crashing = spy(new NdjsonSource({ path }), (start) => {
      if ((start as { line: number }).line === 40) throw new Error('crash while reading batch 2')
    })
    await expect(runIngestJob({ table: store, appId: 'job', source: crashing, batchLimit: 20, encoders: 0 })).rejects.toThrow('crash')
    expect(await ids(store)).toEqual(Array.from({ length: 40 }, (_, i) => i))
    const resumed = spy(new NdjsonSource({ path }))
    const result = await runIngestJob({ table: store, appId: 'job', source: resumed, batchLimit: 30, encoders: 0 })
    expect(resumed.reads[0]).toEqual([crashing.reads[2]?.[0], crashing.reads[2]?.[1]])
    expect(resumed.reads[1]?.[0]).toEqual({ line: 60, byte: expect.any(Number) })
    expect(result).toMatchObject({ status: 'completed', batches: 3, lastBatchId: 4 })
    expect(await ids(store)).toEqual(Array.from({ length: 100 }, (_, i) => i))
  })

  it('is fenced by the txn when another runner commits the same batch first', async () => {
    const store = new MemoryStore()
    const events: IngestEvent[] = []
    const source = spy(new NdjsonSource({ path: ndjson(10) }), async () => {
      await appendRows(store, [{ id: 99 }], { encoders: 0, txn: { appId: 'job', version: 0 } })
    })
    const run = runIngestJob({ table: store, appId: 'job', source, schema: { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} }] }, encoders: 0, onEvent: (e) => events.push(e) })
    await expect(run).rejects.toMatchObject({ code: 'CommitConflict', context: { appId: 'job', batchId: 0 } })
    expect(await ids(store)).toEqual([99])
    expect(events.map((e) => e.type)).toContain('batchSkipped')
  })

  it('commits new columns in their own metadata commit before the data', async () => {
    const store = new MemoryStore()
    const events: IngestEvent[] = []
    await DeltaTable.create(store, { schema: { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} }] } })
    await runIngestJob({ table: store, appId: 'job', source: new NdjsonSource({ path: ndjson(10, (i) => (i < 5 ? {} : { tag: `t${i}` })), sampleLines: 1 }), encoders: 0, onEvent: (e) => events.push(e) })
    const history = await readHistory(await resolveTable(store))
    expect(history.map((h) => h.operation).reverse()).toEqual(['CREATE TABLE', 'WRITE', 'WRITE'])
    expect(events.find((e) => e.type === 'schemaEvolved')).toMatchObject({ columns: ['tag'] })
    const table = await DeltaTable.open(store)
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'tag'])
    expect(table.snapshot.txnVersion('job')).toBe(0)
  })

  it('stops between batches when the signal fires and resumes later', async () => {
    const store = new MemoryStore()
    const path = ndjson(50)
    const controller = new AbortController()
    const first = await runIngestJob({
      table: store,
      appId: 'job',
      source: new NdjsonSource({ path }),
      batchLimit: 10,
      encoders: 0,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'batchCommitted' && e.batchId === 1) controller.abort()
      },
    })
    expect(first).toMatchObject({ status: 'aborted', batches: 2 })
    const second = await runIngestJob({ table: store, appId: 'job', source: new NdjsonSource({ path }), batchLimit: 10, encoders: 0 })
    expect(second).toMatchObject({ status: 'completed', batches: 3, lastBatchId: 4 })
    expect(await ids(store)).toHaveLength(50)
  })

  it('refuses a second runner while the local job lock is held', async () => {
    const dir = tempDir('lake-job-lock-')
    const { LocalStore } = await import('@lake/storage')
    const held = await lockJob(new LocalStore(dir), '_lake_ingest/job/', 'job', 2_000)
    try {
      await expect(runIngestJob({ table: dir, appId: 'job', source: new NdjsonSource({ path: ndjson(1) }), encoders: 0, lock: { staleMs: 2_000 } })).rejects.toMatchObject({ code: 'CommitConflict' })
    } finally {
      await held?.release()
    }
  }, 10_000)

  it('rejects an appId that cannot name a directory', async () => {
    await expect(runIngestJob({ table: new MemoryStore(), appId: '../x', source: new NdjsonSource({ path: ndjson(1) }) })).rejects.toMatchObject({ code: 'InvalidArgument' })
    for (const appId of ['.', '..', '', 'x'.repeat(129), 'a/b']) {
      const store = new MemoryStore()
      await expect(runIngestJob({ table: store, appId, source: new NdjsonSource({ path: ndjson(1) }) })).rejects.toMatchObject({ code: 'InvalidArgument', context: { appId } })
      expect(await DeltaTable.open(store).catch((e: { code?: string }) => e.code)).toBe('TableNotFound')
    }
  })
})

describe('runIngestJob optimizeEvery', () => {
  it('compacts the small files of every N batches with dataChange=false', async () => {
    const store = new MemoryStore()
    const events: IngestEvent[] = []
    await runIngestJob({ table: store, appId: 'job', source: new NdjsonSource({ path: ndjson(60) }), batchLimit: 10, optimizeEvery: 3, encoders: 0, onEvent: (e) => events.push(e) })
    expect(events.filter((e) => e.type === 'optimized').map((e) => (e.type === 'optimized' ? e.batchId : -1))).toEqual([2, 5])
    const table = await DeltaTable.open(store)
    expect(table.files()).toHaveLength(1)
    expect(await ids(store)).toEqual(Array.from({ length: 60 }, (_, i) => i))
    expect(table.snapshot.txnVersion('job')).toBe(5)
  })
})
