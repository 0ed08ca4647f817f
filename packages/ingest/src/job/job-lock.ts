// Local fencing of a second runner of the same job on one machine: a proper-lockfile lock on
// the job state directory when it lives on the local filesystem. Remote stores rely on the txn.

import { join } from 'node:path'
import { lock } from 'proper-lockfile'
import { LocalStore, isLakeError, makeDirs, toStorageError } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { IngestError } from '../errors.js'

/** Default staleness of a lock whose holder died (proper-lockfile's minimum is 2 s). */
export const DEFAULT_LOCK_STALE_MS = 10_000 // 10 s

/** A held lock. `compromised` is set when the lock was lost (its holder must stop). */
export interface JobLock {
  readonly compromised: AbortSignal
  release(): Promise<void>
}

/**
 * Locks `<store root>/<prefix>` when `store` is a `LocalStore`, waiting up to about `staleMs`
 * for a dead holder's lock to go stale. Returns `undefined` for other stores.
 * @throws IngestError `CommitConflict` when a live runner holds the lock.
 */
export async function lockJob(store: ObjectStore, prefix: string, appId: string, staleMs: number = DEFAULT_LOCK_STALE_MS): Promise<JobLock | undefined> {
  if (!(store instanceof LocalStore)) return undefined
  const dir = join(store.root, ...prefix.split('/').filter((s) => s !== ''))
  try {
    await makeDirs(dir)
  } catch (err) {
    throw isLakeError(err) ? err : toStorageError(err, 'mkdir', dir)
  }
  const compromised = new AbortController()
  const retries = Math.ceil((staleMs * 1.5) / 500)
  try {
    const release = await lock(dir, {
      stale: staleMs,
      realpath: false,
      lockfilePath: join(dir, 'job.lock'),
      retries: { retries, factor: 1, minTimeout: 500, maxTimeout: 500 },
      onCompromised: (err) => compromised.abort(new IngestError('CommitConflict', `job '${appId}': lost the job lock: ${err.message}`, { cause: err })),
    })
    return {
      compromised: compromised.signal,
      release: async () => {
        if (!compromised.signal.aborted) await release().catch(() => undefined)
      },
    }
  } catch (cause) {
    throw new IngestError('CommitConflict', `job '${appId}' is locked by another runner (lock ${join(dir, 'job.lock')}); Help: stop the other runner, or wait ${staleMs} ms after it died`, { cause, context: { appId } })
  }
}
