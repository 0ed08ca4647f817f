// The change data feed written by lake's DELETE and read back by changes(): copy-on-write deletes write
// `delete` rows to _change_data/ files, deletes by deletion vectors and whole-file removes write none and
// are inferred; range errors (feed off, cleaned-up log, bad ranges); timestamps; failed attempts.

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine, Row } from '../../src/index.js'
import type { AddCDCFile } from '../../src/internal.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'
import { SCHEMA, actionsOf, keys, toRow } from '../dml/helpers.js'
import type { TestRow } from '../dml/helpers.js'

const CDF = { 'delta.enableChangeDataFeed': 'true' }
const rows = (from: number, to: number, p: string): TestRow[] => Array.from({ length: to - from }, (_, i) => ({ id: from + i, p, v: from + i }))

/** v0 create, v1 ids 0..9 in p=a, v2 ids 10..19 in p=b. */
async function cdfTable(options: { dv?: boolean; partitioned?: boolean; configuration?: Record<string, string> } = {}): Promise<{ engine: Engine; store: MemoryStore }> {
  const store = new MemoryStore({ url: 'memory://cdf' })
  const engine = createEngine(store)
  const configuration = { ...CDF, ...(options.dv === true ? { 'delta.enableDeletionVectors': 'true' } : {}), ...options.configuration }
  await DeltaTable.create(engine, { schema: SCHEMA, configuration, ...(options.partitioned === true ? { partitionBy: ['p'] } : {}) })
  await (await DeltaTable.open(engine)).write(rows(0, 10, 'a').map(toRow))
  await (await DeltaTable.open(engine)).write(rows(10, 20, 'b').map(toRow))
  return { engine, store }
}

/** `id:type@version` strings, sorted. */
async function feed(engine: Engine, options: Parameters<DeltaTable['changes']>[0]): Promise<string[]> {
  const changed = await (await DeltaTable.open(engine)).changes(options).toArray()
  return changed.map((r: Row) => `${String(r['id'])}:${String(r['_change_type'])}@${String(r['_commit_version'])}`).sort()
}

const cdcActions = async (engine: Engine, version: number): Promise<AddCDCFile[]> => (await actionsOf(engine, version)).flatMap((a) => (a.kind === 'cdc' ? [a.cdc] : []))
const tags = (ids: readonly number[], type: string, version: number): string[] => ids.map((id) => `${id}:${type}@${version}`)

