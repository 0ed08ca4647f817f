// Time travel by timestamp: file modification times (monotonized), in-commit timestamps, and
// mixed tables where ICT was enabled mid-life.

import { describe, expect, it } from 'vitest'
import { createEngine, lastAtOrBefore, loadSnapshot, monotonize, versionAtTimestamp } from '../src/internal.js'
import { add, commitInfo, metadata, protocol } from './helpers/actions.js'
import { MemoryTable } from './helpers/memory-table.js'

describe('monotonize', () => {
  it.each([
    [[1, 2, 3], [1, 2, 3]],
    [[5, 5, 5], [5, 6, 7]],
    [[10, 4, 11, 11], [10, 11, 12, 13]],
    [[], []],
  ])('makes %j strictly increasing as %j', (input, output) => {
    expect(monotonize(input)).toEqual(output)
  })
})

describe('lastAtOrBefore', () => {
  it.each([
    [5, -1],
    [10, 0],
    [15, 0],
    [20, 1],
    [35, 2],
  ])('finds the last timestamp at or before %i', (t, index) => {
    expect(lastAtOrBefore([10, 20, 30], t)).toBe(index)
  })
})

/** Commits 0..n-1 at the given modification times. */
async function tableAt(mtimes: readonly number[]): Promise<MemoryTable> {
  const table = new MemoryTable()
  for (const [v, mtime] of mtimes.entries()) {
    await table.commit(v, v === 0 ? [commitInfo(), protocol(), metadata(), add('f0')] : [commitInfo(), add(`f${v}`)], mtime)
  }
  return table
}

describe('versionAtTimestamp by file modification time', () => {
  it.each([
    [1_000, 0],
    [1_999, 0],
    [2_000, 1],
    [2_001, 2], // mtime 2000 repeated: monotonized to 2001
    [2_002, 3], // mtime 1500 after 2001: monotonized to 2002
    [4_000, 4],
  ])('answers %i with version %i', async (t, version) => {
    const engine = createEngine((await tableAt([1_000, 2_000, 2_000, 1_500, 4_000])).store)
    expect(await versionAtTimestamp(engine, t)).toBe(version)
  })

  it.each([
    ['before the first commit', 999],
    ['after the latest commit', 4_001],
  ])('fails with TimestampOutOfRange %s', async (_, t) => {
    const engine = createEngine((await tableAt([1_000, 2_000, 4_000])).store)
    await expect(versionAtTimestamp(engine, t)).rejects.toMatchObject({ code: 'TimestampOutOfRange', context: { earliest: 0, latest: 2 } })
  })

  // Spark's time travel (DELTA_TIMESTAMP_GREATER_THAN_COMMIT): the latest commit's own timestamp is its
  // version; a later instant has no version yet and is refused, naming the latest commit's time.
  it('answers the latest commit\'s exact timestamp and refuses a later one, naming the latest commit', async () => {
    const engine = createEngine((await tableAt([1_000, 2_000, 4_000])).store)
    expect(await versionAtTimestamp(engine, 4_000)).toBe(2)
    const after = versionAtTimestamp(engine, 4_001)
    await expect(after).rejects.toMatchObject({ name: 'TableError', code: 'TimestampOutOfRange', context: { timestamp: 4_001, latest: 2, latestTimestamp: 4_000 } })
    await expect(after).rejects.toThrow(
      'timestamp 1970-01-01T00:00:04.001Z is after the latest commit of memory://table (version 2 at 1970-01-01T00:00:04.000Z): expected a timestamp at or before 1970-01-01T00:00:04.000Z',
    )
    const before = versionAtTimestamp(engine, 999)
    await expect(before).rejects.toMatchObject({ context: { earliest: 0, earliestTimestamp: 1_000 } })
    await expect(before).rejects.toThrow('expected a timestamp between 1970-01-01T00:00:01.000Z (version 0) and 1970-01-01T00:00:04.000Z (version 2)')
  })

  it('accepts ISO strings and Dates and opens the snapshot at that time', async () => {
    const base = Date.parse('2024-05-01T00:00:00Z')
    const engine = createEngine((await tableAt([base, base + 60_000, base + 120_000])).store)
    expect(await versionAtTimestamp(engine, '2024-05-01T00:01:30Z')).toBe(1)
    expect(await versionAtTimestamp(engine, new Date(base + 120_000))).toBe(2)
    const snapshot = await loadSnapshot(engine, { timestamp: '2024-05-01T00:01:00.000Z' })
    expect([snapshot.version, snapshot.timestamp]).toEqual([1, base + 60_000])
  })

  it('rejects an unparseable timestamp', async () => {
    const engine = createEngine((await tableAt([1_000])).store)
    await expect(versionAtTimestamp(engine, 'yesterday-ish')).rejects.toMatchObject({ code: 'InvalidArgument' })
  })
})

describe('versionAtTimestamp by in-commit timestamp', () => {
  const ictConfig = { 'delta.enableInCommitTimestamps': 'true' }

  it('uses inCommitTimestamp, not modification times, when ICT is enabled from creation', async () => {
    const table = new MemoryTable()
    const icts = [10_000, 20_000, 30_000, 40_000]
    for (const [v, ict] of icts.entries()) {
      const head = [commitInfo({ inCommitTimestamp: ict })]
      await table.commit(v, v === 0 ? [...head, protocol(1, 7, { writerFeatures: ['inCommitTimestamp'] }), metadata({ configuration: ictConfig })] : [...head, add(`f${v}`)], 999_999 - v)
    }
    const engine = createEngine(table.store)
    expect(await versionAtTimestamp(engine, 25_000)).toBe(1)
    expect(await versionAtTimestamp(engine, 40_000)).toBe(3)
    expect((await loadSnapshot(engine)).timestamp).toBe(40_000)
    await expect(versionAtTimestamp(engine, 9_999)).rejects.toMatchObject({ code: 'TimestampOutOfRange' })
  })

  it('searches modification times before the enablement and ICT after it', async () => {
    const table = new MemoryTable()
    await table.commit(0, [commitInfo(), protocol(1, 7, { writerFeatures: ['inCommitTimestamp'] }), metadata()], 1_000)
    await table.commit(1, [commitInfo(), add('a')], 2_000)
    const enabled = {
      ...ictConfig,
      'delta.inCommitTimestampEnablementVersion': '2',
      'delta.inCommitTimestampEnablementTimestamp': '50000',
    }
    await table.commit(2, [commitInfo({ inCommitTimestamp: 50_000 }), metadata({ configuration: enabled })], 900_000)
    await table.commit(3, [commitInfo({ inCommitTimestamp: 60_000 }), add('b')], 800_000)
    const engine = createEngine(table.store)
    expect(await versionAtTimestamp(engine, 1_500)).toBe(0)
    expect(await versionAtTimestamp(engine, 40_000)).toBe(1)
    expect(await versionAtTimestamp(engine, 55_000)).toBe(2)
    expect(await versionAtTimestamp(engine, 60_000)).toBe(3)
  })
})
