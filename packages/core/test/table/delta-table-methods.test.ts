// DeltaTable's operation methods (vacuum, optimize, restore, checkpoint, cleanupLog) and details():
// each acts on the table, leaves the instance it was called on unchanged, and its effect is what
// `refresh()` reads.

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../../src/index.js'
import { commitPath, serializeCommit } from '../../src/internal.js'
import type { Action } from '../../src/internal.js'
import type { ListOptions, ObjectMeta } from '@lake/storage'
import { ClockTable, DAY_MS, EVENTS, ids } from '../maintenance/helpers.js'

const v = (n: number): string => n.toString().padStart(20, '0')
const sortedIds = async (table: DeltaTable): Promise<number[]> => ids(await table.toArray())

async function threeAppends(): Promise<ClockTable> {
  const t = new ClockTable()
  await t.write([{ id: 1n, day: 'a' }], { schema: EVENTS, partitionBy: ['day'] })
  await t.write([{ id: 2n, day: 'a' }])
  await t.write([{ id: 3n, day: 'b' }])
  return t
}

describe('DeltaTable maintenance methods', () => {
  it('optimize compacts the latest version; refresh() reads the compacted files', async () => {
    const t = await threeAppends()
    const table = await DeltaTable.open(t.engine)
    const result = await table.optimize()
    expect(result).toMatchObject({ version: 3, metrics: { numFilesAdded: 1, numFilesRemoved: 2, partitionsOptimized: 1 } })
    expect(table.version).toBe(2)
    expect(table.files()).toHaveLength(3)
    const after = await table.refresh()
    expect(after.version).toBe(3)
    expect(after.files()).toHaveLength(2)
    expect(await sortedIds(after)).toEqual([1, 2, 3])
  })

  it('restore commits the target version as a new one', async () => {
    const t = await threeAppends()
    const table = await DeltaTable.open(t.engine)
    const result = await table.restore({ version: 0 })
    expect(result).toMatchObject({ version: 3, restoredVersion: 0, metrics: { numRemovedFiles: 2, numRestoredFiles: 0 } })
    const after = await table.refresh()
    expect(after.version).toBe(3)
    expect(await sortedIds(after)).toEqual([1])
    expect(await sortedIds(table)).toEqual([1, 2, 3])
    await expect(table.restore({ version: 9 })).rejects.toMatchObject({ code: 'VersionNotFound' })
  })

  it('vacuum deletes unreferenced files older than the retention between VACUUM START and END', async () => {
    const t = new ClockTable()
    await t.write([{ id: 1n, day: 'a' }], { schema: EVENTS })
    const [old] = (await DeltaTable.open(t.engine)).files()
    await t.write([{ id: 2n, day: 'a' }], { mode: 'overwrite' })
    t.now += 8 * DAY_MS
    const table = await DeltaTable.open(t.engine)
    await expect(table.vacuum({ retentionHours: 1, dryRun: false })).rejects.toMatchObject({ code: 'SafetyCheck' })
    const dry = await table.vacuum()
    expect(dry).toMatchObject({ dryRun: true, numFiles: 1 })
    expect(await t.keys()).toContain(old?.path)
    const result = await table.vacuum({ dryRun: false })
    expect(result).toMatchObject({ dryRun: false, numFiles: 1, version: 2 })
    expect(await t.keys()).not.toContain(old?.path)
    const after = await table.refresh()
    expect(after.version).toBe(3)
    expect((await after.history({ limit: 2 })).map((h) => h.operation)).toEqual(['VACUUM END', 'VACUUM START'])
    expect(await sortedIds(after)).toEqual([2])
  })

  it('checkpoint writes a checkpoint of the latest version that refresh() starts from', async () => {
    const t = await threeAppends()
    const table = await DeltaTable.open(t.engine)
    const result = await table.checkpoint()
    expect(result).toMatchObject({ version: 2, numOfAddFiles: 3, path: `_delta_log/${v(2)}.checkpoint.parquet` })
    expect(await t.keys()).toEqual(expect.arrayContaining([result.path, '_delta_log/_last_checkpoint']))
    const after = await table.refresh()
    expect(after.snapshot.segment.checkpoint?.version).toBe(2)
    expect(await sortedIds(after)).toEqual([1, 2, 3])
  })

  it('cleanupLog deletes expired commits before the kept checkpoint', async () => {
    const t = await threeAppends()
    const table = await DeltaTable.open(t.engine)
    await table.checkpoint()
    t.now += 40 * DAY_MS
    await t.write([{ id: 4n, day: 'b' }])
    const dry = await table.cleanupLog({ dryRun: true })
    expect(dry.files.map((f) => f.path)).toEqual([`_delta_log/${v(0)}.json`, `_delta_log/${v(1)}.json`])
    expect(await t.keys()).toContain(`_delta_log/${v(0)}.json`)
    const result = await table.cleanupLog()
    expect(result).toMatchObject({ dryRun: false, checkpointVersion: 2 })
    expect(await t.keys()).not.toContain(`_delta_log/${v(0)}.json`)
    const after = await table.refresh()
    expect(await sortedIds(after)).toEqual([1, 2, 3, 4])
    await expect(after.at({ version: 0 })).rejects.toMatchObject({ code: 'VersionNotFound' })
  })
})