describe('DELETE on a change-data-feed table', () => {
  it.each([false, true])('copy-on-write writes the deleted rows as delete changes in _change_data/ (partitioned %s)', async (partitioned) => {
    const { engine, store } = await cdfTable({ partitioned })
    expect((await DeltaTable.open(engine)).protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 4 })
    const result = await (await DeltaTable.open(engine)).delete('id < 3 OR id = 15')
    expect(result.version).toBe(3)
    const cdc = await cdcActions(engine, 3)
    expect(result.metrics.numAddedChangeFiles).toBe(cdc.length)
    const info = (await actionsOf(engine, 3)).flatMap((a) => (a.kind === 'commitInfo' ? [a.commitInfo] : []))[0]
    expect(info?.operationMetrics).toMatchObject({ numAddedChangeFiles: String(cdc.length), numDeletedRows: '4' })
    expect(cdc.length).toBe(partitioned ? 2 : 1)
    for (const file of cdc) {
      expect(file.dataChange).toBe(false)
      expect(file.path).toMatch(partitioned ? /^_change_data\/p=[ab]\/cdc-00000-[0-9a-f-]{36}\.c000\.zstd\.parquet$/ : /^_change_data\/cdc-00000-[0-9a-f-]{36}\.c000\.zstd\.parquet$/)
      expect(file.partitionValues).toEqual(partitioned ? { p: file.path.includes('p=a') ? 'a' : 'b' } : {})
      expect((await store.head(file.path)).size).toBe(file.size)
    }
    expect(await feed(engine, { startingVersion: 3 })).toEqual(tags([0, 1, 2, 15], 'delete', 3).sort())
    const all = await feed(engine, { startingVersion: 0 })
    expect(all).toHaveLength(24)
    expect(all.filter((t) => t.endsWith('@1'))).toEqual(tags([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'insert', 1).sort())
  })

  it('the delete rows carry every column, the partition column included', async () => {
    const { engine } = await cdfTable({ partitioned: true })
    await (await DeltaTable.open(engine)).delete('id = 15')
    const [row] = await (await DeltaTable.open(engine)).changes({ startingVersion: 3 }).toArray()
    expect(row).toEqual({ id: 15n, p: 'b', v: 15, _change_type: 'delete', _commit_version: 3, _commit_timestamp: expect.stringMatching(/Z$/) as unknown })
  })

  it('by deletion vectors writes no cdc files: changes() infers the deletes from the DV difference', async () => {
    const { engine, store } = await cdfTable({ dv: true })
    await (await DeltaTable.open(engine)).delete('id < 3 OR id = 15') // v3: DVs
    await (await DeltaTable.open(engine)).delete('id = 4') // v4: the union with v3's DV
    expect(await cdcActions(engine, 3)).toEqual([])
    expect((await keys(store)).filter((k) => k.startsWith('_change_data/'))).toEqual([])
    expect(await feed(engine, { startingVersion: 3 })).toEqual([...tags([0, 1, 15, 2], 'delete', 3), ...tags([4], 'delete', 4)].sort())
  })

  it('removing whole files writes no cdc files: removes read as deletes', async () => {
    const { engine } = await cdfTable({ partitioned: true })
    const result = await (await DeltaTable.open(engine)).delete("p = 'a'")
    expect(result.metrics.numAddedChangeFiles).toBe(0)
    expect(await cdcActions(engine, 3)).toEqual([])
    expect(await feed(engine, { startingVersion: 3, endingVersion: 3 })).toEqual(tags([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'delete', 3).sort())
  })

  it('a DELETE that loses a conflict (re-planning off) deletes the cdc files it wrote', async () => {
    const { engine, store } = await cdfTable()
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000003.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).delete('id = 2', { commit: { maxReplans: 0 } })
    await gated.reached
    expect((await keys(store)).filter((k) => k.startsWith('_change_data/'))).toHaveLength(1) // the loser's, written before its commit
    await (await DeltaTable.open(engine)).delete('id = 3') // the winner rewrites the same file: v3
    const winners = (await keys(store)).filter((k) => k.startsWith('_change_data/'))
    gated.open()
    await expect(loser).rejects.toMatchObject({ name: 'CommitConflictError' })
    const cdcKeys = (await keys(store)).filter((k) => k.startsWith('_change_data/'))
    expect(cdcKeys).toHaveLength(1)
    expect(winners).toEqual(expect.arrayContaining(cdcKeys))
    expect(await feed(engine, { startingVersion: 3 })).toEqual(tags([3], 'delete', 3))
  })

  it('a re-planned DELETE deletes the first attempt\'s cdc files and commits the new attempt\'s', async () => {
    const { engine, store } = await cdfTable()
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000003.json')
    const replanned = (await DeltaTable.open(createEngine(gated.store))).delete('id = 2')
    await gated.reached
    const first = (await keys(store)).filter((k) => k.startsWith('_change_data/'))
    await (await DeltaTable.open(engine)).delete('id = 3') // the winner rewrites the same file: v3
    gated.open()
    const result = await replanned
    expect({ version: result.version, replans: result.replans, changeFiles: result.metrics.numAddedChangeFiles }).toEqual({ version: 4, replans: 1, changeFiles: 1 })
    const cdcKeys = (await keys(store)).filter((k) => k.startsWith('_change_data/'))
    expect(cdcKeys).toHaveLength(2)
    expect(cdcKeys).not.toEqual(expect.arrayContaining(first))
    expect(await feed(engine, { startingVersion: 3 })).toEqual([...tags([3], 'delete', 3), ...tags([2], 'delete', 4)].sort())
  })
})

