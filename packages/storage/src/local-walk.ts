// The sorted, lazy directory walk behind `LocalStore.list`: one directory listing in memory per level.
// Must yield files in byte order of their full UTF-8 key and skip temp files, directories and symlinked dirs.

import { promises as fs, type Dirent } from 'node:fs'
import { join } from 'node:path'
import { compareBytes } from './key-order.js'
import { throwIfAborted } from './errors.js'
import type { ObjectMeta } from './object-store.js'
import { errnoOf } from './to-storage-error.js'
import { TEMP_FILE_PATTERN } from './validate-key.js'

const encoder = new TextEncoder()

/** Where a walk starts and what it keeps. */
export interface WalkScope {
  /** Absolute directory to read. */
  readonly dir: string
  /** The key prefix of entries in `dir` ('' at the root, else ending in '/'). */
  readonly keyPrefix: string
  /** Only entries whose name starts with this. */
  readonly namePrefix: string
  /** Only keys strictly greater than these UTF-8 bytes. */
  readonly startAfter: Uint8Array | undefined
  readonly signal: AbortSignal | undefined
}

interface Entry {
  readonly name: string
  readonly isDir: boolean
  /** The entry's key bytes; a directory's end in '/', so its subtree sorts exactly there. */
  readonly sortKey: Uint8Array
}

/**
 * Yields every file under `scope.dir` as `ObjectMeta`, recursively, sorted by key bytes.
 * A missing directory yields nothing. Files deleted during the walk are skipped.
 */
export async function* walkSorted(scope: WalkScope): AsyncGenerator<ObjectMeta> {
  const entries = await readEntries(scope)
  for (const entry of entries) {
    throwIfAborted(scope.signal, 'list')
    const relation = relationTo(entry.sortKey, scope.startAfter)
    if (entry.isDir) {
      if (relation === 'before') continue
      const keyPrefix = `${scope.keyPrefix}${entry.name}/`
      const startAfter = relation === 'after' ? undefined : scope.startAfter
      yield* walkSorted({ ...scope, dir: join(scope.dir, entry.name), keyPrefix, namePrefix: '', startAfter })
    } else if (relation === 'after') {
      const meta = await statFile(join(scope.dir, entry.name), `${scope.keyPrefix}${entry.name}`)
      if (meta !== undefined) yield meta
    }
  }
}

/**
 * How every key starting with `sortKey` relates to `startAfter`: all after it, all at or before it,
 * or 'inside' when `startAfter` itself starts with `sortKey` (a directory to descend into).
 */
function relationTo(sortKey: Uint8Array, startAfter: Uint8Array | undefined): 'after' | 'before' | 'inside' {
  if (startAfter === undefined) return 'after'
  const isPrefix =
    startAfter.length > sortKey.length && compareBytes(startAfter.subarray(0, sortKey.length), sortKey) === 0
  if (isPrefix) return 'inside'
  return compareBytes(sortKey, startAfter) > 0 ? 'after' : 'before'
}

async function readEntries(scope: WalkScope): Promise<Entry[]> {
  let dirents: Dirent[]
  try {
    dirents = await fs.readdir(scope.dir, { withFileTypes: true })
  } catch (err) {
    const errno = errnoOf(err)
    if (errno === 'ENOENT' || errno === 'ENOTDIR') return []
    throw err
  }
  const entries: Entry[] = []
  for (const dirent of dirents) {
    if (!dirent.name.startsWith(scope.namePrefix)) continue
    const isDir = await isDirectory(scope.dir, dirent)
    if (isDir === undefined || (!isDir && TEMP_FILE_PATTERN.test(dirent.name))) continue
    const key = `${scope.keyPrefix}${dirent.name}${isDir ? '/' : ''}`
    entries.push({ name: dirent.name, isDir, sortKey: encoder.encode(key) })
  }
  return entries.sort((a, b) => compareBytes(a.sortKey, b.sortKey))
}

/** True for a directory, false for a file, undefined for anything else (symlinked dirs: no cycles). */
async function isDirectory(dir: string, dirent: Dirent): Promise<boolean | undefined> {
  if (dirent.isDirectory()) return true
  if (dirent.isFile()) return false
  if (!dirent.isSymbolicLink()) return undefined
  try {
    return (await fs.stat(join(dir, dirent.name))).isFile() ? false : undefined
  } catch {
    return undefined
  }
}

/** The `ObjectMeta` of a file: size and whole-millisecond modification time. */
export function metaFromStat(key: string, stat: { readonly size: number; readonly mtimeMs: number }): ObjectMeta {
  return { path: key, size: stat.size, lastModified: Math.floor(stat.mtimeMs) }
}

async function statFile(file: string, key: string): Promise<ObjectMeta | undefined> {
  try {
    const stat = await fs.stat(file)
    return stat.isFile() ? metaFromStat(key, stat) : undefined
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return undefined
    throw err
  }
}
