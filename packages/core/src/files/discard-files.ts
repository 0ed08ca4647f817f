// Deleting the data files of a write that did not commit, so a failed write leaves no orphans
// (and a failed first write nothing at the path). Best effort: vacuum removes what is left.

import { CommitAttemptsExhaustedError } from '../transaction/commit-attempts-exhausted-error.js'
import { CommitConflictError } from '../transaction/commit-conflict-error.js'
import { isLakeError } from '@lake/storage'
import type { AddFile } from '../actions/types.js'
import { decodeFilePath } from '../actions/file-path.js'
import type { Engine } from '../engine.js'

/** Deletes the files of `adds` (or `cdc` actions) from the table's store, ignoring failures. */
export async function discardAdds(engine: Engine, adds: readonly Pick<AddFile, 'path'>[]): Promise<void> {
  for (const add of adds) {
    try {
      await engine.store.delete(decodeFilePath(add.path))
    } catch {
      // Best effort: an orphan no commit references.
    }
  }
}

/**
 * True when `err`, thrown by a commit, proves nothing was committed (a conflict, attempts
 * exhausted, a refused table). After a storage error the commit may have landed: files stay.
 */
export function provesNotCommitted(err: unknown): boolean {
  if (err instanceof CommitConflictError || err instanceof CommitAttemptsExhaustedError) return true
  return isLakeError(err, 'TableExists') || isLakeError(err, 'UnsupportedFeature') || isLakeError(err, 'SchemaMismatch') || isLakeError(err, 'ConstraintViolation')
}
