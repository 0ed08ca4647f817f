// After a failed first write to a local path: the directories the attempt created (the table
// root, partition directories) are removed when empty, so nothing is left where no table was.

import { readdir, rmdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Engine } from '@lake/core'
import { LocalStore } from '@lake/storage'

/**
 * Notes whether the local table root exists now; the returned function removes the empty
 * directories under it (and the root itself when it did not exist before). Never removes a file.
 */
export async function emptyDirsCleanup(engine: Engine): Promise<() => Promise<void>> {
  const store = engine.store
  if (!(store instanceof LocalStore)) return async () => undefined
  const existed = await stat(store.root).then(() => true, () => false)
  return async () => {
    const entries = await readdir(store.root, { withFileTypes: true }).catch(() => [])
    for (const entry of entries) if (entry.isDirectory()) await removeIfEmpty(join(store.root, entry.name))
    if (!existed) await removeIfEmpty(store.root)
  }
}

/** Removes `dir` when, after removing its empty subdirectories, it holds nothing. */
async function removeIfEmpty(dir: string): Promise<boolean> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return false
  }
  let empty = true
  for (const entry of entries) {
    if (!entry.isDirectory() || !(await removeIfEmpty(join(dir, entry.name)))) empty = false
  }
  if (!empty) return false
  try {
    await rmdir(dir)
    return true
  } catch {
    return false
  }
}
