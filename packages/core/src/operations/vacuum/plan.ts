// VACUUM planning (protocol-notes §12, Spark VacuumCommand): which listed files are no longer
// referenced by the table and old enough to delete. Pure: the listing and the clock are inputs.

import type { ObjectMeta } from '@lake/storage'
import type { AddFile, DeletionVectorDescriptor, RemoveFile } from '../../actions/types.js'
import { decodeFilePath, isAbsolutePath } from '../../actions/file-path.js'
import { deletionVectorLocation } from '../../dv/descriptor.js'
import { storeKeyOfAbsolutePath } from '../../dv/descriptor.js'

/** Hidden directories VACUUM still cleans (Spark: change data and index files age out like data). */
const VISIBLE_UNDERSCORE_DIRS = new Set(['_change_data', '_delta_index'])

/** What `planVacuum` decides from. */
export interface VacuumInput {
  /** The live files of the latest version. */
  readonly files: readonly AddFile[]
  /** The tombstones of the latest version (removes not re-added). */
  readonly tombstones: readonly RemoveFile[]
  /** Every object under the table root (a recursive listing). */
  readonly listing: Iterable<ObjectMeta>
  /** Files modified before this instant (epoch ms) may be deleted; tombstones deleted at or after it protect their file. */
  readonly deleteBefore: number
  /** The store URL, to resolve absolute paths inside the table. */
  readonly storeUrl: string
}

/** The files VACUUM deletes, and what it looked at. */
export interface VacuumPlan {
  readonly files: readonly ObjectMeta[]
  readonly sizeInBytes: number
  /** Listed files that were candidates (not hidden, not `_delta_log`). */
  readonly filesConsidered: number
}

/**
 * Plans a VACUUM: a listed file is deleted when it is not hidden (no path segment starting with
 * `_` or `.`, except `_change_data`, `_delta_index` and `col=value` partition directories; so
 * `_delta_log` is never touched), not a live file or one of their deletion vectors, not held by an
 * unexpired tombstone (or its deletion vector), and last modified before `deleteBefore`.
 */
export function planVacuum(input: VacuumInput): VacuumPlan {
  const keep = protectedKeys(input)
  const files: ObjectMeta[] = []
  let considered = 0
  let size = 0
  for (const meta of input.listing) {
    if (isHiddenPath(meta.path)) continue
    considered++
    if (keep.has(meta.path) || meta.lastModified >= input.deleteBefore) continue
    files.push(meta)
    size += meta.size
  }
  return { files, sizeInBytes: size, filesConsidered: considered }
}

/**
 * True for keys VACUUM must not look at: any directory segment starting with `_` or `.` other
 * than a partition directory (`_x=1`) or `_change_data`/`_delta_index`, or a file name starting
 * with `_` or `.` (`_SUCCESS`, `.part-0.crc`, temp files).
 */
export function isHiddenPath(key: string): boolean {
  const segments = key.split('/')
  const name = segments.pop() ?? ''
  if (name.startsWith('_') || name.startsWith('.')) return true
  return segments.some((dir) => (dir.startsWith('_') || dir.startsWith('.')) && !dir.includes('=') && !VISIBLE_UNDERSCORE_DIRS.has(dir))
}

function protectedKeys(input: VacuumInput): Set<string> {
  const keys = new Set<string>()
  const addKey = (path: string): void => {
    const key = storeKey(path, input.storeUrl)
    if (key !== undefined) keys.add(key)
  }
  const addDv = (dv: DeletionVectorDescriptor | null | undefined): void => {
    if (dv == null) return
    const location = deletionVectorLocation(dv)
    if (location.kind !== 'file') return
    if (!location.isAbsolute) keys.add(location.path)
    else addKey(location.path)
  }
  for (const add of input.files) {
    addKey(add.path)
    addDv(add.deletionVector)
  }
  for (const remove of input.tombstones) {
    if ((remove.deletionTimestamp ?? 0) < input.deleteBefore) continue
    addKey(remove.path)
    addDv(remove.deletionVector)
  }
  return keys
}

/** The store key of an action path, or `undefined` for an absolute path outside the table. */
function storeKey(path: string, storeUrl: string): string | undefined {
  if (!isAbsolutePath(path)) return decodeFilePath(path)
  try {
    return storeKeyOfAbsolutePath(storeUrl, path)
  } catch {
    return undefined
  }
}
