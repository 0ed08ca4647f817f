// vacuum and planVacuum: retention guard, hidden paths, live/tombstone/DV protection, mtime cutoff,
// dry run versus execute, and the log left untouched.

import { describe, expect, it } from 'vitest'
import { isHiddenPath, planVacuum, readHistory, vacuum } from '../../src/internal.js'
import type { AddFile, RemoveFile } from '../../src/internal.js'
import { ClockTable, DAY_MS, EVENTS, HOUR_MS, ids } from './helpers.js'

const meta = (path: string, lastModified: number, size = 10) => ({ path, lastModified, size })
const add = (path: string, extra: Partial<AddFile> = {}): AddFile => ({ path, partitionValues: {}, size: 10, modificationTime: 0, dataChange: true, ...extra })
const tomb = (path: string, deletionTimestamp: number): RemoveFile => ({ path, deletionTimestamp, dataChange: true })

describe('isHiddenPath', () => {
  it.each([
    ['_delta_log/00000000000000000000.json', true],
    ['_delta_log/_sidecars/x.parquet', true],
    ['.hidden/a.parquet', true],
    ['_SUCCESS', true],
    ['day=1/.part-0.parquet.crc', true],
    ['part-0.parquet', false],
    ['day=1/part-0.parquet', false],
    ['_day=1/part-0.parquet', false],
    ['_change_data/cdc-0.parquet', false],
    ['_tmp/part-0.parquet', true],
  ])('%s is hidden: %s', (key, hidden) => {
    expect(isHiddenPath(key)).toBe(hidden)
  })
})

describe('planVacuum', () => {
  it('deletes only unreferenced visible files older than the cutoff', () => {
    const plan = planVacuum({
      files: [add('live.parquet'), add('a%20b/x.parquet')],
      tombstones: [tomb('fresh-tomb.parquet', 500), tomb('old-tomb.parquet', 50)],
      listing: [
        meta('live.parquet', 1),
        meta('a b/x.parquet', 1),
        meta('fresh-tomb.parquet', 1),
        meta('old-tomb.parquet', 1, 7),
        meta('orphan-old.parquet', 99, 5),
        meta('orphan-new.parquet', 100),
        meta('_delta_log/00000000000000000000.json', 1),
      ],
      deleteBefore: 100,
      storeUrl: 'memory://t',
    })
    expect(plan.files.map((f) => f.path)).toEqual(['old-tomb.parquet', 'orphan-old.parquet'])
    expect(plan.sizeInBytes).toBe(12)
    expect(plan.filesConsidered).toBe(6)
  })

  it('protects deletion vector files of live files and absolute paths inside the table', () => {
    const dv = { storageType: 'u' as const, pathOrInlineDv: 'ab^-aqEH.-t@S}K{vb[*k^', offset: 1, sizeInBytes: 36, cardinality: 2 }
    const plan = planVacuum({
      files: [add('x.parquet', { deletionVector: dv }), add('file:///data/t/abs.parquet')],
      tombstones: [],
      listing: [meta('x.parquet', 1), meta('ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin', 1), meta('abs.parquet', 1), meta('other.bin', 1)],
      deleteBefore: 100,
      storeUrl: 'file:///data/t',
    })
    expect(plan.files.map((f) => f.path)).toEqual(['other.bin'])
  })
})

