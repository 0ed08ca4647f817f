// DELETE end to end on in-memory tables: no predicate, partition-only, deletion vectors (new, merged,
// whole-file), copy-on-write, the actions and commitInfo it writes, errors, and failed attempts.

import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { AddFile, CommitInfo, RemoveFile } from '../../src/internal.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'
import { MemoryStore, StorageError, faultyStore } from '@lake/storage'
import { SCHEMA, actionsOf, keys, newTable, rowsAt, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'

const rows = (from: number, to: number, p: string): TestRow[] => Array.from({ length: to - from }, (_, i) => ({ id: from + i, p, v: (from + i) % 3 === 0 ? null : from + i }))

async function filled(options: { dv: boolean; partitioned: boolean }) {
  const t = await newTable(options)
  const table = await DeltaTable.open(t.engine)
  await table.write(rows(0, 10, 'a').map(toRow)) // v1
  await table.write(rows(10, 20, 'b').map(toRow)) // v2
  return t
}

const adds = (actions: Awaited<ReturnType<typeof actionsOf>>): AddFile[] => actions.flatMap((a) => (a.kind === 'add' ? [a.add] : []))
const removes = (actions: Awaited<ReturnType<typeof actionsOf>>): RemoveFile[] => actions.flatMap((a) => (a.kind === 'remove' ? [a.remove] : []))
const commitInfo = (actions: Awaited<ReturnType<typeof actionsOf>>): CommitInfo | undefined => actions.flatMap((a) => (a.kind === 'commitInfo' ? [a.commitInfo] : []))[0]
const ids = (list: readonly TestRow[]): number[] => list.map((r) => r.id)

describe('turning deletion vectors on', () => {
  it('a table created with delta.enableDeletionVectors=true lists deletionVectors in both feature lists', async () => {
    const { engine } = await newTable({ dv: true, partitioned: false })
    expect((await DeltaTable.open(engine)).protocol).toMatchObject({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] })
  })

  it('setting the property on an existing table (overwrite with schemaMode overwrite) upgrades its protocol', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    expect((await DeltaTable.open(engine)).protocol).toMatchObject({ minReaderVersion: 1, minWriterVersion: 2 })
    await (await DeltaTable.open(engine)).write(rows(0, 4, 'a').map(toRow), { mode: 'overwrite', schemaMode: 'overwrite', configuration: { 'delta.enableDeletionVectors': 'true' } })
    const table = await DeltaTable.open(engine)
    expect(table.protocol.readerFeatures).toContain('deletionVectors')
    expect(table.protocol.writerFeatures).toContain('deletionVectors')
    expect((await table.delete('id = 1')).metrics.numDeletionVectorsAdded).toBe(1)
  })
})