/** A clock table whose store counts the listings of `_delta_log/` (one per snapshot load of the latest version). */
class LogListingTable extends ClockTable {
  logListings = 0
  constructor() {
    super()
    const list = this.store.list.bind(this.store)
    this.store.list = (prefix: string, options?: ListOptions): AsyncGenerator<ObjectMeta> => {
      if (prefix === '_delta_log/') this.logListings++
      return list(prefix, options)
    }
  }
}

type Method = (table: DeltaTable) => Promise<unknown>
const METHODS: readonly (readonly [string, Method])[] = [
  ['vacuum', (table) => table.vacuum()],
  ['optimize', (table) => table.optimize()],
  ['restore', (table) => table.restore({ version: 1 })],
  ['checkpoint', (table) => table.checkpoint()],
  ['cleanupLog', (table) => table.cleanupLog({ dryRun: true })],
]

describe('DeltaTable operation methods read the log once', () => {
  /** `_delta_log/` listings of one call of `method` on an instance opened at `version` (latest when undefined). */
  async function listingsOf(method: Method, version?: number): Promise<number> {
    const t = new LogListingTable()
    await t.write([{ id: 1n, day: 'a' }], { schema: EVENTS, partitionBy: ['day'] })
    await t.write([{ id: 2n, day: 'a' }])
    await t.write([{ id: 3n, day: 'b' }])
    const table = await DeltaTable.open(t.engine, version === undefined ? {} : { version })
    const before = t.logListings
    await method(table)
    return t.logListings - before
  }

  it.each(METHODS)('%s on an instance at the latest version starts from its snapshot; one at an earlier version loads the latest', async (_, method) => {
    const reused = await listingsOf(method)
    const loaded = await listingsOf(method, 1)
    expect(loaded - reused).toBe(1)
  })

  it('optimize and a vacuum dry run on the latest instance list no log at all (the open did)', async () => {
    expect(await listingsOf((table) => table.optimize())).toBe(0)
    expect(await listingsOf((table) => table.vacuum())).toBe(0)
  })
})

describe('DeltaTable.details', () => {
  it('reports the version, files, size, partition columns, protocol and properties', async () => {
    const t = await threeAppends()
    const table = await DeltaTable.open(t.engine, { version: 1 })
    const files = table.files()
    expect(table.details()).toEqual({
      format: 'delta',
      id: table.metadata.id,
      name: undefined,
      description: undefined,
      location: 'memory://t',
      version: 1,
      createdAt: table.metadata.createdTime,
      lastModified: table.snapshot.timestamp,
      partitionColumns: ['day'],
      numFiles: 2,
      sizeInBytes: files.reduce((n, f) => n + f.size, 0),
      numRecords: 2,
      minReaderVersion: table.protocol.minReaderVersion,
      minWriterVersion: table.protocol.minWriterVersion,
      readerFeatures: [],
      writerFeatures: table.protocol.writerFeatures ?? [],
      properties: table.metadata.configuration,
    })
  })

  it('subtracts deletion vectors from numRecords, and has no numRecords when a file lacks stats', async () => {
    const store = new MemoryStore({ url: 'memory://dv' })
    const dv = { storageType: 'i' as const, pathOrInlineDv: 'wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L', sizeInBytes: 44, cardinality: 3 }
    const add = (path: string, stats?: string): Action => ({
      kind: 'add',
      add: { path, partitionValues: {}, size: 10, modificationTime: 1, dataChange: true, ...(stats === undefined ? {} : { stats }) },
    })
    const actions: Action[] = [
      { kind: 'protocol', protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] } },
      { kind: 'metaData', metaData: { id: 'dv', format: { provider: 'parquet', options: {} }, schemaString: JSON.stringify({ type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }] }), partitionColumns: [], configuration: { 'delta.enableDeletionVectors': 'true' } } },
      { kind: 'add', add: { path: 'a.parquet', partitionValues: {}, size: 10, modificationTime: 1, dataChange: true, stats: '{"numRecords":10}', deletionVector: dv } },
      add('b.parquet', '{"numRecords":5}'),
    ]
    await store.put(commitPath(0), serializeCommit(actions))
    const table = await DeltaTable.open(store)
    expect(table.details()).toMatchObject({ numFiles: 2, sizeInBytes: 20, numRecords: 12, readerFeatures: ['deletionVectors'], properties: { 'delta.enableDeletionVectors': 'true' } })
    await store.put(commitPath(1), serializeCommit([add('c.parquet')]))
    expect((await table.refresh()).details()).toMatchObject({ version: 1, numFiles: 3, numRecords: undefined })
  })
})
