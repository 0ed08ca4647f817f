// Timestamp time travel on copies of golden tables with commit modification times set explicitly
// (git and copies do not preserve them).

import { cp, mkdtemp, readdir, rm, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalStore } from '@lake/storage'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, loadSnapshot, readHistory, versionAtTimestamp } from '../src/internal.js'
import type { Engine } from '../src/internal.js'
import { goldenTableDir, goldenTables } from './helpers/golden.js'

const BASE = Date.parse('2024-01-01T00:00:00Z')
const MINUTE = 60_000

/** Copies a golden table and sets commit v's mtime to `mtimeOf(v)`; checkpoints get their commit's time. */
async function copyWithMtimes(name: string, dir: string, mtimeOf: (version: number) => number): Promise<Engine> {
  const table = goldenTables().find((t) => t.name === name)
  if (table === undefined) throw new Error(`no golden table ${name}`)
  const root = join(dir, name)
  await cp(goldenTableDir(table), root, { recursive: true })
  for (const file of await readdir(join(root, '_delta_log'))) {
    const match = /^(\d{20})\./.exec(file)
    if (match === null) continue
    const when = new Date(mtimeOf(Number(match[1])))
    await utimes(join(root, '_delta_log', file), when, when)
  }
  return createEngine(new LocalStore(root))
}

describe('golden timestamp time travel', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-core-tt-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('opens the version committed at or before each instant (basic-with-inserts-deletes-checkpoint)', async () => {
    const engine = await copyWithMtimes('basic-with-inserts-deletes-checkpoint', dir, (v) => BASE + v * MINUTE)
    expect(await versionAtTimestamp(engine, BASE)).toBe(0)
    expect(await versionAtTimestamp(engine, BASE + 5 * MINUTE + 30_000)).toBe(5)
    const snapshot = await loadSnapshot(engine, { timestamp: new Date(BASE + 11 * MINUTE).toISOString() })
    expect([snapshot.version, snapshot.timestamp]).toEqual([11, BASE + 11 * MINUTE])
    expect(snapshot.segment.checkpoint?.version).toBe(10)
  })

  it('fails outside the committed range with the range in the message', async () => {
    const engine = await copyWithMtimes('time-travel-schema-changes-b', dir, (v) => BASE + v * MINUTE)
    const before = versionAtTimestamp(engine, BASE - 1)
    await expect(before).rejects.toMatchObject({ code: 'TimestampOutOfRange' })
    await expect(versionAtTimestamp(engine, BASE - 1)).rejects.toThrow('2024-01-01T00:00:00.000Z')
    await expect(versionAtTimestamp(engine, BASE + 2 * MINUTE)).rejects.toMatchObject({ code: 'TimestampOutOfRange' })
  })

  it('monotonizes modification times that go backwards', async () => {
    // v0 at +10min, v1 at +5min: v1 counts as +10min+1ms.
    const engine = await copyWithMtimes('time-travel-partition-changes-b', dir, (v) => BASE + (v === 0 ? 10 : 5) * MINUTE)
    expect(await versionAtTimestamp(engine, BASE + 10 * MINUTE)).toBe(0)
    expect(await versionAtTimestamp(engine, BASE + 10 * MINUTE + 1)).toBe(1)
    const history = await readHistory(engine)
    expect(history.map((h) => [h.version, h.timestamp])).toEqual([
      [1, BASE + 10 * MINUTE + 1],
      [0, BASE + 10 * MINUTE],
    ])
  })
})
