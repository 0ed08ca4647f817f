// Removes a job's state directory (`_lake_ingest/<appId>/`) after a run that committed nothing of
// the job: a failed first run leaves nothing behind. State of a job with a batch in the table stays.

import { rm, rmdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { tryLoadSnapshot } from '@lake/core/internal'
import type { Engine } from '@lake/core'
import { LocalStore } from '@lake/storage'

/**
 * Deletes everything under `prefix` of the table's store when the table holds no txn of `appId`
 * (best effort; on a local store the `_lake_ingest/` directory goes too when it is left empty).
 */
export async function removeUnusedState(engine: Engine, prefix: string, appId: string): Promise<void> {
  try {
    const snapshot = await tryLoadSnapshot(engine)
    if (snapshot?.txnVersion(appId) !== undefined) return
    const store = engine.store
    if (store instanceof LocalStore) {
      const dir = join(store.root, ...prefix.split('/').filter((s) => s !== ''))
      await rm(dir, { recursive: true, force: true })
      await removeEmptyParents(dirname(dir), store.root)
      return
    }
    const keys: string[] = []
    for await (const meta of store.list(prefix)) keys.push(meta.path)
    for (const key of keys) await store.delete(key)
  } catch {
    // Best effort: a leftover state directory is refused by nothing and reused by the next run.
  }
}

/** Removes `dir` and its parents below `root` while they are empty. */
async function removeEmptyParents(dir: string, root: string): Promise<void> {
  for (let current = dir; current.startsWith(root) && current !== root; current = dirname(current)) {
    try {
      await rmdir(current)
    } catch {
      return
    }
  }
}
