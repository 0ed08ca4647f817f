// Post-commit hooks: a checkpoint every `delta.checkpointInterval` commits, then `_last_checkpoint`.
// Best-effort (PROTOCOL.md#Checkpoints): a failure here never fails the commit it follows.

import type { Engine } from '../engine.js'
import { writeCheckpoint } from './write-checkpoint.js'
import { loadSnapshot } from '../snapshot/load-snapshot.js'

/** Options of `runPostCommitHooks`. */
export interface PostCommitOptions {
  /** The table's checkpoint interval when the caller knows it; saves loading the snapshot on commits that need no checkpoint. */
  readonly checkpointInterval?: number | undefined
  readonly signal?: AbortSignal | undefined
}

/**
 * Runs after a successful commit of `version`. Writes a checkpoint when the table's checkpoint
 * interval divides the version. Errors are swallowed: the commit is durable without it, and the
 * next interval will try again. Two writers checkpointing the same version is harmless: both write
 * equivalent bytes with a plain `put`, and readers never need a checkpoint.
 */
export async function runPostCommitHooks(engine: Engine, version: number, options: PostCommitOptions = {}): Promise<void> {
  const { checkpointInterval, signal } = options
  if (version === 0) return
  if (checkpointInterval !== undefined && version % checkpointInterval !== 0) return
  try {
    const snapshot = await loadSnapshot(engine, { version, ...(signal === undefined ? {} : { signal }) })
    if (version % snapshot.config.checkpointInterval !== 0) return
    await writeCheckpoint(engine, snapshot, signal)
  } catch {
    // Best-effort by protocol: readers never need a checkpoint, and a racing writer may win.
  }
}