describe('changes() ranges and errors', () => {
  it('a table without the feed: ChangeDataNotRecorded naming the start version', async () => {
    const store = new MemoryStore({ url: 'memory://plain' })
    await DeltaTable.create(store, { schema: SCHEMA })
    await (await DeltaTable.open(store)).write(rows(0, 3, 'a').map(toRow))
    const err = (await DeltaTable.open(store)).changes({ startingVersion: 1 }).toArray()
    await expect(err).rejects.toMatchObject({ name: 'ChangeDataError', code: 'ChangeDataNotRecorded', context: { version: 1, start: 1, end: 1 } })
  })

  it('a range through a version that turned the feed off names that version', async () => {
    const { engine } = await cdfTable()
    await (await DeltaTable.open(engine)).write(rows(20, 22, 'c').map(toRow), { mode: 'overwrite', schemaMode: 'overwrite', configuration: { 'delta.enableChangeDataFeed': 'false' } }) // v3
    await (await DeltaTable.open(engine)).write(rows(22, 23, 'c').map(toRow)) // v4
    await expect(feed(engine, { startingVersion: 1 })).rejects.toMatchObject({ code: 'ChangeDataNotRecorded', context: { version: 3, start: 1, end: 4 } })
    expect(await feed(engine, { startingVersion: 1, endingVersion: 2 })).toHaveLength(20)
  })

  it('the feed turned on later: ranges from that version read, earlier ones name the first version without it', async () => {
    const store = new MemoryStore({ url: 'memory://later' })
    await DeltaTable.create(store, { schema: SCHEMA }) // v0, no feed
    await (await DeltaTable.open(store)).write(rows(0, 2, 'a').map(toRow), { mode: 'overwrite', schemaMode: 'overwrite', configuration: CDF }) // v1 turns it on
    await (await DeltaTable.open(store)).write(rows(2, 3, 'a').map(toRow)) // v2
    expect((await DeltaTable.open(store)).protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 4 }) // upgraded from 1/2: writer 4 implies changeDataFeed
    expect(await feed(createEngine(store), { startingVersion: 1 })).toEqual([...tags([0, 1], 'insert', 1), ...tags([2], 'insert', 2)])
    await expect(feed(createEngine(store), { startingVersion: 0 })).rejects.toMatchObject({ code: 'ChangeDataNotRecorded', context: { version: 0 } })
  })

  it('start after the latest version, or before the retained log: VersionNotFound', async () => {
    const { engine, store } = await cdfTable()
    await expect(feed(engine, { startingVersion: 3 })).rejects.toMatchObject({ name: 'TableError', code: 'VersionNotFound', context: { version: 3, latest: 2 } })
    await (await DeltaTable.open(engine)).checkpoint()
    await store.delete('_delta_log/00000000000000000000.json')
    await store.delete('_delta_log/00000000000000000001.json')
    await expect(feed(engine, { startingVersion: 0 })).rejects.toMatchObject({ code: 'VersionNotFound', context: { version: 0 } })
    expect(await feed(engine, { startingVersion: 2 })).toEqual(tags([10, 11, 12, 13, 14, 15, 16, 17, 18, 19], 'insert', 2).sort())
  })

  it.each([
    ['no start', {}],
    ['both forms of the start', { startingVersion: 0, startingTimestamp: 0 }],
    ['a negative start', { startingVersion: -1 }],
    ['an end before the start', { startingVersion: 2, endingVersion: 1 }],
  ])('%s: InvalidArgumentError', async (_name, options) => {
    const { engine } = await cdfTable()
    await expect(feed(engine, options)).rejects.toMatchObject({ name: 'InvalidArgumentError', code: 'InvalidArgument' })
  })

  it('an end after the latest version reads up to the latest', async () => {
    const { engine } = await cdfTable()
    expect(await feed(engine, { startingVersion: 2, endingVersion: 99 })).toHaveLength(10)
  })

  it('timestamps: the first version at or after the start, the last at or before the end (in-commit timestamps)', async () => {
    let clock = 1_000_000
    const store = new MemoryStore({ url: 'memory://ict' })
    const engine = createEngine(store, { now: () => clock })
    await DeltaTable.create(engine, { schema: SCHEMA, configuration: { ...CDF, 'delta.enableInCommitTimestamps': 'true' } }) // v0 at 1_000_000
    for (const [i, at] of [2_000_000, 3_000_000, 4_000_000].entries()) {
      clock = at
      await (await DeltaTable.open(engine)).write(rows(i, i + 1, 'a').map(toRow)) // v1..v3 with ids 0..2
    }
    expect(await feed(engine, { startingTimestamp: 2_500_000 })).toEqual([...tags([1], 'insert', 2), ...tags([2], 'insert', 3)])
    expect(await feed(engine, { startingTimestamp: 2_000_000, endingTimestamp: 3_500_000 })).toEqual([...tags([0], 'insert', 1), ...tags([1], 'insert', 2)])
    expect(await feed(engine, { startingTimestamp: new Date(3_000_000).toISOString(), endingTimestamp: 9_000_000 })).toEqual([...tags([1], 'insert', 2), ...tags([2], 'insert', 3)])
    const [row] = await (await DeltaTable.open(engine)).changes({ startingVersion: 3 }).toArray()
    expect(row?.['_commit_timestamp']).toBe('1970-01-01T01:06:40.000000Z')
    await expect(feed(engine, { startingTimestamp: 5_000_000 })).rejects.toMatchObject({ name: 'TableError', code: 'TimestampOutOfRange' })
    await expect(feed(engine, { startingVersion: 0, endingTimestamp: 10 })).rejects.toMatchObject({ code: 'TimestampOutOfRange' })
  })

  it('a partition-only filter decides files from their partition values without reading them', async () => {
    const { engine, store } = await cdfTable({ partitioned: true })
    await (await DeltaTable.open(engine)).delete('id = 1 OR id = 11') // v3: a cdc file per partition
    for (const k of await keys(store)) if (k.includes('p=a/')) await store.delete(k) // reading any file of p=a would fail
    expect(await feed(engine, { startingVersion: 0, filter: "p = 'b'" })).toEqual([...tags([10, 11, 12, 13, 14, 15, 16, 17, 18, 19], 'insert', 2), ...tags([11], 'delete', 3)].sort())
    await expect(feed(engine, { startingVersion: 0, filter: "p = 'a'" })).rejects.toMatchObject({ name: 'StorageError', code: 'NotFound' })
  })

  it('columns project (change columns included) and filter sees the change columns', async () => {
    const { engine } = await cdfTable()
    await (await DeltaTable.open(engine)).delete('id < 2')
    const table = await DeltaTable.open(engine)
    const got = await table.changes({ startingVersion: 0, columns: ['ID', '_change_type'], filter: "_change_type = 'delete' OR _commit_version = 2 AND id = 10" }).toArray()
    expect(got).toEqual(expect.arrayContaining([{ id: 0n, _change_type: 'delete' }, { id: 1n, _change_type: 'delete' }, { id: 10n, _change_type: 'insert' }]))
    expect(got).toHaveLength(3)
    await expect(table.changes({ startingVersion: 0, columns: ['nope'] }).toArray()).rejects.toMatchObject({ code: 'InvalidArgument', context: { column: 'nope' } })
    await expect(table.changes({ startingVersion: 0, filter: 'nope = 1' }).toArray()).rejects.toMatchObject({ name: 'PredicateError', code: 'InvalidPredicate' })
  })
})
