// findCommittedRange: the range a batch commit recorded in its commitInfo.userMetadata, found by
// walking the log back from the snapshot; anything that is not exactly this job's batch gives undefined.

import { createEngine, writeDelta } from '@lake/core'
import { loadSnapshot } from '@lake/core/internal'
import type { Engine, Snapshot } from '@lake/core'
import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { MAX_COMMITS_SCANNED, findCommittedRange } from '../src/job/committed-range.js'

const SCHEMA = { kind: 'struct' as const, fields: [{ name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: true, metadata: {} }] }
const meta = (appId: string, batchId: number, start: unknown, end: unknown): string => JSON.stringify({ lakeIngest: { appId, batchId, start, end } })

interface Commit {
  readonly txn?: { appId: string; version: number }
  readonly userMetadata?: string
}

async function tableOf(commits: readonly Commit[]): Promise<{ store: MemoryStore; engine: Engine; snapshot: Snapshot }> {
  const store = new MemoryStore()
  for (const c of commits) {
    await writeDelta(store, [{ id: 1n }], { schema: SCHEMA, mode: 'append', ...(c.txn === undefined ? {} : { txn: c.txn }), ...(c.userMetadata === undefined ? {} : { userMetadata: c.userMetadata }) })
  }
  const engine = createEngine(store)
  return { store, engine, snapshot: await loadSnapshot(engine) }
}

describe('findCommittedRange', () => {
  it('finds the range of the batch in the latest commit', async () => {
    const { engine, snapshot } = await tableOf([{ txn: { appId: 'job', version: 0 }, userMetadata: meta('job', 0, 0, 10) }])
    expect(await findCommittedRange(engine, snapshot, 'job', 0)).toEqual({ version: 0, start: 0, end: 10 })
  })

  it('walks back over commits of other writers and other apps', async () => {
    const { engine, snapshot } = await tableOf([
      {},
      { txn: { appId: 'job', version: 3 }, userMetadata: meta('job', 3, { f: 'a', o: 1 }, { f: 'a', o: 9 }) },
      { txn: { appId: 'other', version: 7 }, userMetadata: meta('other', 7, 0, 1) },
      {},
    ])
    expect(await findCommittedRange(engine, snapshot, 'job', 3)).toEqual({ version: 1, start: { f: 'a', o: 1 }, end: { f: 'a', o: 9 } })
  })

  it('looks only at txns of its own app id, even when another app committed an older batch id later', async () => {
    const { engine, snapshot } = await tableOf([
      { txn: { appId: 'job', version: 3 }, userMetadata: meta('job', 3, 0, 4) },
      { txn: { appId: 'other', version: 0 }, userMetadata: meta('other', 0, 0, 1) },
    ])
    expect(await findCommittedRange(engine, snapshot, 'job', 3)).toEqual({ version: 0, start: 0, end: 4 })
  })

  it('stops at an older batch of the same app', async () => {
    const { engine, snapshot } = await tableOf([
      { txn: { appId: 'job', version: 1 }, userMetadata: meta('job', 1, 0, 5) },
      { txn: { appId: 'job', version: 2 }, userMetadata: meta('job', 2, 5, 9) },
    ])
    expect(await findCommittedRange(engine, snapshot, 'job', 1)).toEqual({ version: 0, start: 0, end: 5 })
    const { engine: e2, snapshot: s2 } = await tableOf([{ txn: { appId: 'job', version: 1 }, userMetadata: meta('job', 1, 0, 5) }])
    expect(await findCommittedRange(e2, s2, 'job', 2)).toBeUndefined()
  })

  it.each<[string, string | undefined]>([
    ['no userMetadata', undefined],
    ['userMetadata that is not JSON', '{not json'],
    ['JSON that is not an object', '"text"'],
    ['JSON null', 'null'],
    ['no lakeIngest entry', JSON.stringify({ other: 1 })],
    ['a lakeIngest that is not an object', JSON.stringify({ lakeIngest: 'x' })],
    ['a lakeIngest of null', JSON.stringify({ lakeIngest: null })],
    ['another appId', meta('someone', 0, 0, 10)],
    ['another batchId', meta('job', 1, 0, 10)],
    ['a batchId as text', JSON.stringify({ lakeIngest: { appId: 'job', batchId: '0', start: 0, end: 1 } })],
    ['no start', JSON.stringify({ lakeIngest: { appId: 'job', batchId: 0, end: 1 } })],
    ['no end', JSON.stringify({ lakeIngest: { appId: 'job', batchId: 0, start: 0 } })],
  ])('gives undefined for a batch commit with %s', async (_label, userMetadata) => {
    const { engine, snapshot } = await tableOf([{ txn: { appId: 'job', version: 0 }, ...(userMetadata === undefined ? {} : { userMetadata }) }])
    expect(await findCommittedRange(engine, snapshot, 'job', 0)).toBeUndefined()
  })

  it('keeps a recorded null start or end', async () => {
    const { engine, snapshot } = await tableOf([{ txn: { appId: 'job', version: 0 }, userMetadata: meta('job', 0, null, null) }])
    expect(await findCommittedRange(engine, snapshot, 'job', 0)).toEqual({ version: 0, start: null, end: null })
  })

  it('gives undefined when the commit was cleaned up from the log, and rethrows other read errors', async () => {
    const { store, engine, snapshot } = await tableOf([{ txn: { appId: 'job', version: 0 }, userMetadata: meta('job', 0, 0, 1) }, {}])
    await store.delete('_delta_log/00000000000000000000.json')
    expect(await findCommittedRange(engine, snapshot, 'job', 0)).toBeUndefined()
    await store.put('_delta_log/00000000000000000001.json', new TextEncoder().encode('{not json\n'))
    await expect(findCommittedRange(engine, snapshot, 'job', 0)).rejects.toMatchObject({ code: 'CorruptLog' })
  })

  it(`searches at most ${MAX_COMMITS_SCANNED} commits back`, { timeout: 30_000 }, async () => {
    expect(MAX_COMMITS_SCANNED).toBe(100)
    const { store } = await tableOf([{ txn: { appId: 'job', version: 0 }, userMetadata: meta('job', 0, 0, 1) }])
    const emptyCommit = new TextEncoder().encode('{"commitInfo":{"operation":"WRITE"}}\n')
    const at = async (version: number): Promise<unknown> => {
      const engine = createEngine(store)
      return findCommittedRange(engine, await loadSnapshot(engine, { version }), 'job', 0)
    }
    for (let v = 1; v <= 100; v++) await store.put(`_delta_log/${String(v).padStart(20, '0')}.json`, emptyCommit)
    expect(await at(99)).toEqual({ version: 0, start: 0, end: 1 })
    expect(await at(100)).toBeUndefined()
  })
})