describe('vacuum', () => {
  async function overwrittenTable(): Promise<ClockTable> {
    const t = new ClockTable()
    await t.write([{ id: 1n, day: 'a' }], { schema: EVENTS })
    await t.write([{ id: 2n, day: 'b' }], { mode: 'overwrite' })
    return t
  }

  it('is a dry run by default and lists the overwritten file once retention has passed', async () => {
    const t = await overwrittenTable()
    const before = await t.keys()
    t.now += 8 * DAY_MS
    const result = await vacuum(t.engine)
    expect(result.dryRun).toBe(true)
    expect(result.numFiles).toBe(1)
    expect(result.retentionMs).toBe(7 * DAY_MS)
    expect(await t.keys()).toEqual(before)
  })

  it('deletes expired files on execute, keeps the log and live files readable', async () => {
    const t = await overwrittenTable()
    t.now += 8 * DAY_MS
    const result = await vacuum(t.engine, { dryRun: false })
    expect(result.numFiles).toBe(1)
    const keys = await t.keys()
    expect(keys).not.toContain(result.files[0]?.path)
    expect(keys.filter((k) => k.startsWith('_delta_log/'))).toHaveLength(4)
    expect(ids(await t.rows())).toEqual([2])
  })

  it('commits VACUUM START and VACUUM END around its deletes, with Spark\'s parameters and metrics', async () => {
    const t = await overwrittenTable()
    t.now += 8 * DAY_MS
    const result = await vacuum(t.engine, { dryRun: false, retentionHours: 0, enforceRetention: false })
    expect(result.version).toBe(2)
    const history = await readHistory(t.engine)
    expect(history.slice(0, 2).map((h) => [h.version, h.operation])).toEqual([[3, 'VACUUM END'], [2, 'VACUUM START']])
    expect(history[1]).toMatchObject({
      operationParameters: { retentionCheckEnabled: 'false', defaultRetentionMillis: 7 * DAY_MS, specifiedRetentionMillis: 0 },
      operationMetrics: { numFilesToDelete: '1', sizeOfDataToDelete: String(result.sizeInBytes) },
    })
    // END's readVersion names its START, so writers can pair them across overlapping vacuums.
    expect(history[0]).toMatchObject({ readVersion: 2, operationParameters: { status: 'COMPLETED' }, operationMetrics: { numDeletedFiles: '1', numVacuumedDirectories: '0' } })
    const log = (await t.keys()).filter((k) => k.endsWith('.json'))
    for (const key of log.slice(2)) expect(new TextDecoder().decode(await t.store.get(key)).trim().split('\n')).toHaveLength(1) // commitInfo only
  })

  it('commits nothing on a dry run', async () => {
    const t = await overwrittenTable()
    t.now += 8 * DAY_MS
    await vacuum(t.engine)
    expect((await t.snapshot()).version).toBe(1)
  })

  it('keeps files removed less than the retention ago (tombstone retention)', async () => {
    const t = await overwrittenTable()
    t.now += 6 * DAY_MS
    expect((await vacuum(t.engine, { dryRun: false })).numFiles).toBe(0)
  })

  it('refuses a retention shorter than the table retention unless the check is disabled', async () => {
    const t = await overwrittenTable()
    await expect(vacuum(t.engine, { retentionHours: 1 })).rejects.toMatchObject({ code: 'SafetyCheck' })
    t.now += 2 * HOUR_MS
    const forced = await vacuum(t.engine, { retentionHours: 1, enforceRetention: false, dryRun: false })
    expect(forced.numFiles).toBe(1)
    expect(ids(await t.rows())).toEqual([2])
  })

  it('uses delta.deletedFileRetentionDuration as the default and the guard', async () => {
    const t = new ClockTable()
    await t.write([{ id: 1n, day: 'a' }], { schema: EVENTS, configuration: { 'delta.deletedFileRetentionDuration': 'interval 2 days' } })
    await t.write([{ id: 2n, day: 'b' }], { mode: 'overwrite' })
    t.now += 3 * DAY_MS
    expect((await vacuum(t.engine)).numFiles).toBe(1)
    await expect(vacuum(t.engine, { retentionHours: 24 })).rejects.toMatchObject({ code: 'SafetyCheck' })
  })

  it('deletes old orphan files nobody committed, but not recent ones', async () => {
    const t = await overwrittenTable()
    await t.store.put('orphan-old.parquet', new Uint8Array(3))
    t.now += 8 * DAY_MS
    await t.store.put('orphan-new.parquet', new Uint8Array(3))
    const result = await vacuum(t.engine)
    expect(result.files.map((f) => f.path)).toContain('orphan-old.parquet')
    expect(result.files.map((f) => f.path)).not.toContain('orphan-new.parquet')
  })

  it('rejects a negative retention', async () => {
    const t = await overwrittenTable()
    await expect(vacuum(t.engine, { retentionHours: -1 })).rejects.toMatchObject({ code: 'InvalidArgument' })
  })
})
