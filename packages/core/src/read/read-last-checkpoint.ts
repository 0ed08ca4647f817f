// Reads the `_last_checkpoint` hint (PROTOCOL.md#Last Checkpoint File) through the Engine's store;
// a missing or corrupt hint is `undefined` (parsing: log/last-checkpoint.ts).

import { isLakeError } from '@lake/storage'
import type { Engine } from '../engine.js'
import { parseLastCheckpoint } from '../log/last-checkpoint.js'
import type { LastCheckpointHint } from '../log/last-checkpoint.js'
import { LAST_CHECKPOINT_PATH } from '../log/log-path.js'

/**
 * Reads the `_last_checkpoint` hint: one `get`.
 * @returns The hint, or `undefined` when it is missing or unreadable.
 * @throws StorageError for failures other than `NotFound` (permissions, network).
 */
export async function readLastCheckpoint(engine: Engine, signal?: AbortSignal): Promise<LastCheckpointHint | undefined> {
  try {
    return parseLastCheckpoint(await engine.store.get(LAST_CHECKPOINT_PATH, { signal }))
  } catch (err) {
    if (isLakeError(err, 'NotFound')) return undefined
    throw err
  }
}
