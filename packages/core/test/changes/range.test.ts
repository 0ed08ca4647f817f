// The version range of a change data feed read (operations/changes/range.ts), resolved by
// readChangeCommits against real logs: every refusal with its whole message and context, timestamps on
// commit boundaries, logs whose early commits were cleaned up, and commit timestamps read once.

import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import { readChangeCommits, resolveTable } from '../../src/internal.js'
import type { ChangeRangeOptions } from '../../src/internal.js'
import { tempDir } from '../../../../test/temp-dir.js'
import { SCHEMA, toRow } from '../dml/helpers.js'

const CDF_ICT = { 'delta.enableChangeDataFeed': 'true', 'delta.enableInCommitTimestamps': 'true' }
const commitKey = (version: number): string => `_delta_log/${String(version).padStart(20, '0')}.json`

/** v0 at 1,000,000 ms (in-commit timestamps), v1..v3 at 2,000,000 .. 4,000,000 with one row each. */
async function timedTable(): Promise<{ store: MemoryStore; engine: Engine; checkpointAt2: () => Promise<void> }> {
  let clock = 1_000_000
  const store = new MemoryStore({ url: 'memory://range' })
  const engine = createEngine(store, { now: () => clock })
  await DeltaTable.create(engine, { schema: SCHEMA, configuration: CDF_ICT })
  const write = async (i: number): Promise<void> => {
    clock = (i + 2) * 1_000_000
    await (await DeltaTable.open(engine)).write([toRow({ id: i, p: 'a', v: i })])
  }
  await write(0)
  await write(1)
  await write(2)
  // Rebuilds the log as v0..v2, a checkpoint at 2, then v3.
  const checkpointAt2 = async (): Promise<void> => {
    await store.delete(commitKey(3))
    await (await DeltaTable.open(engine)).checkpoint()
    await write(2)
  }
  return { store, engine, checkpointAt2 }
}

const versions = async (engine: Engine, options: ChangeRangeOptions): Promise<number[]> => (await readChangeCommits(engine, options)).map((c) => c.version)
const rejection = async (engine: Engine, options: ChangeRangeOptions): Promise<unknown> => readChangeCommits(engine, options).then(() => undefined, (err: unknown) => err)

describe('readChangeCommits: refusals', () => {
  it.each<[string, ChangeRangeOptions, string, Record<string, unknown> | undefined]>([
    ['no start', {}, 'changes: expected startingVersion or startingTimestamp, found neither', undefined],
    ['both forms of the start', { startingVersion: 0, startingTimestamp: 0 }, 'changes: expected startingVersion or startingTimestamp, found both', undefined],
    ['both forms of the end', { startingVersion: 0, endingVersion: 1, endingTimestamp: 0 }, 'changes: expected endingVersion or endingTimestamp, found both', undefined],
    ['a negative start', { startingVersion: -1 }, 'changes: expected startingVersion to be a non-negative integer, found -1', { startingVersion: -1 }],
    ['a fractional end', { startingVersion: 0, endingVersion: 1.5 }, 'changes: expected endingVersion to be a non-negative integer, found 1.5', { endingVersion: 1.5 }],
    ['an end before the start', { startingVersion: 2, endingVersion: 1 }, 'changes: expected the end of the range at or after its start 2, found 1', { start: 2, end: 1 }],
  ])('%s: InvalidArgument', async (_name, options, message, context) => {
    const { engine } = await timedTable()
    const err = await rejection(engine, options)
    expect(err).toMatchObject({ name: 'InvalidArgumentError', code: 'InvalidArgument', message })
    if (context !== undefined) expect((err as { context: unknown }).context).toEqual(context)
  })

  it('a start after the latest version: VersionNotFound with the available range', async () => {
    const { engine } = await timedTable()
    expect(await rejection(engine, { startingVersion: 4 })).toMatchObject({
      name: 'TableError',
      code: 'VersionNotFound',
      message: 'cannot read the change data feed at version 4: starting version 4 is after the latest version 3',
      context: { version: 4, earliest: 0, latest: 3 },
    })
  })

  it('a commit missing inside the range: VersionNotFound naming it and the commits there are', async () => {
    const { store, engine, checkpointAt2 } = await timedTable()
    await checkpointAt2()
    await store.delete(commitKey(0))
    expect(await rejection(engine, { startingVersion: 2 })).toBeUndefined()
    await store.delete(commitKey(2))
    expect(await rejection(engine, { startingVersion: 2 })).toMatchObject({
      code: 'VersionNotFound',
      message: 'cannot read the change data feed at version 2: expected commit 2 in the log, found commits 1, 3',
      context: { version: 2, earliest: 2, latest: 3 },
    })
  })

  it.each<[string, ChangeRangeOptions, string, number]>([
    ['a start after the last commit', { startingTimestamp: 4_000_001 }, 'startingTimestamp 1970-01-01T01:06:40.001Z is after the latest commit (versions 2..3)', 4_000_001],
    ['an end before the first commit', { startingVersion: 2, endingTimestamp: 2_999_999 }, 'endingTimestamp 1970-01-01T00:49:59.999Z is before the first commit (versions 2..3)', 2_999_999],
  ])('%s: TimestampOutOfRange with the versions there are', async (_name, options, text, timestamp) => {
    const { store, engine, checkpointAt2 } = await timedTable()
    await checkpointAt2()
    await store.delete(commitKey(0))
    await store.delete(commitKey(1))
    expect(await rejection(engine, options)).toMatchObject({
      name: 'TableError',
      code: 'TimestampOutOfRange',
      message: `changes: ${text}`,
      context: { timestamp, earliest: 2, latest: 3 },
    })
  })
})

