// Checkpoint: writes a checkpoint of the latest version on demand (the `lake checkpoint` command),
// the same checkpoint the post-commit hook writes every `delta.checkpointInterval` commits.
//
//   const table = await DeltaTable.open('s3://lake/events')
//   const { version, path } = await table.checkpoint()   // _delta_log/<version>.checkpoint.parquet

import type { Engine } from '../../engine.js'
import { writeCheckpoint } from '../../commit/write-checkpoint.js'
import type { CheckpointResult } from '../../commit/write-checkpoint.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'

/** Options of `checkpoint`. */
export interface CheckpointOptions {
  readonly signal?: AbortSignal
  /** The latest snapshot when the caller already holds it (`DeltaTable` passes its own), so the log is not read again; loaded when absent. */
  readonly snapshot?: Snapshot
}

/**
 * Writes a classic checkpoint of the latest version and updates `_last_checkpoint`.
 * @throws WriteError `UnsupportedFeature` on v2Checkpoint tables; TableError `TableNotFound`.
 */
export async function checkpoint(engine: Engine, options: CheckpointOptions = {}): Promise<CheckpointResult> {
  const snapshot = options.snapshot ?? (await loadSnapshot(engine, options.signal === undefined ? {} : { signal: options.signal }))
  return writeCheckpoint(engine, snapshot, options.signal)
}
