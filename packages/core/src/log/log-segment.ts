// Choosing the files that make up one table version from a log listing: the newest complete
// checkpoint at or below it plus the contiguous commits after it (PROTOCOL.md#Checkpoints). Pure.

import type { ObjectMeta } from '@lake/storage'
import { ProtocolError, TableError } from '../errors.js'
import type { LogPath } from './log-path.js'

/** One listed log file, classified. */
export interface LogEntry {
  readonly path: LogPath
  readonly meta: ObjectMeta
}

/** A complete checkpoint: every file of it (one, all parts of a multi-part set, or the V2 top file). */
export interface CheckpointRef {
  readonly version: number
  readonly format: 'classic' | 'multi-part' | 'v2'
  readonly files: readonly ObjectMeta[]
}

/** One commit file. */
export interface CommitRef {
  readonly version: number
  readonly meta: ObjectMeta
}

/** The files that reconstruct `version`: an optional checkpoint, then commits in ascending order. */
export interface LogSegment {
  readonly version: number
  readonly checkpoint?: CheckpointRef
  /** Commits `checkpoint.version + 1 … version` (or `0 … version`), ascending, contiguous. */
  readonly commits: readonly CommitRef[]
}

/** The versions of a table that can be reconstructed from its log. */
export interface VersionRange {
  readonly earliest: number
  readonly latest: number
}

/** Preference among complete checkpoints of one version: classic, then multi-part, then V2. */
const FORMAT_RANK: Readonly<Record<CheckpointRef['format'], number>> = { classic: 0, 'multi-part': 1, v2: 2 }

/**
 * The complete checkpoints in a listing, ascending by version, the preferred one per version.
 * A multi-part set counts only when all its parts are listed (PROTOCOL.md#Multi-part checkpoint).
 */
export function completeCheckpoints(entries: readonly LogEntry[]): CheckpointRef[] {
  const byVersion = new Map<number, CheckpointRef>()
  const multi = new Map<string, { version: number; parts: number; files: Map<number, ObjectMeta> }>()
  const offer = (ref: CheckpointRef): void => {
    const current = byVersion.get(ref.version)
    if (current === undefined || FORMAT_RANK[ref.format] < FORMAT_RANK[current.format]) byVersion.set(ref.version, ref)
  }
  for (const { path, meta } of entries) {
    if (path.kind !== 'checkpoint') continue
    if (path.format === 'multi-part') {
      const key = `${path.version}/${path.parts}`
      const set = multi.get(key) ?? { version: path.version, parts: path.parts, files: new Map() }
      set.files.set(path.part, meta)
      multi.set(key, set)
    } else {
      offer({ version: path.version, format: path.format, files: [meta] })
    }
  }
  for (const set of multi.values()) {
    if (set.files.size !== set.parts) continue
    const files = [...set.files.entries()].sort((a, b) => a[0] - b[0]).map(([, meta]) => meta)
    offer({ version: set.version, format: 'multi-part', files })
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version)
}

/** Commit files in a listing by version. */
export function commitsByVersion(entries: readonly LogEntry[]): Map<number, ObjectMeta> {
  const out = new Map<number, ObjectMeta>()
  for (const { path, meta } of entries) if (path.kind === 'commit') out.set(path.version, meta)
  return out
}

/**
 * The reconstructable range of a full listing: from commit 0 (or the earliest complete
 * checkpoint when early commits were cleaned up) to the newest commit or checkpoint.
 * @throws TableError `TableNotFound` when the listing holds no commit and no checkpoint.
 */
export function versionRange(entries: readonly LogEntry[], tableUrl: string): VersionRange {
  const commits = commitsByVersion(entries)
  const checkpoints = completeCheckpoints(entries)
  if (commits.size === 0 && checkpoints.length === 0) {
    throw new TableError('TableNotFound', `no Delta table at ${tableUrl}: expected commit or checkpoint files in _delta_log/, found none`, {
      context: { path: tableUrl },
    })
  }
  let latest = checkpoints.at(-1)?.version ?? 0
  let earliestCommit = Number.MAX_SAFE_INTEGER
  for (const v of commits.keys()) {
    latest = Math.max(latest, v)
    earliestCommit = Math.min(earliestCommit, v)
  }
  const earliest = commits.has(0) ? 0 : (checkpoints[0]?.version ?? earliestCommit)
  return { earliest, latest }
}

/**
 * True when `entries` (a listing that may start after version 0) has what `version` needs:
 * a complete checkpoint at or below it, or commit 0.
 */
export function canReconstruct(entries: readonly LogEntry[], version: number | undefined): boolean {
  const target = version ?? Number.MAX_SAFE_INTEGER
  if (completeCheckpoints(entries).some((c) => c.version <= target)) return true
  return commitsByVersion(entries).has(0)
}

/**
 * The segment that reconstructs `version` (default: the latest) from a listing.
 * @throws TableError `TableNotFound` for an empty log; `VersionNotFound` naming the available
 * range when `version` is outside it. ProtocolError `CorruptLog` when a commit after the
 * checkpoint is missing (versions not contiguous).
 */
export function buildLogSegment(entries: readonly LogEntry[], tableUrl: string, version?: number): LogSegment {
  const range = versionRange(entries, tableUrl)
  const target = version ?? range.latest
  if (!Number.isSafeInteger(target) || target < range.earliest || target > range.latest) {
    throw new TableError(
      'VersionNotFound',
      `version ${target} of ${tableUrl} cannot be read: expected a version in ${range.earliest}..${range.latest}`,
      { context: { version: target, earliest: range.earliest, latest: range.latest } },
    )
  }
  const checkpoint = completeCheckpoints(entries)
    .filter((c) => c.version <= target)
    .at(-1)
  const commits = commitsByVersion(entries)
  const out: CommitRef[] = []
  for (let v = checkpoint === undefined ? 0 : checkpoint.version + 1; v <= target; v++) {
    const meta = commits.get(v)
    if (meta === undefined) {
      throw new ProtocolError(
        'CorruptLog',
        `log of ${tableUrl} is not contiguous: expected commit ${v} to build version ${target}` +
          `${checkpoint === undefined ? '' : ` from the checkpoint at ${checkpoint.version}`}, found no such file`,
        { context: { version: v } },
      )
    }
    out.push({ version: v, meta })
  }
  return checkpoint === undefined ? { version: target, commits: out } : { version: target, checkpoint, commits: out }
}
