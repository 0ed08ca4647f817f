// Post-commit hooks: a checkpoint every `delta.checkpointInterval` commits, then `_last_checkpoint`.
// Best-effort (PROTOCOL.md#Checkpoints): a failure here never fails the commit it follows.

import type { Engine } from '../engine.js'
import { writeCheckpoint } from './write-checkpoint.js'
import { loadSnapshot } from '../snapshot/load-snapshot.js'

/**
 * Runs after a successful commit of `version`. Writes a checkpoint when the table's checkpoint
 * interval divides the version. Errors are swallowed: the commit is durable without it, and the
 * next interval will try again.
 */
export async function runPostCommitHooks(engine: Engine, version: number, signal?: AbortSignal): Promise<void> {
  if (version === 0) return
  try {
    const snapshot = await loadSnapshot(engine, { version, ...(signal === undefined ? {} : { signal }) })
    if (version % snapshot.config.checkpointInterval !== 0) return
    await writeCheckpoint(engine, snapshot, signal)
  } catch {
    // Best-effort by protocol: readers never need a checkpoint, and a racing writer may win.
  }
}
