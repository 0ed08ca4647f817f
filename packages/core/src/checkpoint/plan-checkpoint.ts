// Plans a classic checkpoint from reconciled table state: which actions it holds and as which
// rows (PROTOCOL.md#Checkpoints). Pure: the time is passed in; encoding happens elsewhere.

import type { Row, StructType } from '@lake/parquet'
import type { AddFile, DomainMetadata, Metadata, Protocol, RemoveFile, Txn } from '../actions/types.js'
import { addValue, checkpointRow, domainMetadataValue, metadataValue, protocolValue, removeValue, txnValue } from './action-rows.js'
import { CHECKPOINT_WRITE_SCHEMA } from './checkpoint-schema.js'
import { assertCheckpointKeeps } from './unkept-field.js'

/** The reconciled state of the table at the checkpoint version. */
export interface CheckpointState {
  readonly protocol: Protocol
  readonly metadata: Metadata
  /** Live files. */
  readonly files: Iterable<AddFile>
  /** Removed files not re-added. */
  readonly tombstones: Iterable<RemoveFile>
  /** Latest txn per app id. */
  readonly txns: Iterable<Txn>
  /** Live (non-removed) domain metadata. */
  readonly domainMetadata: Iterable<DomainMetadata>
}

/** Options of `planCheckpoint`. */
export interface CheckpointPlanOptions {
  /** Current time in ms (`engine.now()`). */
  readonly now: number
  /** Tombstones deleted more than this long ago are dropped (`delta.deletedFileRetentionDuration`, default 1 week). */
  readonly tombstoneRetentionMs: number
  /** When set, txns with `lastUpdated` older than this are dropped (`delta.setTransactionRetentionDuration`). */
  readonly txnRetentionMs?: number
}

/** The rows of a checkpoint, its schema, and the counts `_last_checkpoint` records. */
export interface CheckpointPlan {
  readonly rows: readonly Row[]
  readonly schema: StructType
  /** Number of actions (rows): `_last_checkpoint.size`. */
  readonly size: number
  readonly numOfAddFiles: number
}

/**
 * One row per action: protocol, metaData, txns, domain metadata, live adds, unexpired tombstones.
 * Tombstones with `deletionTimestamp` at or before `now - tombstoneRetentionMs` (or without one)
 * are dropped, as Spark does; removes lose stats and tags; adds and removes get `dataChange=false`;
 * domain metadata marked removed is dropped; commitInfo and cdc never appear. An action with a
 * field the checkpoint schema has no column for is refused, never silently dropped.
 * @throws ProtocolError `UnsupportedFeature` naming the action and the field (see `assertCheckpointKeeps`).
 */
export function planCheckpoint(state: CheckpointState, options: CheckpointPlanOptions): CheckpointPlan {
  assertCheckpointKeeps('protocol', state.protocol, 'the protocol action')
  assertCheckpointKeeps('metaData', state.metadata, 'the metaData action')
  const rows: Row[] = [checkpointRow('protocol', protocolValue(state.protocol)), checkpointRow('metaData', metadataValue(state.metadata))]
  const txnCutoff = options.txnRetentionMs === undefined ? undefined : options.now - options.txnRetentionMs
  for (const t of state.txns) {
    const expired = txnCutoff !== undefined && t.lastUpdated !== null && t.lastUpdated !== undefined && t.lastUpdated <= txnCutoff
    if (expired) continue
    assertCheckpointKeeps('txn', t, `the txn action of app id '${t.appId}'`)
    rows.push(checkpointRow('txn', txnValue(t)))
  }
  for (const d of state.domainMetadata) {
    if (d.removed) continue
    assertCheckpointKeeps('domainMetadata', d, `the domainMetadata action of domain '${d.domain}'`)
    rows.push(checkpointRow('domainMetadata', domainMetadataValue(d)))
  }
  let numOfAddFiles = 0
  for (const a of state.files) {
    assertCheckpointKeeps('add', a, `the add action of file '${a.path}'`)
    rows.push(checkpointRow('add', addValue(a)))
    numOfAddFiles++
  }
  const tombstoneCutoff = options.now - options.tombstoneRetentionMs
  for (const r of state.tombstones) {
    if ((r.deletionTimestamp ?? 0) <= tombstoneCutoff) continue
    assertCheckpointKeeps('remove', r, `the remove action of file '${r.path}'`)
    rows.push(checkpointRow('remove', removeValue(r)))
  }
  return { rows, schema: CHECKPOINT_WRITE_SCHEMA, size: rows.length, numOfAddFiles }
}
