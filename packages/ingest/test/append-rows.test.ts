// appendRows: parallel chunked appends committed once; failures commit nothing; txn idempotency.
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { readCommit, readHistory, resolveTable } from '@lake/core/internal'
import { faultyStore, LocalStore, MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import type { IngestEvent } from '../src/index.js'
import { appendRows, createEncoder } from '../src/index.js'
import { tempDir } from './temp-dir.js'

const rows = (n: number, from = 0): { id: number; name: string; day: string }[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, name: `n${from + i}`, day: (from + i) % 2 === 0 ? 'even' : 'odd' }))

describe('appendRows', () => {
  it('writes every chunk in worker threads and commits all files in one commit', async () => {
    const store = new MemoryStore()
    const events: IngestEvent[] = []
    const result = await appendRows(store, rows(5_000), { encoders: 2, chunkRows: 1_000, onEvent: (e) => events.push(e) })
    expect(result).toMatchObject({ status: 'committed', version: 0, metrics: { rows: 5_000, files: 5 } })
    const table = await DeltaTable.open(store)
    expect(table.files()).toHaveLength(5)
    expect((await table.toArray({ columns: ['id'] })).map((r) => Number(r['id'])).sort((a, b) => a - b)).toEqual(rows(5_000).map((r) => r.id))
    expect(events.filter((e) => e.type === 'fileWritten')).toHaveLength(5)
    expect(events.at(-1)).toMatchObject({ type: 'batchCommitted', files: 5, rows: 5_000 })
  }, 60_000)

  it('partitions files by the partition columns of a new table', async () => {
    const store = new MemoryStore()
    await appendRows(store, rows(100), { partitionBy: ['day'], encoders: 0, chunkRows: 30 })
    const table = await DeltaTable.open(store)
    expect(table.partitionColumns).toEqual(['day'])
    expect(new Set(table.files().map((f) => f.partitionValues?.['day']))).toEqual(new Set(['even', 'odd']))
    expect(table.files().every((f) => f.path.startsWith(`day=${f.partitionValues?.['day']}/`))).toBe(true)
  })

  it('commits nothing when one upload fails', async () => {
    const inner = new MemoryStore()
    await appendRows(inner, rows(10), { encoders: 0 })
    const store = faultyStore(inner, { rules: [{ method: 'putIfAbsent', path: /\.parquet$/, after: 2, times: 1 }] })
    await expect(appendRows(store, rows(1_000, 10), { encoders: 0, chunkRows: 100 })).rejects.toMatchObject({ code: 'Unavailable' })
    const table = await DeltaTable.open(inner)
    expect(table.version).toBe(0)
    expect((await table.toArray()).length).toBe(10)
    expect(await parquetKeys(inner)).toEqual(table.files().map((f) => f.path).sort())
  })

  it('rejects the whole append on the first row that does not fit the schema', async () => {
    const store = new MemoryStore()
    await appendRows(store, rows(3), { encoders: 0 })
    await expect(appendRows(store, [...rows(3), { id: 'x', name: 'bad', day: 'odd' }], { encoders: 1 })).rejects.toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: { column: 'id', row: 3 } })
    expect((await DeltaTable.open(store)).version).toBe(0)
  })

  it('skips an append whose txn the table already holds', async () => {
    const store = new MemoryStore()
    const first = await appendRows(store, rows(3), { encoders: 0, txn: { appId: 'a', version: 4 } })
    const again = await appendRows(store, rows(3), { encoders: 0, txn: { appId: 'a', version: 4 } })
    expect(first.status).toBe('committed')
    expect(again).toMatchObject({ status: 'skipped' })
    expect((await DeltaTable.open(store)).snapshot.txnVersion('a')).toBe(4)
  })

  it('stops with Aborted and commits nothing when the signal fires', async () => {
    const dir = tempDir('lake-append-')
    const controller = new AbortController()
    async function* endless(): AsyncGenerator<{ id: number }> {
      for (let i = 0; ; i++) {
        if (i === 2_500) controller.abort()
        yield { id: i }
      }
    }
    const encoder = createEncoder(0)
    await expect(appendRows(new LocalStore(dir), endless(), { encoder, chunkRows: 1_000, signal: controller.signal })).rejects.toMatchObject({ code: 'Aborted' })
    const engine = await resolveTable(dir)
    await expect(readHistory(engine)).rejects.toMatchObject({ code: 'TableNotFound' })
    expect(await parquetKeys(engine.store)).toEqual([])
  })
})

