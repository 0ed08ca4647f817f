// Cross-talk: four jobs in one process ingest into four tables at once (sharing one encoder pool);
// each table holds exactly its own job's records, and a job refuses another job's state.

import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { createEncoder, NdjsonSource, runIngestJob } from '@lake/ingest'
import { tempDir } from '../temp-dir.js'

const JOBS = 4
const RECORDS = 5_000

describe('concurrent ingestion jobs', () => {
  it('keep every table to its own job records', async () => {
    const dir = tempDir('lake-ingest-xtalk-')
    const encoder = createEncoder(2)
    try {
      const runs = Array.from({ length: JOBS }, (_, job) => {
        const input = join(dir, `input-${job}.ndjson`)
        const lines = Array.from({ length: RECORDS }, (_, i) => JSON.stringify({ job, id: `${job}-${i}` }))
        writeFileSync(input, lines.join('\n') + '\n')
        return runIngestJob({ table: join(dir, `table-${job}`), appId: `job-${job}`, source: new NdjsonSource({ path: input }), batchLimit: 1_000, chunkRows: 500, encoder })
      })
      const results = await Promise.all(runs)
      expect(results.map((r) => r.status)).toEqual(Array(JOBS).fill('completed'))
      for (let job = 0; job < JOBS; job++) {
        const table = await DeltaTable.open(join(dir, `table-${job}`))
        const rows = await table.toArray()
        expect(rows).toHaveLength(RECORDS)
        expect(new Set(rows.map((r) => r['job']))).toEqual(new Set([BigInt(job)]))
        expect(new Set(rows.map((r) => r['id'])).size).toBe(RECORDS)
        expect([...table.snapshot.appTransactions.keys()]).toEqual([`job-${job}`])
      }
    } finally {
      await encoder.close()
    }
  })

  it('refuses to resume a job into another table or from another source', async () => {
    const dir = tempDir('lake-ingest-guard-')
    const input = join(dir, 'a.ndjson')
    writeFileSync(input, '{"id":1}\n{"id":2}\n')
    writeFileSync(join(dir, 'b.ndjson'), '{"id":3}\n')
    const table = join(dir, 't')
    await runIngestJob({ table, appId: 'guarded', source: new NdjsonSource({ path: input }), encoders: 0 })
    await expect(runIngestJob({ table, appId: 'guarded', source: new NdjsonSource({ path: join(dir, 'b.ndjson') }), encoders: 0 })).rejects.toMatchObject({
      code: 'JobMismatch',
      context: { field: 'source fingerprint' },
    })
    // The same state directory offered to another table (a user-given state store).
    const { LocalStore } = await import('@lake/storage')
    const state = { store: new LocalStore(join(dir, 'state')) }
    await runIngestJob({ table, appId: 'moved', source: new NdjsonSource({ path: input }), state, encoders: 0 })
    // A table that does not exist yet: the state was started for another URI.
    await expect(runIngestJob({ table: join(dir, 'other'), appId: 'moved', source: new NdjsonSource({ path: input }), state, encoders: 0 })).rejects.toMatchObject({
      code: 'JobMismatch',
      context: { field: 'table URI' },
    })
    expect(existsSync(join(dir, 'other', '_delta_log'))).toBe(false)
    // An existing table with another id.
    await runIngestJob({ table: join(dir, 'third'), appId: 'other-job', source: new NdjsonSource({ path: input }), encoders: 0 })
    await expect(runIngestJob({ table: join(dir, 'third'), appId: 'moved', source: new NdjsonSource({ path: input }), state, encoders: 0 })).rejects.toMatchObject({
      code: 'JobMismatch',
      context: { field: 'table id' },
    })
  })
})
