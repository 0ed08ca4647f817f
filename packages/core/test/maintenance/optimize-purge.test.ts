// OPTIMIZE purge (Spark's REORG TABLE … APPLY (PURGE), docs/row-level-plan.md §14 step 12): files with
// deletion vectors are rewritten without their deleted rows whatever their size, other files are left
// alone, the commit is a REORG; vacuum then deletes the old files and the DV file once their
// tombstones pass the retention, and the table reads the same throughout.

import { describe, expect, it } from 'vitest'
import { deleteRows, optimize, planOptimize, readCommit, vacuum } from '../../src/internal.js'
import type { AddFile, RemoveFile } from '../../src/internal.js'
import { ClockTable, EVENTS, ids } from './helpers.js'

const dv = { storageType: 'u' as const, pathOrInlineDv: 'x', sizeInBytes: 1, cardinality: 1 }
const file = (path: string, size: number, extra: Partial<AddFile> = {}): AddFile => ({ path, partitionValues: {}, size, modificationTime: 0, dataChange: true, ...extra })

describe('planOptimize with purge', () => {
  it('selects exactly the files with a deletion vector, large ones included, and packs them', () => {
    const files = [file('small', 10), file('big-dv', 500, { deletionVector: dv }), file('small-dv', 10, { deletionVector: dv }), file('big', 500)]
    const purge = planOptimize({ files, partitionColumns: [], targetSizeBytes: 100, purge: true })
    expect(purge.bins.map((b) => b.files.map((f) => f.path))).toEqual([['small-dv'], ['big-dv']])
    expect(purge).toMatchObject({ totalConsideredFiles: 4, totalFilesSkipped: 2 })
    const compaction = planOptimize({ files, partitionColumns: [], targetSizeBytes: 100 })
    expect(compaction.bins.map((b) => b.files.map((f) => f.path))).toEqual([['small', 'small-dv'], ['big-dv']])
  })
})

/** Three files of ten rows (ids 0-9, 10-19, 20-29) in a table with deletion vectors; ids 3 and 15 deleted by DV. */
async function withDeletionVectors(): Promise<ClockTable> {
  const t = new ClockTable()
  await t.write(rowsOf(0), { schema: EVENTS, configuration: { 'delta.enableDeletionVectors': 'true' } })
  await t.write(rowsOf(10))
  await t.write(rowsOf(20))
  const deleted = await deleteRows(t.engine, 'id = 3 OR id = 15')
  expect(deleted.metrics).toMatchObject({ numDeletionVectorsAdded: 2, numDeletedRows: 2 })
  t.now += 1000
  return t
}

function rowsOf(from: number): { id: bigint; day: string }[] {
  return Array.from({ length: 10 }, (_, i) => ({ id: BigInt(from + i), day: 'd' }))
}

const dvFiles = async (t: ClockTable): Promise<string[]> => (await t.keys()).filter((k) => /deletion_vector_[0-9a-f-]+\.bin$/.test(k))
const expectedIds = Array.from({ length: 30 }, (_, i) => i).filter((i) => i !== 3 && i !== 15)

describe('optimize({ purge: true })', () => {
  it('rewrites the files with deletion vectors into files without, as a REORG with dataChange=false, leaving other files', async () => {
    const t = await withDeletionVectors()
    const before = await t.snapshot()
    const withDv = before.files().filter((f) => f.deletionVector != null)
    const without = before.files().filter((f) => f.deletionVector == null)
    expect(withDv).toHaveLength(2)
    const result = await optimize(t.engine, { purge: true })
    expect(result.version).toBe(before.version + 1)
    expect(result.metrics).toMatchObject({ numFilesRemoved: 2, numFilesAdded: 1, numBatches: 1, totalConsideredFiles: 3, totalFilesSkipped: 1 })
    const actions = await readCommit(t.engine, before.version + 1)
    const info = actions.flatMap((a) => (a.kind === 'commitInfo' ? [a.commitInfo] : []))[0]
    expect(info).toMatchObject({ operation: 'REORG', operationParameters: { predicate: '[]', applyPurge: 'true' } })
    const removes: RemoveFile[] = actions.flatMap((a) => (a.kind === 'remove' ? [a.remove] : []))
    expect(removes.map((r) => [r.path, r.dataChange, r.deletionVector?.cardinality]).sort()).toEqual(withDv.map((f) => [f.path, false, 1]).sort())
    const after = await t.snapshot()
    expect(after.files().filter((f) => f.deletionVector != null)).toEqual([])
    expect(after.files().map((f) => f.path)).toContain(without[0]?.path)
    expect(ids(await t.rows())).toEqual(expectedIds)
  })

  it('commits nothing when no file has a deletion vector', async () => {
    const t = new ClockTable()
    await t.write(rowsOf(0), { schema: EVENTS })
    await t.write(rowsOf(10))
    expect(await optimize(t.engine, { purge: true })).toMatchObject({ version: undefined, metrics: { numFilesRemoved: 0 } })
  })

  it('lets vacuum delete the DV file once the tombstones pass the retention, and the table reads the same', async () => {
    const t = await withDeletionVectors()
    const [dvFile] = await dvFiles(t)
    expect(dvFile).toBeDefined()
    t.now += 1000
    // Before the purge the DV file is live: even a zero retention keeps it.
    await vacuum(t.engine, { retentionHours: 0, enforceRetention: false, dryRun: false })
    expect(await dvFiles(t)).toEqual([dvFile])
    await optimize(t.engine, { purge: true })
    t.now += 1000
    // Within the default retention (7 days) the tombstones keep the old files and their DV file.
    expect((await vacuum(t.engine, { dryRun: false })).numFiles).toBe(0)
    expect(await dvFiles(t)).toEqual([dvFile])
    t.now += 1000
    const result = await vacuum(t.engine, { retentionHours: 0, enforceRetention: false, dryRun: false })
    expect(result.files.map((f) => f.path)).toContain(dvFile)
    expect(result.numFiles).toBe(3) // the two purged data files and the DV file
    expect(await dvFiles(t)).toEqual([])
    expect(ids(await t.rows())).toEqual(expectedIds)
  })
})