describe('DeltaTable.delete', () => {
  it('without a predicate removes every file, counting rows from stats', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const result = await (await DeltaTable.open(engine)).delete()
    expect(result.version).toBe(3)
    expect(result.metrics).toMatchObject({ numDeletedRows: 20, numRemovedFiles: 2, numAddedFiles: 0, numCopiedRows: 0 })
    expect(await rowsAt(engine)).toEqual([])
    const info = commitInfo(await actionsOf(engine, 3))
    expect(info).toMatchObject({ operation: 'DELETE', operationParameters: { predicate: '[]' }, isBlindAppend: false })
    expect(info?.operationMetrics).toMatchObject({ numDeletedRows: '20', numRemovedFiles: '2' })
  })

  it('with a partition-only predicate removes whole files without reading them', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: true })
    const [fileA] = (await DeltaTable.open(engine)).files().filter((f) => f.partitionValues['p'] === 'a')
    await store.delete(decodeURIComponent(fileA?.path ?? '')) // reading it would fail
    const result = await (await DeltaTable.open(engine)).delete("p = 'a'")
    expect(result.metrics).toMatchObject({ numDeletedRows: 10, numRemovedFiles: 1, numDeletionVectorsAdded: 0 })
    expect(ids(await rowsAt(engine))).toEqual([...Array(10).keys()].map((i) => i + 10))
    expect(commitInfo(await actionsOf(engine, 3))?.operationParameters).toEqual({ predicate: JSON.stringify(["p = 'a'"]) })
  })

  it('with deletion vectors marks rows, keeps numRecords and stats with tightBounds:false, and merges a second DV', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: false })
    const first = await (await DeltaTable.open(engine)).delete('id < 3')
    expect(first.metrics).toMatchObject({ numDeletedRows: 3, numRemovedFiles: 0, numAddedFiles: 0, numDeletionVectorsAdded: 1, numDeletionVectorsUpdated: 0 })
    const v3 = await actionsOf(engine, 3)
    const [remove] = removes(v3)
    const [add] = adds(v3)
    expect(remove).toMatchObject({ path: add?.path, dataChange: true, extendedFileMetadata: true })
    expect(remove?.deletionVector ?? undefined).toBeUndefined()
    expect(add?.deletionVector).toMatchObject({ storageType: 'u', cardinality: 3 })
    expect(JSON.parse(add?.stats ?? '{}')).toMatchObject({ numRecords: 10, tightBounds: false })
    expect(JSON.parse(remove?.stats ?? '{}')).not.toHaveProperty('tightBounds')
    expect((await keys(store)).filter((k) => k.startsWith('deletion_vector_'))).toHaveLength(1)

    const second = await (await DeltaTable.open(engine)).delete('id = 5 OR id = 1 OR id = 15')
    expect(second.metrics).toMatchObject({ numDeletedRows: 2, numDeletionVectorsAdded: 1, numDeletionVectorsUpdated: 1 })
    const merged = adds(await actionsOf(engine, 4)).find((f) => f.path === add?.path)
    expect(merged?.deletionVector?.cardinality).toBe(4) // {0,1,2} ∪ {5}
    expect(ids(await rowsAt(engine))).toEqual([3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19])
    expect(ids(await rowsAt(engine, 3))).toEqual([...Array(17).keys()].map((i) => i + 3))
  })

  it('removes a file whose every live row is deleted instead of giving it a DV', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    await (await DeltaTable.open(engine)).delete('id < 5')
    const result = await (await DeltaTable.open(engine)).delete('id < 10 OR id = 19')
    expect(result.metrics).toMatchObject({ numDeletedRows: 6, numRemovedFiles: 1, numDeletionVectorsRemoved: 1, numDeletionVectorsAdded: 1 })
    const v4 = await actionsOf(engine, 4)
    const removedWhole = removes(v4).find((r) => !adds(v4).some((a) => a.path === r.path))
    expect(removedWhole?.deletionVector?.cardinality).toBe(5) // the tombstone keeps its DV for vacuum
    expect(ids(await rowsAt(engine))).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18])
  })

  it('without deletion vectors rewrites files with matching rows and leaves the others untouched', async () => {
    const { engine } = await filled({ dv: false, partitioned: true })
    const before = (await DeltaTable.open(engine)).files()
    const result = await (await DeltaTable.open(engine)).delete('v IS NULL AND id < 15')
    expect(result.metrics).toMatchObject({ numDeletedRows: 5, numRemovedFiles: 2, numAddedFiles: 2, numCopiedRows: 15, numDeletionVectorsAdded: 0 })
    const after = await DeltaTable.open(engine)
    expect(after.files().some((f) => before.some((b) => b.path === f.path))).toBe(false)
    expect(after.files().every((f) => f.deletionVector == null)).toBe(true)
    expect(ids(await rowsAt(engine))).toEqual([1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 15, 16, 17, 18, 19])
    const untouched = await (await DeltaTable.open(engine)).delete('id >= 100 AND v > 0')
    expect(untouched).toEqual({ version: undefined, attempts: 1, replans: 0, metrics: expect.objectContaining({ numDeletedRows: 0, numRemovedFiles: 0 }) })
    expect((await DeltaTable.open(engine)).version).toBe(3)
  })

  it('keeps rows where the predicate is NULL (SQL three-valued logic)', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    await (await DeltaTable.open(engine)).delete('v > 4')
    expect(ids(await rowsAt(engine))).toEqual([0, 1, 2, 3, 4, 6, 9, 12, 15, 18])
  })

  it('rejects a bad predicate before reading or writing anything', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: false })
    const before = await keys(store)
    await expect((await DeltaTable.open(engine)).delete('nope = 1')).rejects.toMatchObject({ name: 'PredicateError', code: 'InvalidPredicate' })
    expect(await keys(store)).toEqual(before)
  })

  it('on a change-data-feed table, a copy-on-write DELETE records its deleted rows in cdc files; one by DVs records none', async () => {
    for (const dvOn of [false, true]) {
      const store = new MemoryStore({ url: 'memory://cdf' })
      const engine = createEngine(store)
      const configuration = { 'delta.enableChangeDataFeed': 'true', ...(dvOn ? { 'delta.enableDeletionVectors': 'true' } : {}) }
      await DeltaTable.create(engine, { schema: SCHEMA, configuration })
      await (await DeltaTable.open(engine)).write(rows(0, 5, 'a').map(toRow))
      const result = await (await DeltaTable.open(engine)).delete('id = 1')
      const cdc = (await actionsOf(engine, 2)).filter((a) => a.kind === 'cdc')
      expect(result.metrics).toMatchObject({ numDeletedRows: 1, numAddedChangeFiles: dvOn ? 0 : 1, numDeletionVectorsAdded: dvOn ? 1 : 0 })
      expect(cdc).toHaveLength(dvOn ? 0 : 1)
    }
  })

  it.each([
    ['copy-on-write, the second rewritten file fails to upload', false, /\.parquet$/, 1],
    ['deletion vectors, the DV file fails to upload', true, /^deletion_vector_/, 0],
  ])('leaves the table and the store as they were when %s', async (_name, dvOn, path, after) => {
    const { engine, store } = await filled({ dv: dvOn, partitioned: true })
    const before = await keys(store)
    const failing = createEngine(faultyStore(store, { rules: [{ method: 'putIfAbsent', path, after, error: new StorageError('Unavailable', 'injected upload failure') }] }))
    await expect((await DeltaTable.open(failing)).delete('id = 2 OR id = 15')).rejects.toMatchObject({ name: 'StorageError', code: 'Unavailable' })
    expect(await keys(store)).toEqual(before)
    expect((await DeltaTable.open(engine)).version).toBe(2)
  })

  it('with re-planning off, fails with ConcurrentDeleteDelete when another delete changed the same file, leaving no file of its own', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: false })
    const initial = await keys(store)
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000003.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).delete('id = 1', { commit: { maxReplans: 0 } })
    await gated.reached
    const beforeWinner = await keys(store)
    expect(beforeWinner.filter((k) => !initial.includes(k))).toHaveLength(1) // the loser's DV file, written before its commit
    const winner = await (await DeltaTable.open(engine)).delete('id = 2')
    expect(winner.version).toBe(3)
    const winnerFiles = (await keys(store)).filter((k) => !beforeWinner.includes(k))
    gated.open()
    // The winner's re-add of the file (new DV) is no append; both remove the file: a double delete.
    await expect(loser).rejects.toMatchObject({ name: 'CommitConflictError', code: 'CommitConflict', context: { reason: 'ConcurrentDeleteDelete', winningVersion: 3, replans: 0 } })
    expect(await keys(store)).toEqual([...initial, ...winnerFiles].sort())
    expect(ids(await rowsAt(engine))).not.toContain(2)
    expect(ids(await rowsAt(engine))).toContain(1)
  })
})
