// Writes a checkpoint of the latest version on demand (the `lake checkpoint` command), the same
// checkpoint the post-commit hook writes every `delta.checkpointInterval` commits.

import type { Engine } from '../../engine.js'
import { writeCheckpoint } from '../../commit/write-checkpoint.js'
import type { CheckpointResult } from '../../commit/write-checkpoint.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'

/**
 * Writes a classic checkpoint of the latest version and updates `_last_checkpoint`.
 * @throws WriteError `UnsupportedFeature` on v2Checkpoint tables; TableError `TableNotFound`.
 */
export async function checkpoint(engine: Engine, options: { readonly signal?: AbortSignal } = {}): Promise<CheckpointResult> {
  const snapshot = await loadSnapshot(engine, options.signal === undefined ? {} : { signal: options.signal })
  return writeCheckpoint(engine, snapshot, options.signal)
}
