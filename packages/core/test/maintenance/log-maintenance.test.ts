// checkpoint and cleanupLog / planLogCleanup: on-demand checkpoints, and expired log removal that
// keeps the newest checkpoint at or before the cutoff and everything after it.

import { describe, expect, it } from 'vitest'
import { checkpoint, cleanupLog, parseLogPath, planLogCleanup } from '../../src/internal.js'
import type { LogEntry } from '../../src/internal.js'
import { ClockTable, DAY_MS, EVENTS, ids } from './helpers.js'

const v = (n: number): string => n.toString().padStart(20, '0')
function entry(name: string, lastModified: number): LogEntry {
  const path = parseLogPath(name)
  if (path === undefined) throw new Error(`bad name ${name}`)
  return { path, meta: { path: `_delta_log/${name}`, lastModified, size: 1 } }
}

describe('planLogCleanup', () => {
  const now = 100 * DAY_MS + 5000
  const entries = [
    entry(`${v(0)}.json`, 1 * DAY_MS),
    entry(`${v(0)}.crc`, 1 * DAY_MS),
    entry(`${v(1)}.json`, 2 * DAY_MS),
    entry(`${v(2)}.json`, 3 * DAY_MS),
    entry(`${v(2)}.checkpoint.parquet`, 3 * DAY_MS),
    entry(`${v(3)}.json`, 4 * DAY_MS),
    entry(`${v(4)}.json`, 80 * DAY_MS),
    entry(`${v(4)}.checkpoint.parquet`, 80 * DAY_MS),
    entry(`${v(5)}.json`, 81 * DAY_MS),
  ]

  it('deletes everything before the newest checkpoint at or before the cutoff', () => {
    const plan = planLogCleanup({ entries, now, logRetentionMs: 30 * DAY_MS })
    expect(plan.cutoff).toBe(70 * DAY_MS)
    expect(plan.checkpointVersion).toBe(2)
    expect(plan.files.map((f) => f.path.slice(11))).toEqual([`${v(0)}.json`, `${v(0)}.crc`, `${v(1)}.json`])
  })

  it('moves to a later checkpoint once it expires too', () => {
    const plan = planLogCleanup({ entries, now: now + 60 * DAY_MS, logRetentionMs: 30 * DAY_MS })
    expect(plan.checkpointVersion).toBe(4)
    expect(plan.files).toHaveLength(6)
  })

  it('deletes nothing when no checkpoint is old enough', () => {
    const plan = planLogCleanup({ entries, now: 20 * DAY_MS, logRetentionMs: 30 * DAY_MS })
    expect(plan.checkpointVersion).toBeUndefined()
    expect(plan.files).toEqual([])
  })
})

describe('checkpoint and cleanupLog', () => {
  it('writes a checkpoint of the latest version and _last_checkpoint', async () => {
    const t = new ClockTable()
    await t.write([{ id: 1n, day: 'a' }], { schema: EVENTS })
    await t.write([{ id: 2n, day: 'a' }])
    const result = await checkpoint(t.engine)
    expect(result).toMatchObject({ version: 1, numOfAddFiles: 2 })
    expect(await t.keys()).toEqual(expect.arrayContaining([`_delta_log/${v(1)}.checkpoint.parquet`, '_delta_log/_last_checkpoint']))
  })

  it('removes expired commits and the table stays readable at the latest version', async () => {
    const t = new ClockTable()
    await t.write([{ id: 1n, day: 'a' }], { schema: EVENTS })
    await t.write([{ id: 2n, day: 'a' }])
    await checkpoint(t.engine)
    t.now += 40 * DAY_MS
    await t.write([{ id: 3n, day: 'a' }])
    const dry = await cleanupLog(t.engine, { dryRun: true })
    expect(dry.files.map((f) => f.path)).toEqual([`_delta_log/${v(0)}.json`])
    expect(await t.keys()).toContain(`_delta_log/${v(0)}.json`)
    const result = await cleanupLog(t.engine)
    expect(result.checkpointVersion).toBe(1)
    expect(await t.keys()).not.toContain(`_delta_log/${v(0)}.json`)
    expect(ids(await t.rows())).toEqual([1, 2, 3])
    await expect(t.snapshot(0)).rejects.toMatchObject({ code: 'VersionNotFound' })
  })

  it('keeps the whole log of a table without a checkpoint', async () => {
    const t = new ClockTable()
    await t.write([{ id: 1n, day: 'a' }], { schema: EVENTS })
    t.now += 400 * DAY_MS
    await t.write([{ id: 2n, day: 'a' }])
    expect((await cleanupLog(t.engine)).files).toEqual([])
  })
})
