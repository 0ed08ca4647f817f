// writeDelta modes (error, append, overwrite, ignore), idempotent txn writes, appendOnly tables, and
// failed writes (storage faults): the table is unchanged and no commit file appears.

import { describe, expect, it } from 'vitest'
import { MemoryStore, StorageError, faultyStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { DeltaTable, ProtocolError, WriteError, commitPath, writeDelta } from '../../src/internal.js'
import type { WriteOptions } from '../../src/internal.js'
import { P, field, struct } from './all-types.js'
import { listKeys, readRows } from './helpers.js'

const SCHEMA = struct(field('id', P('long')), field('part', P('string')))
const rows = (...ids: number[]): { id: bigint; part: string }[] => ids.map((id) => ({ id: BigInt(id), part: id % 2 === 0 ? 'even' : 'odd' }))
const ids = async (store: ObjectStore, version?: number): Promise<bigint[]> => (await readRows(store, version)).map((r) => r['id'] as bigint)

async function table(configuration: Record<string, string> = {}): Promise<MemoryStore> {
  const store = new MemoryStore()
  await writeDelta(store, rows(1, 2), { schema: SCHEMA, partitionBy: ['part'], configuration })
  return store
}

describe('writeDelta modes', () => {
  it('error (the default) creates a new table and refuses an existing one', async () => {
    const store = await table()
    const before = await listKeys(store)
    const error = await writeDelta(store, rows(3)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WriteError)
    expect(error).toMatchObject({ code: 'TableExists', context: { version: 0 } })
    expect(await listKeys(store)).toEqual(before)
  })

  it('append adds rows and keeps the old ones', async () => {
    const store = await table()
    expect(await writeDelta(store, rows(3), { mode: 'append' })).toMatchObject({ status: 'committed', version: 1, numFilesAdded: 1, numFilesRemoved: 0 })
    expect(await ids(store)).toEqual([1n, 2n, 3n])
  })

  it('overwrite replaces every row, and the old version stays readable', async () => {
    const store = await table()
    expect(await writeDelta(store, rows(7), { mode: 'overwrite' })).toMatchObject({ status: 'committed', version: 1, numFilesAdded: 1, numFilesRemoved: 2 })
    expect(await ids(store)).toEqual([7n])
    expect(await ids(store, 0)).toEqual([1n, 2n])
    const removed = (await DeltaTable.open(store)).snapshot.tombstones()
    expect(removed.map((r) => r.dataChange)).toEqual([true, true])
  })

  it('ignore skips an existing table and creates a missing one', async () => {
    const store = await table()
    const before = await listKeys(store)
    expect(await writeDelta(store, rows(3), { mode: 'ignore' })).toMatchObject({ status: 'skipped', version: 0 })
    expect(await listKeys(store)).toEqual(before)
    const fresh = new MemoryStore()
    expect(await writeDelta(fresh, rows(3), { mode: 'ignore', schema: SCHEMA })).toMatchObject({ status: 'committed', version: 0 })
  })

  it('creates an empty table with DeltaTable.create and refuses to create it twice', async () => {
    const store = new MemoryStore()
    const t = await DeltaTable.create(store, { schema: SCHEMA, partitionBy: ['part'], name: 'events', description: 'd' })
    expect([t.version, t.files().length, t.metadata.name, t.metadata.description]).toEqual([0, 0, 'events', 'd'])
    await expect(DeltaTable.create(store, { schema: SCHEMA })).rejects.toMatchObject({ name: 'WriteError', code: 'TableExists' })
    expect((await DeltaTable.create(store, { schema: SCHEMA, mode: 'ignore' })).version).toBe(0)
  })
})

describe('writeDelta options', () => {
  it.each<[string, Record<string, unknown>]>([
    ['an unknown mode', { mode: 'upsert' }],
    ['an unknown schemaMode', { mode: 'append', schemaMode: 'replace' }],
    ['a negative txn version', { mode: 'append', txn: { appId: 'new-app', version: -1 } }],
    ['an empty txn appId', { mode: 'append', txn: { appId: '', version: 1 } }],
    ['a zero maxRowsPerFile', { mode: 'append', maxRowsPerFile: 0 }],
    ['a NaN targetFileBytes', { mode: 'append', targetFileBytes: Number.NaN }],
  ])('refuse %s (InvalidArgument) and write nothing', async (_name, options) => {
    const store = await table()
    const before = await listKeys(store)
    const error = await writeDelta(store, rows(3), options as WriteOptions).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WriteError)
    expect(error).toMatchObject({ code: 'InvalidArgument' })
    expect(await listKeys(store)).toEqual(before)
  })
})

