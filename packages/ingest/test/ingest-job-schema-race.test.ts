// runIngestJob racing a schema change: files are committed only against the schema they were
// encoded with; a concurrent overwriteSchema makes the batch re-encode (or fail typed), never land stale.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEngine, DeltaTable, writeDelta } from '@lake/core'
import type { StructType } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { NdjsonSource, runIngestJob } from '../src/index.js'
import type { IngestEvent, ReadContext, Source, SourceRecord } from '../src/index.js'
import type { JsonValue } from '../src/types.js'
import { tempDir } from './temp-dir.js'

const FLAT: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} },
    { name: 'p', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
  ],
}

function ndjson(n: number): string {
  const path = join(tempDir('lake-race-'), 'in.ndjson')
  writeFileSync(path, Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, p: i % 2 === 0 ? 'even' : 'odd' })).join('\n') + '\n')
  return path
}

/** Repartitions the table by `p` (overwriteSchema): every file committed afterwards must carry partitionValues.p. */
async function repartition(store: ObjectStore): Promise<void> {
  await writeDelta(store, [{ id: 1000, p: 'x' }], { mode: 'overwrite', schemaMode: 'overwrite', schema: FLAT, partitionBy: ['p'] })
}

/** Runs `after` once, when the first read of the inner source has yielded every record. */
function afterFirstRead(inner: Source, after: () => Promise<void>): Source & { reads: number } {
  let done = false
  const out = {
    reads: 0,
    fingerprint: () => inner.fingerprint(),
    initialOffset: () => inner.initialOffset(),
    latestOffset: (s: JsonValue, l: number | undefined) => inner.latestOffset(s, l),
    async *read(start: JsonValue, end: JsonValue, ctx?: ReadContext): AsyncGenerator<SourceRecord> {
      out.reads++
      yield* inner.read(start, end, ctx)
      if (!done) {
        done = true
        await after()
      }
    },
  }
  return out
}

/** A store that runs `before` once, just before the first commit carrying a txn is written. */
function beforeFirstTxnCommit(inner: MemoryStore, before: () => Promise<void>): ObjectStore {
  let fired = false
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'putIfAbsent') {
        return async (path: string, bytes: Uint8Array, options?: { signal?: AbortSignal }) => {
          if (!fired && /_delta_log\/\d{20}\.json$/.test(path) && new TextDecoder().decode(bytes).includes('"txn"')) {
            fired = true
            await before()
          }
          return target.putIfAbsent(path, bytes, options)
        }
      }
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

async function expectEveryFilePartitioned(store: ObjectStore, expectedIds: number[]): Promise<void> {
  const table = await DeltaTable.open(store)
  expect(table.partitionColumns).toEqual(['p'])
  for (const add of table.files()) expect(add.partitionValues?.['p'], add.path).toMatch(/^(even|odd|x)$/)
  const rows = await table.toArray()
  expect(rows.map((r) => Number(r['id'])).sort((a, b) => a - b)).toEqual(expectedIds)
  for (const row of rows) expect(row['p']).toBe(Number(row['id']) === 1000 ? 'x' : Number(row['id']) % 2 === 0 ? 'even' : 'odd')
}

describe('runIngestJob racing a schema change', () => {
  it('re-encodes a batch whose files were encoded before a concurrent overwriteSchema landed', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [], { schema: FLAT })
    const events: IngestEvent[] = []
    const source = afterFirstRead(new NdjsonSource({ path: ndjson(20) }), () => repartition(store))
    const result = await runIngestJob({ table: store, appId: 'job', source, encoders: 0, onEvent: (e) => events.push(e) })
    expect(result).toMatchObject({ status: 'completed', batches: 1, lastBatchId: 0 })
    await expectEveryFilePartitioned(store, [...Array.from({ length: 20 }, (_, i) => i), 1000])
    expect(source.reads).toBe(2)
  })

  it('re-encodes a batch when the schema change wins the race for the commit version', async () => {
    const inner = new MemoryStore()
    await writeDelta(inner, [], { schema: FLAT })
    const events: IngestEvent[] = []
    const store = beforeFirstTxnCommit(inner, () => repartition(inner))
    const result = await runIngestJob({ table: store, appId: 'job', source: new NdjsonSource({ path: ndjson(20) }), encoders: 0, onEvent: (e) => events.push(e) })
    expect(result).toMatchObject({ status: 'completed', batches: 1 })
    expect(events.filter((e) => e.type === 'conflict').map((e) => (e.type === 'conflict' ? e.reason : ''))).toEqual([expect.stringContaining('MetadataChanged')])
    await expectEveryFilePartitioned(inner, [...Array.from({ length: 20 }, (_, i) => i), 1000])
  })

  it('fails with a typed error when the schema keeps changing under every attempt', async () => {
    const inner = new MemoryStore()
    await writeDelta(inner, [], { schema: FLAT })
    let n = 0
    const store = new Proxy(inner, {
      get(target, prop) {
        if (prop === 'putIfAbsent') {
          return async (path: string, bytes: Uint8Array, options?: { signal?: AbortSignal }) => {
            if (/_delta_log\/\d{20}\.json$/.test(path) && new TextDecoder().decode(bytes).includes('"txn"')) {
              n++
              await writeDelta(inner, [{ id: 2000 + n, p: 'x' }], { mode: 'overwrite', schemaMode: 'overwrite', schema: FLAT, partitionBy: n % 2 === 0 ? [] : ['p'] })
            }
            return target.putIfAbsent(path, bytes, options)
          }
        }
        const value: unknown = Reflect.get(target, prop, target)
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
      },
    })
    const run = runIngestJob({ table: store, appId: 'job', source: new NdjsonSource({ path: ndjson(5) }), encoders: 0 })
    await expect(run).rejects.toMatchObject({ code: 'CommitConflict', context: { appId: 'job', batchId: 0 } })
    const table = await DeltaTable.open(inner)
    expect(table.snapshot.txnVersion('job')).toBeUndefined()
  })
})

describe('runIngestJob job header', () => {
  it("stamps the job state's createdAt with the engine's clock", async () => {
    const store = new MemoryStore()
    const engine = createEngine(store, { now: () => Date.UTC(2001, 2, 3, 4, 5, 6) })
    await runIngestJob({ table: engine, appId: 'job', schema: FLAT, source: new NdjsonSource({ path: ndjson(2) }), encoders: 0 })
    const header = JSON.parse(new TextDecoder().decode(await store.get('_lake_ingest/job/job.json'))) as { createdAt: string }
    expect(header.createdAt).toBe('2001-03-03T04:05:06.000Z')
  })
})
