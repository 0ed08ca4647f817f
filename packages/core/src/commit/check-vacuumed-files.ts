// The I/O half of the vacuum race check: after a concurrent VACUUM ended, every file the
// transaction adds must still exist, or the commit would reference deleted data.

import { isLakeError, mapConcurrent } from '@lake/storage'
import { decodeFilePath } from '../actions/file-path.js'
import type { AddFile } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { CommitConflictError } from '../transaction/commit-conflict-error.js'

/** `head` requests in flight at once. */
const HEAD_CONCURRENCY = 8

/**
 * Checks with `head` that every one of `files` still exists after the vacuum that started at
 * version `vacuumVersion`. Read-only; safe to repeat.
 * @throws CommitConflictError `ConcurrentVacuum` naming the first missing file (`context.path`).
 * @throws StorageError for I/O failures other than a missing file.
 */
export async function checkVacuumedFiles(engine: Engine, files: readonly AddFile[], vacuumVersion: number, readVersion: number, signal?: AbortSignal): Promise<void> {
  const missing = await mapConcurrent(files, HEAD_CONCURRENCY, async (file) => {
    try {
      await engine.store.head(decodeFilePath(file.path), { signal })
      return undefined
    } catch (err) {
      if (isLakeError(err, 'NotFound')) return file.path
      throw err
    }
  })
  const path = missing.find((p) => p !== undefined)
  if (path === undefined) return
  throw new CommitConflictError(
    'ConcurrentVacuum',
    vacuumVersion,
    `concurrent VACUUM that started at version ${vacuumVersion} (this transaction read version ${readVersion}) deleted file '${path}', which this transaction wrote but had not committed`,
    { readVersion, path },
  )
}