describe('writeDelta with txn (idempotent writes)', () => {
  it('skips a write whose appId version is already in the table', async () => {
    const store = await table()
    const txn = { appId: 'job-1', version: 5 }
    expect(await writeDelta(store, rows(3), { mode: 'append', txn })).toMatchObject({ status: 'committed', version: 1 })
    const before = await listKeys(store)
    for (const version of [5, 4]) {
      const again = await writeDelta(store, rows(3), { mode: 'append', txn: { appId: 'job-1', version } })
      expect(again).toMatchObject({ status: 'skipped', version: 1 })
    }
    expect(await listKeys(store)).toEqual(before)
    expect(await writeDelta(store, rows(4), { mode: 'append', txn: { appId: 'job-1', version: 6 } })).toMatchObject({ status: 'committed', version: 2 })
    expect(await writeDelta(store, rows(5), { mode: 'append', txn: { appId: 'job-2', version: 0 } })).toMatchObject({ status: 'committed', version: 3 })
    const t = await DeltaTable.open(store)
    expect([t.snapshot.txnVersion('job-1'), t.snapshot.txnVersion('job-2')]).toEqual([6, 0])
    expect(await ids(store)).toEqual([1n, 2n, 3n, 4n, 5n])
  })

  it('makes a retry after a lost commit response exactly-once', async () => {
    const inner = await table()
    const store = faultyStore(inner, { rules: [{ method: 'putIfAbsent', path: commitPath(1), when: 'after', times: 1 }] })
    const txn = { appId: 'job', version: 1 }
    await expect(writeDelta(store, rows(3), { mode: 'append', txn })).rejects.toMatchObject({ code: 'Unavailable' })
    expect(await writeDelta(store, rows(3), { mode: 'append', txn })).toMatchObject({ status: 'skipped', version: 1 })
    expect(await ids(inner)).toEqual([1n, 2n, 3n])
  })
})

describe('appendOnly tables', () => {
  it('accept appends and refuse overwrite and replaceWhere', async () => {
    const store = await table({ 'delta.appendOnly': 'true' })
    expect(await writeDelta(store, rows(3), { mode: 'append' })).toMatchObject({ status: 'committed', version: 1 })
    const before = await listKeys(store)
    for (const options of [{ mode: 'overwrite' as const }, { mode: 'overwrite' as const, replaceWhere: "part = 'odd'" }]) {
      const error = await writeDelta(store, rows(5), options).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ProtocolError)
      expect(error).toMatchObject({ code: 'UnsupportedFeature', context: { feature: 'appendOnly' } })
    }
    expect(await listKeys(store)).toEqual(before)
  })
})

describe('tables with constraints or change data feed', () => {
  it('enforce a CHECK constraint on every later write and accept the rows that satisfy it', async () => {
    const store = await table({ 'delta.constraints.positive': 'id > 0' })
    const before = await listKeys(store)
    await expect(writeDelta(store, rows(-1), { mode: 'append' })).rejects.toMatchObject({ code: 'ConstraintViolation', context: { constraint: 'positive', row: 0 } })
    expect(await listKeys(store)).toEqual(before)
    expect(await writeDelta(store, rows(3), { mode: 'append' })).toMatchObject({ status: 'committed', version: 1 })
  })

  it('refuse a replaceWhere that rewrites rows under change data feed, but not a partition replace', async () => {
    const store = await table({ 'delta.enableChangeDataFeed': 'true' })
    const error = await writeDelta(store, rows(1), { mode: 'overwrite', replaceWhere: 'id = 1' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'ProtocolError', code: 'UnsupportedFeature', context: { feature: 'changeDataFeed' } })
    expect(await writeDelta(store, rows(3), { mode: 'overwrite', replaceWhere: "part = 'odd'" })).toMatchObject({ status: 'committed' })
  })
})

describe('failed writes', () => {
  it.each([
    ['a data file upload fails', { method: 'putIfAbsent' as const, path: /\.parquet$/, after: 1 }],
    ['the commit put fails', { method: 'putIfAbsent' as const, path: commitPath(1) }],
  ])('leave the table unchanged and write no commit when %s', async (_name, rule) => {
    const inner = await table()
    const store = faultyStore(inner, { rules: [rule] })
    const error = await writeDelta(store, rows(3, 4, 5, 6), { mode: 'append', maxRowsPerFile: 1 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageError)
    expect(error).toMatchObject({ code: 'Unavailable' })
    const keys = await listKeys(inner)
    expect(keys.filter((k) => k.startsWith('_delta_log/'))).toHaveLength(1)
    expect((await DeltaTable.open(inner)).version).toBe(0)
    expect(await ids(inner)).toEqual([1n, 2n])
    // The table keeps working after the failure.
    expect(await writeDelta(inner, rows(9), { mode: 'append' })).toMatchObject({ status: 'committed', version: 1 })
  })
})

describe('writeDelta on a new table without a schema', () => {
  it('refuses to create a table with no columns, and writes nothing', async () => {
    const store = new MemoryStore()
    await expect(writeDelta(store, [])).rejects.toMatchObject({ code: 'InvalidArgument' })
    expect(await listKeys(store)).toEqual([])
  })
})
