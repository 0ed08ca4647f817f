// Reading a stream's source table: the commits after a version (listed once, read a few at a
// time), and the version a `startingTimestamp` starts at (Spark: the first commit at or after it).
//
//   for await (const commit of commitsFrom(engine, 12, { upTo: 40 })) planner.offerCommit(commit.version, commit.actions)

import { isLakeError, mapConcurrent } from '@lake/storage'
import type { Action } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import { TableError } from '../../errors.js'
import { listLog } from '../../read/list-log.js'
import { findCommitInfo, readCommit } from '../../read/read-commit.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import { toEpochMs, versionAtTimestamp } from '../../snapshot/version-at-timestamp.js'
import type { TimestampInput } from '../../snapshot/version-at-timestamp.js'

/** Commits read at once. */
const READ_WINDOW = 8

/** One source commit. */
export interface SourceCommit {
  readonly version: number
  readonly actions: readonly Action[]
  /** The commit timestamp in epoch ms: the in-commit timestamp, else the commit file's time. */
  readonly timestamp: number
  /** The latest version the listing saw. */
  readonly latest: number
}

/**
 * The commits `from`, `from + 1`, ... up to `upTo` (default: the latest listed), in order.
 * @throws TableError `VersionNotFound` when commit `from` is no longer in the log (cleaned up) while later ones are.
 */
export async function* commitsFrom(
  engine: Engine,
  from: number,
  options: { readonly upTo?: number; readonly signal?: AbortSignal } = {},
): AsyncGenerator<SourceCommit> {
  const { signal } = options
  const upTo = options.upTo ?? Number.POSITIVE_INFINITY
  const versions: number[] = []
  const fileTimes = new Map<number, number>()
  let latest = from - 1
  for (const entry of await listLog(engine, from, signal)) {
    if (entry.path.kind !== 'commit') continue
    latest = Math.max(latest, entry.path.version)
    if (entry.path.version <= upTo) versions.push(entry.path.version)
    fileTimes.set(entry.path.version, entry.meta.lastModified)
  }
  const first = versions[0]
  if (first !== undefined && first !== from) {
    throw new TableError('VersionNotFound', `the stream needs commit ${from} of ${engine.store.url}, found the log starting at ${first} (cleaned up); Help: restart the stream with a new checkpoint and a startingVersion the log still holds`, {
      context: { version: from, earliest: first },
    })
  }
  for (let at = 0; at < versions.length; at += READ_WINDOW) {
    const window = versions.slice(at, at + READ_WINDOW)
    const read = await mapConcurrent(window, READ_WINDOW, (v) => readCommit(engine, v, signal))
    for (let i = 0; i < window.length; i++) {
      const version = window[i] as number
      const actions = read[i] ?? []
      const ict = findCommitInfo(actions)?.inCommitTimestamp
      yield { version, actions, timestamp: typeof ict === 'number' ? ict : (fileTimes.get(version) ?? 0), latest }
    }
  }
}

/**
 * The first version committed at or after `timestamp` (Spark's startingTimestamp); the version
 * after the latest when the instant is after every commit; the earliest when before all.
 */
export async function versionFromTimestamp(engine: Engine, timestamp: TimestampInput, signal?: AbortSignal): Promise<number> {
  const t = toEpochMs(timestamp)
  try {
    return (await versionAtTimestamp(engine, t - 1, { signal })) + 1
  } catch (err) {
    if (!isLakeError(err, 'TimestampOutOfRange')) throw err
    const latest = await loadSnapshot(engine, { signal })
    return t > latest.timestamp ? latest.version + 1 : Number(err.context['earliest'] ?? 0)
  }
}

