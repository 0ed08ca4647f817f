// appendRows: parallel chunked appends committed once; failures commit nothing; txn idempotency.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable, readHistory, resolveTable } from '@lake/core'
import { faultyStore, LocalStore, MemoryStore } from '@lake/storage'
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
    expect(result).toMatchObject({ status: 'committed', version: 1, metrics: { rows: 5_000, files: 5 } })
    const table = await DeltaTable.open(store)
    expect(table.files()).toHaveLength(5)
    expect((await table.toArray({ columns: ['id'] })).map((r) => Number(r['id'])).sort((a, b) => a - b)).toEqual(rows(5_000).map((r) => r.id))
    expect(events.filter((e) => e.type === 'fileWritten')).toHaveLength(5)
    expect(events.at(-1)).toMatchObject({ type: 'batchCommitted', files: 5, rows: 5_000 })
  })

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
    expect(table.version).toBe(1)
    expect((await table.toArray()).length).toBe(10)
  })

  it('rejects the whole append on the first row that does not fit the schema', async () => {
    const store = new MemoryStore()
    await appendRows(store, rows(3), { encoders: 0 })
    await expect(appendRows(store, [...rows(3), { id: 'x', name: 'bad', day: 'odd' }], { encoders: 1 })).rejects.toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: { column: 'id', row: 3 } })
    expect((await DeltaTable.open(store)).version).toBe(1)
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
    await expect(readHistory(engine)).resolves.toHaveLength(1)
  })
})