describe('readChangeCommits: a log of only a checkpoint (every commit file cleaned up)', () => {
  /** A table in a temp dir: v0 create, v1..v3 one row each, a checkpoint at 3, then every commit JSON deleted. */
  async function checkpointOnly(): Promise<{ dir: string; engine: Engine }> {
    const dir = join(tempDir('lake-range-'), 't')
    await DeltaTable.create(dir, { schema: SCHEMA, configuration: { 'delta.enableChangeDataFeed': 'true' } })
    for (let i = 0; i < 3; i++) await (await DeltaTable.open(dir)).write([toRow({ id: i, p: 'a', v: i })])
    await (await DeltaTable.open(dir)).checkpoint()
    const log = join(dir, '_delta_log')
    for (const name of readdirSync(log)) if (name.endsWith('.json')) rmSync(join(log, name))
    expect(readdirSync(log).sort()).toEqual(['00000000000000000003.checkpoint.parquet', '_last_checkpoint'])
    return { dir, engine: await resolveTable(dir) }
  }

  it('opens at the checkpoint version; a change feed of it names the missing commit and what the log holds', async () => {
    const { dir, engine } = await checkpointOnly()
    const table = await DeltaTable.open(dir)
    expect(table.version).toBe(3)
    expect(await table.toArray()).toHaveLength(3)
    const found = 'found no commit files at or after version 3 (version 3 is in a checkpoint only)'
    for (const version of [0, 3]) {
      expect(await rejection(engine, { startingVersion: version })).toMatchObject({
        name: 'TableError',
        code: 'VersionNotFound',
        message: `cannot read the change data feed at version ${version}: expected commit ${version} in the log, ${found}`,
        context: { version, earliest: 3, latest: 3 },
      })
    }
    expect(await rejection(engine, { startingTimestamp: 0 })).toMatchObject({
      code: 'TimestampOutOfRange',
      message: `changes: startingTimestamp 1970-01-01T00:00:00.000Z expected a commit to compare it with, ${found}`,
      context: { timestamp: 0, earliest: 3, latest: 3 },
    })
  })

  it('reads the commits written after the checkpoint, and names them when asked for the checkpoint version', async () => {
    const { dir, engine } = await checkpointOnly()
    expect((await (await DeltaTable.open(dir)).write([toRow({ id: 9, p: 'a', v: 9 })])).version).toBe(4)
    expect(await versions(engine, { startingVersion: 4 })).toEqual([4])
    expect(await rejection(engine, { startingVersion: 3 })).toMatchObject({
      code: 'VersionNotFound',
      message: 'cannot read the change data feed at version 3: expected commit 3 in the log, found commit 4',
      context: { version: 3, earliest: 3, latest: 4 },
    })
  })
})

describe('readChangeCommits: timestamps', () => {
  it('a bound on a commit timestamp includes that commit, at either end', async () => {
    const { engine } = await timedTable()
    expect(await versions(engine, { startingTimestamp: 2_000_000, endingTimestamp: 3_000_000 })).toEqual([1, 2])
    expect(await versions(engine, { startingTimestamp: 2_000_001, endingTimestamp: 3_999_999 })).toEqual([2])
    expect(await versions(engine, { startingTimestamp: 0, endingTimestamp: 1_000_000 })).toEqual([0])
  })

  it('a start before every commit starts at the earliest version the log can rebuild, not at an older commit file', async () => {
    const { store, engine, checkpointAt2 } = await timedTable()
    await checkpointAt2()
    await store.delete(commitKey(0)) // commit 1 is left, but version 1 cannot be rebuilt
    expect(await versions(engine, { startingTimestamp: 0 })).toEqual([2, 3])
  })

  it('reads the commit timestamps of a search once each (the range read is separate)', async () => {
    const { store } = await timedTable()
    const gets = new Map<string, number>()
    const counting: ObjectStore = {
      url: store.url,
      get: (path, o) => (gets.set(path, (gets.get(path) ?? 0) + 1), store.get(path, o)),
      head: (p, o) => store.head(p, o),
      put: (p, b, o) => store.put(p, b, o),
      putIfAbsent: (p, b, o) => store.putIfAbsent(p, b, o),
      list: (p, o) => store.list(p, o),
      delete: (p, o) => store.delete(p, o),
    }
    expect(await versions(createEngine(counting), { startingTimestamp: 2_500_000, endingTimestamp: 3_500_000 })).toEqual([2])
    expect(Math.max(...gets.values())).toBeLessThanOrEqual(2)
    expect(gets.get(commitKey(2))).toBe(2)
  })
})
