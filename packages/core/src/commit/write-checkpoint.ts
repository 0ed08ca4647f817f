// Writes a classic checkpoint of a snapshot and then `_last_checkpoint`. Racing writers of the same
// checkpoint write equivalent bytes, so a plain put (replace) is harmless (PROTOCOL.md#Checkpoints).

import { encodeCheckpoint } from '../checkpoint/encode-checkpoint.js'
import { planCheckpoint } from '../checkpoint/plan-checkpoint.js'
import { engineCodec } from '../engine.js'
import type { Engine } from '../engine.js'
import { readLastCheckpoint } from '../read/read-last-checkpoint.js'
import { LAST_CHECKPOINT_PATH, classicCheckpointPath } from '../log/log-path.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import { assertWritable } from '../features/index.js'
import { canWriteCheckpoint } from '../features/index.js'
import { WriteError } from '../errors.js'

/** What a checkpoint write produced. */
export interface CheckpointResult {
  readonly version: number
  readonly path: string
  readonly sizeInBytes: number
  readonly numActions: number
  readonly numOfAddFiles: number
}

/**
 * Writes `_delta_log/<version>.checkpoint.parquet` for `snapshot`, then `_last_checkpoint` unless it
 * already names this or a newer checkpoint.
 * Nothing is written for a table with a writer feature lake does not know, or whose actions carry
 * fields the checkpoint schema has no column for (they would be dropped).
 * @throws WriteError `UnsupportedFeature` for v2Checkpoint tables (lake writes classic checkpoints only).
 * @throws ProtocolError `UnsupportedFeature` for an unknown writer feature or an action field the
 * checkpoint cannot hold (`context.action`, `context.field`).
 */
export async function writeCheckpoint(engine: Engine, snapshot: Snapshot, signal?: AbortSignal): Promise<CheckpointResult> {
  assertWritable(snapshot, 'write a checkpoint')
  if (!canWriteCheckpoint(snapshot.protocol)) {
    throw new WriteError('UnsupportedFeature', 'cannot write a checkpoint: the table uses v2Checkpoint, and lake writes classic checkpoints only')
  }
  const plan = planCheckpoint(
    {
      protocol: snapshot.protocol,
      metadata: snapshot.metadata,
      files: snapshot.files(),
      tombstones: snapshot.tombstones(),
      txns: snapshot.appTransactions.values(),
      domainMetadata: snapshot.domainMetadata.values(),
    },
    {
      now: engine.now(),
      tombstoneRetentionMs: snapshot.config.deletedFileRetentionMs,
      ...(snapshot.config.setTransactionRetentionMs === undefined ? {} : { txnRetentionMs: snapshot.config.setTransactionRetentionMs }),
    },
  )
  const encoded = encodeCheckpoint(plan, snapshot.version, engineCodec(engine))
  const path = classicCheckpointPath(snapshot.version)
  await engine.store.put(path, encoded.bytes, { signal })
  // A hint that only moves forward: a slow writer of an older checkpoint must not hide a newer one.
  const hint = await readLastCheckpoint(engine, signal).catch(() => undefined)
  if (hint === undefined || hint.version < snapshot.version) {
    await engine.store.put(LAST_CHECKPOINT_PATH, new TextEncoder().encode(encoded.lastCheckpoint), { signal })
  }
  return { version: snapshot.version, path, sizeInBytes: encoded.bytes.byteLength, numActions: plan.size, numOfAddFiles: plan.numOfAddFiles }
}
