// Deleting the data files of a batch that was never committed: a failed first write leaves
// nothing at the path, a failed later write leaves no orphans (best effort; the table is unchanged).

import { CommitAttemptsExhaustedError, CommitConflictError } from '@lake/core'
import type { Engine } from '@lake/core'
import { isLakeError } from '@lake/storage'

/** Deletes `keys` from the table's store; failures are ignored (vacuum removes what is left). */
export async function discardFiles(engine: Engine, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return
  const store = engine.store
  try {
    if (store.deleteMany !== undefined) await store.deleteMany(keys)
    else for (const key of keys) await store.delete(key)
  } catch {
    // Best effort: the files are orphans no commit references.
  }
}

/**
 * True when `err`, thrown by a commit, proves that nothing was committed (a conflict, no attempts
 * left, a refused table or schema). A storage error may have hidden a commit that landed: its
 * files must stay.
 */
export function provesNothingCommitted(err: unknown): boolean {
  if (err instanceof CommitConflictError || err instanceof CommitAttemptsExhaustedError) return true
  return isLakeError(err, 'TableExists') || isLakeError(err, 'UnsupportedFeature') || isLakeError(err, 'SchemaMismatch') || isLakeError(err, 'InvalidArgument') || isLakeError(err, 'ConstraintViolation')
}