describe('appendRows into a new table', () => {
  it('creates the table in the commit that holds the data: version 0 has protocol, metaData, adds and txn', async () => {
    const store = new MemoryStore()
    const result = await appendRows(store, rows(10), { encoders: 0, partitionBy: ['day'], txn: { appId: 'job', version: 0 } })
    expect(result).toMatchObject({ status: 'committed', version: 0 })
    const engine = await resolveTable(store)
    const kinds = (await readCommit(engine, 0)).map((a) => a.kind)
    expect(kinds).toEqual(expect.arrayContaining(['commitInfo', 'protocol', 'metaData', 'add', 'txn']))
    const history = await readHistory(engine)
    expect(history.map((h) => [h.version, h.operation])).toEqual([[0, 'WRITE']])
    const table = await DeltaTable.open(store)
    expect(table.partitionColumns).toEqual(['day'])
    expect(table.snapshot.txnVersion('job')).toBe(0)
    expect(await table.toArray()).toHaveLength(10)
  })

  it('leaves nothing at the path when the first write fails after files were uploaded', async () => {
    const store = new MemoryStore()
    const input = [...rows(2_000), { id: 'bad', name: 'x', day: 'odd' }]
    await expect(appendRows(store, input, { encoders: 0, chunkRows: 500 })).rejects.toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: { row: 2_000 } })
    expect(await allKeys(store)).toEqual([])
  })

  it('lands every one of parallel appends into a new table exactly once (one creates version 0, the others append)', async () => {
    const store = new MemoryStore()
    const results = await Promise.all([0, 1, 2, 3].map((i) => appendRows(store, rows(50, i * 50), { encoders: 0, partitionBy: ['day'], txn: { appId: `writer-${i}`, version: 0 } })))
    expect(results.map((r) => r.status)).toEqual(['committed', 'committed', 'committed', 'committed'])
    expect(results.map((r) => r.version).sort()).toEqual([0, 1, 2, 3])
    const table = await DeltaTable.open(store)
    expect((await table.toArray({ columns: ['id'] })).map((r) => Number(r['id'])).sort((a, b) => a - b)).toEqual(rows(200).map((r) => r.id))
    expect((await readHistory(await resolveTable(store))).map((h) => h.operation)).toEqual(['WRITE', 'WRITE', 'WRITE', 'WRITE'])
  })

  it('fails with TableExists and deletes its files when a concurrent creator made a table the files do not fit', async () => {
    const store = new MemoryStore()
    const other = appendRows(store, [{ id: 'text' }], { encoders: 0 })
    const ours = appendRows(store, rows(10), { encoders: 0 })
    const settled = await Promise.allSettled([other, ours])
    const failed = settled.filter((s) => s.status === 'rejected')
    expect(failed).toHaveLength(1)
    expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'TableExists' })
    const table = await DeltaTable.open(store)
    expect(table.version).toBe(0)
    expect(await parquetKeys(store)).toEqual(table.files().map((f) => f.path).sort())
  })

  it('refuses partitionBy that differs from an existing table before writing anything', async () => {
    const store = new MemoryStore()
    await appendRows(store, rows(4), { encoders: 0, partitionBy: ['day'] })
    const before = await allKeys(store)
    await expect(appendRows(store, rows(4), { encoders: 0, partitionBy: ['name'] })).rejects.toMatchObject({ name: 'IngestError', code: 'InvalidArgument', context: { expected: 'day', found: 'name' } })
    await expect(appendRows(store, rows(4), { encoders: 0, partitionBy: [] })).rejects.toMatchObject({ code: 'InvalidArgument' })
    expect(await allKeys(store)).toEqual(before)
    await expect(appendRows(store, rows(4), { encoders: 0, partitionBy: ['day'] })).resolves.toMatchObject({ status: 'committed', version: 1 })
  })

  it('refuses a table with an unknown writer feature before any data file is written', async () => {
    const store = new MemoryStore()
    await appendRows(store, rows(2), { encoders: 0 })
    const engine = await resolveTable(store)
    const protocol = { protocol: { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['madeUpWriterFeature'] } }
    await store.putIfAbsent('_delta_log/00000000000000000001.json', new TextEncoder().encode(`${JSON.stringify(protocol)}\n`))
    const before = await allKeys(store)
    await expect(appendRows(engine, rows(2), { encoders: 0 })).rejects.toMatchObject({ code: 'UnsupportedFeature', context: { feature: 'madeUpWriterFeature' } })
    expect(await allKeys(store)).toEqual(before)
  })

  it('appends to a column-mapped table with the physical names of its columns (stats keyed by them too)', async () => {
    const store = new MemoryStore()
    const schema = { kind: 'struct' as const, fields: [{ name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: true, metadata: {} }] }
    const created = await DeltaTable.create(store, { schema, configuration: { 'delta.columnMapping.mode': 'name' } })
    const physical = String(created.schema.fields[0]?.metadata['delta.columnMapping.physicalName'])
    expect(physical).toMatch(/^col-/)
    await expect(appendRows(store, [{ id: 1 }, { id: 2 }], { encoders: 0 })).resolves.toMatchObject({ status: 'committed', version: 1 })
    const table = await DeltaTable.open(store)
    expect(await table.toArray()).toEqual([{ id: 1n }, { id: 2n }])
    const [add] = table.files()
    expect(JSON.parse(add?.stats ?? '{}')).toMatchObject({ numRecords: 2, minValues: { [physical]: 1 }, maxValues: { [physical]: 2 } })
  })
})

async function allKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = []
  for await (const meta of store.list('')) keys.push(meta.path)
  return keys.sort()
}

async function parquetKeys(store: ObjectStore): Promise<string[]> {
  return (await allKeys(store)).filter((k) => k.endsWith('.parquet'))
}
