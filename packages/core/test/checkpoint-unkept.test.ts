// planCheckpoint refuses an action with a field the checkpoint schema has no column for, rather than
// drop it, and names the action (which kind, which app id, domain or file) and the field.

import { describe, expect, it } from 'vitest'
import type { AddFile, Metadata, Protocol } from '../src/actions/types.js'
import { planCheckpoint } from '../src/checkpoint/plan-checkpoint.js'
import type { CheckpointState } from '../src/checkpoint/plan-checkpoint.js'

const NOW = 1_700_000_000_000
const extra = { futureField: 1 }
const protocol: Protocol = { minReaderVersion: 1, minWriterVersion: 2 }
const metadata: Metadata = { id: 'm', format: { provider: 'parquet', options: {} }, schemaString: '{"type":"struct","fields":[]}', partitionColumns: [], configuration: {} }
const add: AddFile = { path: 'a.parquet', partitionValues: {}, size: 1, modificationTime: 1, dataChange: true }
const base: CheckpointState = { protocol, metadata, files: [], tombstones: [], txns: [], domainMetadata: [] }

describe('planCheckpoint refuses a field it cannot keep', () => {
  it.each<[string, string, CheckpointState]>([
    ['protocol', 'the protocol action', { ...base, protocol: { ...protocol, ...extra } }],
    ['metaData', 'the metaData action', { ...base, metadata: { ...metadata, ...extra } }],
    ['txn', "the txn action of app id 'app'", { ...base, txns: [{ appId: 'app', version: 1, ...extra }] }],
    ['domainMetadata', "the domainMetadata action of domain 'd'", { ...base, domainMetadata: [{ domain: 'd', configuration: '', removed: false, ...extra }] }],
    ['add', "the add action of file 'a.parquet'", { ...base, files: [{ ...add, ...extra }] }],
    ['remove', "the remove action of file 'r.parquet'", { ...base, tombstones: [{ path: 'r.parquet', dataChange: true, deletionTimestamp: NOW, ...extra }] }],
  ])('names %s: %s', (action, name, state) => {
    expect(() => planCheckpoint(state, { now: NOW, tombstoneRetentionMs: 1000 })).toThrow(
      expect.objectContaining({
        code: 'UnsupportedFeature',
        message:
          `cannot write a checkpoint: ${name} has field 'futureField', which the checkpoint schema has no column for; ` +
          'lake refuses rather than drop it (expected only fields of the Delta protocol lake implements)',
        context: { action, field: 'futureField' },
      }),
    )
  })
})
