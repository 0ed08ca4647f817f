// optimize and planOptimize: bin packing per partition, dataChange=false commit with metrics,
// partition filters, and nothing committed when there is nothing to compact.

import { describe, expect, it } from 'vitest'
import { optimize, planOptimize, readCommit } from '../../src/internal.js'
import type { AddFile } from '../../src/internal.js'
import { ClockTable, EVENTS, ids } from './helpers.js'

const file = (path: string, size: number, day: string, extra: Partial<AddFile> = {}): AddFile => ({
  path,
  partitionValues: { day },
  size,
  modificationTime: 0,
  dataChange: true,
  ...extra,
})

describe('planOptimize', () => {
  it('packs small files of each partition into bins up to the target size', () => {
    const plan = planOptimize({
      files: [file('a1', 40, 'a'), file('a2', 30, 'a'), file('a3', 50, 'a'), file('a4', 200, 'a'), file('b1', 10, 'b'), file('b2', 10, 'b'), file('c1', 10, 'c')],
      partitionColumns: ['day'],
      targetSizeBytes: 100,
    })
    expect(plan.bins.map((b) => b.files.map((f) => f.path))).toEqual([['a2', 'a1'], ['b1', 'b2']])
    expect(plan.bins.map((b) => b.sizeInBytes)).toEqual([70, 20])
    expect(plan).toMatchObject({ totalConsideredFiles: 7, totalFilesSkipped: 3, partitionsOptimized: 2 })
  })

  it('rewrites a single file when it carries a deletion vector', () => {
    const dv = { storageType: 'i' as const, pathOrInlineDv: 'x', sizeInBytes: 1, cardinality: 1 }
    const plan = planOptimize({ files: [file('a1', 500, 'a', { deletionVector: dv })], partitionColumns: ['day'], targetSizeBytes: 100 })
    expect(plan.bins).toHaveLength(1)
  })

  it('considers only files the filter includes', () => {
    const plan = planOptimize({
      files: [file('a1', 1, 'a'), file('a2', 1, 'a'), file('b1', 1, 'b'), file('b2', 1, 'b')],
      partitionColumns: ['day'],
      targetSizeBytes: 100,
      include: (f) => f.partitionValues['day'] === 'b',
    })
    expect(plan.bins.flatMap((b) => b.files.map((f) => f.path))).toEqual(['b1', 'b2'])
    expect(plan.totalConsideredFiles).toBe(2)
  })
})

describe('optimize', () => {
  async function smallFiles(): Promise<ClockTable> {
    const t = new ClockTable()
    await t.write([{ id: 0n, day: 'a' }], { schema: EVENTS, partitionBy: ['day'] })
    for (let i = 1; i < 6; i++) await t.write([{ id: BigInt(i), day: i % 2 === 0 ? 'a' : 'b' }])
    return t
  }

  it('compacts each partition into one file with dataChange=false and the same rows', async () => {
    const t = await smallFiles()
    const before = await t.snapshot()
    const result = await optimize(t.engine)
    expect(result.version).toBe(6)
    expect(result.metrics).toMatchObject({ numFilesAdded: 2, numFilesRemoved: 6, partitionsOptimized: 2, numBatches: 2 })
    expect(result.metrics.filesRemovedSize).toBe(before.files().reduce((n, f) => n + f.size, 0))
    const after = await t.snapshot()
    expect(after.files()).toHaveLength(2)
    expect(after.files().map((f) => f.partitionValues['day']).sort()).toEqual(['a', 'b'])
    expect(ids(await t.rows())).toEqual([0, 1, 2, 3, 4, 5])
    const actions = await readCommit(t.engine, 6)
    const files = actions.filter((a) => a.kind === 'add' || a.kind === 'remove')
    expect(files).toHaveLength(8)
    expect(files.every((a) => (a.kind === 'add' ? a.add.dataChange : a.kind === 'remove' ? a.remove.dataChange : true) === false)).toBe(true)
    const info = actions.find((a) => a.kind === 'commitInfo')
    expect(info?.kind === 'commitInfo' && info.commitInfo.operation).toBe('OPTIMIZE')
    expect(info?.kind === 'commitInfo' && info.commitInfo.operationMetrics?.['numFilesRemoved']).toBe('6')
  })

  it('compacts only the partitions a partition predicate selects', async () => {
    const t = await smallFiles()
    const result = await optimize(t.engine, { where: "day = 'b'" })
    expect(result.metrics).toMatchObject({ numFilesRemoved: 3, numFilesAdded: 1, partitionsOptimized: 1 })
    expect((await t.snapshot()).files()).toHaveLength(4)
  })

  it('refuses a predicate on data columns', async () => {
    const t = await smallFiles()
    await expect(optimize(t.engine, { where: 'id > 1' })).rejects.toMatchObject({ code: 'InvalidArgument' })
  })

  it('commits nothing when every partition has a single file', async () => {
    const t = new ClockTable()
    await t.write([{ id: 0n, day: 'a' }], { schema: EVENTS, partitionBy: ['day'] })
    const result = await optimize(t.engine)
    expect(result.version).toBeUndefined()
    expect((await t.snapshot()).version).toBe(0)
  })

  it('rejects a non-positive target size', async () => {
    const t = await smallFiles()
    await expect(optimize(t.engine, { targetSizeBytes: 0 })).rejects.toMatchObject({ code: 'InvalidArgument' })
  })
})
