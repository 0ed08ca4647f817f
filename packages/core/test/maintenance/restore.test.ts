// restore and planRestore: the live set equals the target version's, Spark's metrics, metadata
// restored, protocol never downgraded, and a refusal when target files were vacuumed.

import { describe, expect, it } from 'vitest'
import { planRestore, readCommit, restore, vacuum } from '../../src/internal.js'
import type { AddFile, Metadata } from '../../src/internal.js'
import { ClockTable, DAY_MS, EVENTS, ids } from './helpers.js'

const add = (path: string, size = 10): AddFile => ({ path, partitionValues: {}, size, modificationTime: 0, dataChange: false })
const metadata = (id: string): Metadata => ({ id, format: { provider: 'parquet', options: {} }, schemaString: '{}', partitionColumns: [], configuration: {} })
const protocol = { minReaderVersion: 1, minWriterVersion: 2 }

describe('planRestore', () => {
  it('re-adds missing files with dataChange=true and removes files not in the target', () => {
    const plan = planRestore(
      { version: 5, files: [add('a', 1), add('c', 100)], metadata: metadata('m'), protocol },
      { version: 2, files: [add('a', 1), add('b', 20)], metadata: metadata('m'), protocol },
      7,
    )
    expect(plan.actions.map((a) => a.kind)).toEqual(['remove', 'add'])
    expect(plan.restored).toEqual([{ ...add('b', 20), dataChange: true }])
    expect(plan.metrics).toEqual({
      tableSizeAfterRestore: 21,
      numOfFilesAfterRestore: 2,
      numRemovedFiles: 1,
      numRestoredFiles: 1,
      removedFilesSize: 100,
      restoredFilesSize: 20,
    })
  })

  it('restores changed metadata and keeps the higher protocol', () => {
    const plan = planRestore(
      { version: 1, files: [], metadata: metadata('new'), protocol: { minReaderVersion: 1, minWriterVersion: 4 } },
      { version: 0, files: [], metadata: metadata('old'), protocol },
      7,
    )
    expect(plan.actions).toEqual([{ kind: 'metaData', metaData: metadata('old') }])
  })
})

describe('restore', () => {
  async function threeVersions(): Promise<ClockTable> {
    const t = new ClockTable()
    await t.write([{ id: 1n, day: 'a' }], { schema: EVENTS })
    await t.write([{ id: 2n, day: 'a' }])
    await t.write([{ id: 3n, day: 'a' }], { mode: 'overwrite' })
    return t
  }

  it('commits a RESTORE that makes the table equal to the version', async () => {
    const t = await threeVersions()
    const result = await restore(t.engine, { version: 1 })
    expect(result).toMatchObject({ version: 3, restoredVersion: 1 })
    expect(result.metrics).toMatchObject({ numOfFilesAfterRestore: 2, numRemovedFiles: 1, numRestoredFiles: 2 })
    expect(ids(await t.rows())).toEqual([1, 2])
    const info = (await readCommit(t.engine, 3)).find((a) => a.kind === 'commitInfo')
    expect(info?.kind === 'commitInfo' && info.commitInfo.operation).toBe('RESTORE')
    expect(info?.kind === 'commitInfo' && info.commitInfo.operationMetrics?.['num_restored_files']).toBe('2')
  })

  it('resolves a timestamp to the version active then', async () => {
    const t = await threeVersions()
    const v0 = await t.snapshot(0)
    const result = await restore(t.engine, { timestamp: v0.timestamp + 1 })
    expect(result.restoredVersion).toBe(0)
    expect(ids(await t.rows())).toEqual([1])
  })

  it('refuses with SafetyCheck when files of the target were vacuumed', async () => {
    const t = await threeVersions()
    t.now += 8 * DAY_MS
    await vacuum(t.engine, { dryRun: false })
    await expect(restore(t.engine, { version: 1 })).rejects.toMatchObject({ code: 'SafetyCheck' })
    expect((await t.snapshot()).version).toBe(4) // 2 plus VACUUM START and VACUUM END
  })

  it('fails with VersionNotFound for a version that does not exist', async () => {
    const t = await threeVersions()
    await expect(restore(t.engine, { version: 9 })).rejects.toMatchObject({ code: 'VersionNotFound' })
  })
})
