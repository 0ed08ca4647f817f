// planCheckpoint's retention boundaries: a tombstone or txn exactly at the cutoff is dropped, one a
// millisecond younger is kept; a txn with no lastUpdated is never expired; removed domains never appear.

import { describe, expect, it } from 'vitest'
import type { Metadata, Protocol, RemoveFile, Txn } from '../src/actions/types.js'
import { planCheckpoint } from '../src/checkpoint/plan-checkpoint.js'
import type { CheckpointState } from '../src/checkpoint/plan-checkpoint.js'

const NOW = 1_700_000_000_000
const protocol: Protocol = { minReaderVersion: 1, minWriterVersion: 2 }
const metadata: Metadata = { id: 'm', format: { provider: 'parquet', options: {} }, schemaString: '{"type":"struct","fields":[]}', partitionColumns: [], configuration: {} }
const remove = (path: string, deletionTimestamp?: number): RemoveFile => ({ path, dataChange: true, ...(deletionTimestamp === undefined ? {} : { deletionTimestamp }) })
const base: CheckpointState = { protocol, metadata, files: [], tombstones: [], txns: [], domainMetadata: [] }

const removed = (rows: readonly Record<string, unknown>[]): unknown[] => rows.flatMap((r) => (r['remove'] === null ? [] : [(r['remove'] as { path: string }).path]))
const apps = (rows: readonly Record<string, unknown>[]): unknown[] => rows.flatMap((r) => (r['txn'] === null ? [] : [(r['txn'] as { appId: string }).appId]))

describe('planCheckpoint retention', () => {
  it('drops a tombstone deleted exactly at the cutoff and keeps one deleted a millisecond later', () => {
    const state = { ...base, tombstones: [remove('at', NOW - 1000), remove('after', NOW - 999), remove('before', NOW - 1001), remove('none')] }
    expect(removed(planCheckpoint(state, { now: NOW, tombstoneRetentionMs: 1000 }).rows)).toEqual(['after'])
  })

  it('drops a txn updated exactly at the cutoff, keeps a younger one and one never updated', () => {
    const txns: Txn[] = [
      { appId: 'at', version: 1, lastUpdated: NOW - 1000 },
      { appId: 'after', version: 1, lastUpdated: NOW - 999 },
      { appId: 'never', version: 1 },
      { appId: 'null', version: 1, lastUpdated: null as unknown as undefined },
    ]
    const plan = planCheckpoint({ ...base, txns }, { now: NOW, tombstoneRetentionMs: 0, txnRetentionMs: 1000 })
    expect(apps(plan.rows)).toEqual(['after', 'never', 'null'])
    expect(plan.size).toBe(5)
    expect(plan.numOfAddFiles).toBe(0)
  })

  it('keeps every txn without a txn retention', () => {
    const txns: Txn[] = [{ appId: 'old', version: 1, lastUpdated: 0 }]
    expect(apps(planCheckpoint({ ...base, txns }, { now: NOW, tombstoneRetentionMs: 0 }).rows)).toEqual(['old'])
  })

  it('counts rows and adds, protocol and metadata first', () => {
    const files = [{ path: 'a', partitionValues: {}, size: 1, modificationTime: 0, dataChange: true }]
    const plan = planCheckpoint({ ...base, files, domainMetadata: [{ domain: 'd', configuration: '', removed: true }] }, { now: NOW, tombstoneRetentionMs: 0 })
    expect(plan.rows.map((r) => Object.keys(r).find((k) => r[k] !== null))).toEqual(['protocol', 'metaData', 'add'])
    expect(plan).toMatchObject({ size: 3, numOfAddFiles: 1 })
  })
})
