// commitFiles against "no table yet": the commit creates the table (version 0 holds the files and
// the txn); a creator that wins version 0 first is re-checked and the files append after it.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { DeltaTable, commitFiles, commitPath, readCommit, resolveTable, writeDelta } from '../../src/internal.js'
import type { AddFile, CommitFilesOptions } from '../../src/internal.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'
import { P, field, struct } from './all-types.js'

const SCHEMA = struct(field('id', P('long')), field('part', P('string')))
const add = (name: string): AddFile => ({ path: `part=a/${name}.parquet`, partitionValues: { part: 'a' }, size: 10, modificationTime: 0, dataChange: true, stats: '{"numRecords":2}' })
const NEW: CommitFilesOptions = { newTable: { schema: SCHEMA, partitionBy: ['part'] }, txn: { appId: 'job', version: 0 } }

/** Holds a commitFiles create at its put of version 0, lets `winner` create the table, then lets it go on. */
async function lostCreate(options: CommitFilesOptions, winner: (store: MemoryStore) => Promise<unknown>): Promise<{ store: MemoryStore; result: ReturnType<typeof commitFiles> }> {
  const store = new MemoryStore()
  const g = gatedPutIfAbsent(store, commitPath(0))
  const result = commitFiles(await resolveTable(g.store), undefined, [add('ours')], options)
  result.catch(() => {})
  await g.reached
  await winner(store)
  g.open()
  return { store, result }
}

describe('commitFiles with a new-table spec', () => {
  it('creates the table in the commit of the files: protocol, metaData, adds and txn at version 0', async () => {
    const store = new MemoryStore()
    const engine = await resolveTable(store)
    await expect(commitFiles(engine, undefined, [add('a'), add('b')], NEW)).resolves.toMatchObject({ status: 'committed', version: 0 })
    expect((await readCommit(engine, 0)).map((a) => a.kind).sort()).toEqual(['add', 'add', 'commitInfo', 'metaData', 'protocol', 'txn'])
    const table = await DeltaTable.open(store)
    expect(table.partitionColumns).toEqual(['part'])
    expect(table.files()).toHaveLength(2)
    expect(table.snapshot.txnVersion('job')).toBe(0)
    expect((await table.history()).map((h) => h.operation)).toEqual(['WRITE'])
  })

  it('uses the id given in the spec as metaData.id', async () => {
    const store = new MemoryStore()
    await commitFiles(await resolveTable(store), undefined, [add('a')], { newTable: { schema: SCHEMA, partitionBy: ['part'], id: 'fixed-id' } })
    expect((await DeltaTable.open(store)).metadata.id).toBe('fixed-id')
  })

  it('appends at version 1 when a concurrent creator with the same schema and partitioning won version 0', async () => {
    const { store, result } = await lostCreate(NEW, (s) => writeDelta(s, [{ id: 1n, part: 'b' }], { schema: SCHEMA, partitionBy: ['part'] }))
    await expect(result).resolves.toMatchObject({ status: 'committed', version: 1 })
    const table = await DeltaTable.open(store)
    expect(table.files().map((f) => f.path)).toContain('part=a/ours.parquet')
    expect(table.snapshot.txnVersion('job')).toBe(0)
  })

  it('is skipped when the concurrent creator already holds the txn', async () => {
    const { store, result } = await lostCreate(NEW, (s) => writeDelta(s, [{ id: 1n, part: 'b' }], { schema: SCHEMA, partitionBy: ['part'], txn: { appId: 'job', version: 0 } }))
    await expect(result).resolves.toMatchObject({ status: 'skipped', version: 0 })
    expect((await DeltaTable.open(store)).version).toBe(0)
  })

  it('fails with TableExists when the concurrent creator partitions differently, and commits nothing', async () => {
    const { store, result } = await lostCreate(NEW, (s) => writeDelta(s, [{ id: 1n, part: 'b' }], { schema: SCHEMA }))
    await expect(result).rejects.toMatchObject({ name: 'WriteError', code: 'TableExists', context: { winningVersion: 0, causeCode: 'InvalidArgument' } })
    expect((await DeltaTable.open(store)).version).toBe(0)
  })

  it('fails with TableExists when a written column has another type in the winner', async () => {
    const { result } = await lostCreate(NEW, (s) => writeDelta(s, [{ id: 'x', part: 'b' }], { schema: struct(field('id', P('string')), field('part', P('string'))), partitionBy: ['part'] }))
    await expect(result).rejects.toMatchObject({ code: 'TableExists', context: { causeCode: 'SchemaMismatch' } })
  })

  it('refuses a missing table without a new-table spec', async () => {
    await expect(commitFiles(await resolveTable(new MemoryStore()), undefined, [add('a')])).rejects.toMatchObject({ name: 'WriteError', code: 'InvalidArgument' })
  })
})
