// Leftover temp files of a LocalStore: a write killed between creating its `.lake-<hex>.tmp` file
// and renaming it into place leaves the temp file behind. They are never listed as objects; this
// walk finds (and removes) those older than a cutoff, in every directory under the root.

import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { throwIfAborted } from './errors.js'
import { metaFromStat } from './local-walk.js'
import type { ObjectMeta } from './object-store.js'
import { errnoOf, toStorageError } from './to-storage-error.js'
import { TEMP_FILE_PATTERN } from './validate-key.js'

/** Options of `removeStaleTempFiles`. */
export interface StaleTempOptions {
  /** Only report the files (default false). */
  readonly dryRun?: boolean
  readonly signal?: AbortSignal
}

/**
 * Finds every temp file under `root` (hidden directories included, symlinks not followed) last
 * modified before `before` (epoch ms) and, unless `dryRun`, deletes it. Keys in the result are
 * relative to `root`. A file that vanishes meanwhile is skipped.
 * @throws StorageError for I/O failures other than a vanished file or directory.
 */
export async function removeStaleTempFiles(root: string, before: number, options: StaleTempOptions = {}): Promise<ObjectMeta[]> {
  const found: ObjectMeta[] = []
  const walk = async (dir: string, keyPrefix: string): Promise<void> => {
    throwIfAborted(options.signal, 'removeStaleTemp')
    const dirents = await fs.readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return []
      throw toStorageError(err, 'removeStaleTemp', keyPrefix)
    })
    for (const dirent of dirents) {
      if (dirent.isDirectory()) await walk(join(dir, dirent.name), `${keyPrefix}${dirent.name}/`)
      else if (dirent.isFile() && TEMP_FILE_PATTERN.test(dirent.name)) {
        const meta = await staleMeta(join(dir, dirent.name), `${keyPrefix}${dirent.name}`, before, options.dryRun === true)
        if (meta !== undefined) found.push(meta)
      }
    }
  }
  await walk(root, '')
  return found
}

async function staleMeta(file: string, key: string, before: number, dryRun: boolean): Promise<ObjectMeta | undefined> {
  try {
    const meta = metaFromStat(key, await fs.stat(file))
    if (meta.lastModified >= before) return undefined
    if (!dryRun) await fs.rm(file, { force: true })
    return meta
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return undefined
    throw toStorageError(err, 'removeStaleTemp', key)
  }
}
