// readHistory: commitInfo newest first, limits, missing commitInfo, timestamps; readHistoryLog: where
// the history of a log cleaned up to a checkpoint starts.

import { describe, expect, it } from 'vitest'
import { createEngine, readHistory, readHistoryLog } from '../src/internal.js'
import { add, commitInfo, metadata, protocol } from './helpers/actions.js'
import { MemoryTable } from './helpers/memory-table.js'

async function table(): Promise<MemoryTable> {
  const t = new MemoryTable()
  await t.commit(0, [commitInfo({ operation: 'CREATE TABLE', isBlindAppend: true, engineInfo: 'lake/0.1' }), protocol(), metadata()], 1_000)
  await t.commit(1, [commitInfo({ operation: 'WRITE', operationParameters: { mode: 'Append' }, operationMetrics: { numFiles: '1' }, readVersion: 0, isolationLevel: 'Serializable', userMetadata: 'batch 1' }), add('a')], 3_000)
  await t.commit(2, [add('b')], 2_000)
  return t
}

describe('readHistory', () => {
  it('lists commits newest first with their commitInfo fields', async () => {
    const history = await readHistory(createEngine((await table()).store))
    expect(history.map((h) => h.version)).toEqual([2, 1, 0])
    expect(history[1]).toMatchObject({
      version: 1,
      timestamp: 3_000,
      operation: 'WRITE',
      operationParameters: { mode: 'Append' },
      operationMetrics: { numFiles: '1' },
      readVersion: 0,
      isolationLevel: 'Serializable',
      userMetadata: 'batch 1',
    })
    expect(history[2]).toMatchObject({ operation: 'CREATE TABLE', isBlindAppend: true, engineInfo: 'lake/0.1' })
  })

  it('tolerates a commit without commitInfo and keeps timestamps increasing', async () => {
    const [latest] = await readHistory(createEngine((await table()).store))
    expect(latest).toEqual({ version: 2, timestamp: 3_001 })
  })

  it('returns at most limit entries', async () => {
    const history = await readHistory(createEngine((await table()).store), { limit: 1 })
    expect(history.map((h) => h.version)).toEqual([2])
  })

  it('fails with TableNotFound on an empty store', async () => {
    await expect(readHistory(createEngine(new MemoryTable().store))).rejects.toMatchObject({ code: 'TableNotFound' })
  })
})

/** A table whose log was cleaned up to the checkpoint of version 2: commits 0 and 1 are gone, `kept` commits remain from 2 on. */
async function cleanedUp(kept: readonly number[]): Promise<MemoryTable> {
  const t = new MemoryTable()
  await t.checkpoint(2, [protocol(), metadata(), add('a'), add('b')])
  for (const v of kept) await t.commit(v, [commitInfo({ operation: 'WRITE', readVersion: v - 1 }), add(`f${v}`)], 10_000 + v)
  return t
}

describe('readHistoryLog', () => {
  it('on a whole log: history available from version 0, no start checkpoint', async () => {
    const log = await readHistoryLog(createEngine((await table()).store))
    expect(log.entries.map((h) => h.version)).toEqual([2, 1, 0])
    expect(log.availableFrom).toBe(0)
    expect(log.startCheckpoint).toBeUndefined()
  })

  it('on a log starting at a checkpoint: the kept commits, and the version history is available from', async () => {
    const log = await readHistoryLog(createEngine((await cleanedUp([2, 3, 4])).store), { limit: 2 })
    expect(log.entries.map((h) => [h.version, h.operation])).toEqual([[4, 'WRITE'], [3, 'WRITE']])
    expect(log).toMatchObject({ availableFrom: 2, startCheckpoint: 2 })
    expect((await readHistory(createEngine((await cleanedUp([3])).store))).map((h) => h.version)).toEqual([3])
  })

  it('on a log that is only a checkpoint: no entries, history available from the version after it', async () => {
    const log = await readHistoryLog(createEngine((await cleanedUp([])).store))
    expect(log).toEqual({ entries: [], availableFrom: 3, startCheckpoint: 2 })
  })
})
