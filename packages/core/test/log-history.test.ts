// readHistory: commitInfo newest first, limits, missing commitInfo, timestamps.

import { describe, expect, it } from 'vitest'
import { createEngine, readHistory } from '../src/internal.js'
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
