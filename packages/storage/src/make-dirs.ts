// A recursive mkdir that always ends: Node's own `mkdir(dir, { recursive: true })` loops forever
// on a parent that exists but refuses new entries with ENOENT (e.g. under /proc).

import { promises as fs } from 'node:fs'
import { dirname } from 'node:path'
import { StorageError } from './errors.js'
import { errnoOf } from './to-storage-error.js'

/**
 * Creates `dir` and its missing parents, one level at a time (each level tried at most twice).
 * @throws StorageError `InvalidPath` when a parent exists but refuses the directory (ENOENT);
 *   otherwise the file system's error (`EEXIST`/`ENOTDIR` when a file is in the way, `EACCES`, ...).
 */
export async function makeDirs(dir: string): Promise<void> {
  // Most writes go to a directory that exists (a table's root, its log): one stat, and no error made and thrown.
  if (await isDir(dir)) return
  try {
    await fs.mkdir(dir)
    return
  } catch (err) {
    const errno = errnoOf(err)
    if (errno === 'EEXIST' && (await isDir(dir))) return
    const parent = dirname(dir)
    if (errno !== 'ENOENT' || parent === dir) throw err
    await makeDirs(parent)
  }
  try {
    await fs.mkdir(dir)
  } catch (err) {
    // A concurrent creator made it between the two attempts.
    if (errnoOf(err) === 'EEXIST' && (await isDir(dir))) return
    if (errnoOf(err) !== 'ENOENT') throw err
    throw new StorageError('InvalidPath', `mkdir '${dir}': expected to create the directory in its existing parent, found the file system refuses new entries there (ENOENT)`, {
      context: { method: 'mkdir', path: dir },
      cause: err,
    })
  }
}

async function isDir(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory()
  } catch {
    return false
  }
}
