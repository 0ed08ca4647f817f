// The version range of a change data feed read (docs/row-level-plan.md §8): versions or timestamps
// resolved against the log (start: first version at or after `startingTimestamp`; end: last version at
// or before `endingTimestamp`, default the latest), then the commits of the range read with their
// commit timestamps (in-commit timestamp when the commit has one, else the commit file's time).

import { mapConcurrent } from '@lake/storage'
import type { Engine } from '../../engine.js'
import { InvalidArgumentError, TableError } from '../../errors.js'
import { commitsByVersion, versionRange } from '../../log/log-segment.js'
import type { VersionRange } from '../../log/log-segment.js'
import { listLog } from '../../read/list-log.js'
import { findCommitInfo, readCommit } from '../../read/read-commit.js'
import { toEpochMs } from '../../snapshot/version-at-timestamp.js'
import type { TimestampInput } from '../../snapshot/version-at-timestamp.js'
import type { ChangeCommit } from './plan.js'

/** Commits read at once. */
const COMMIT_READ_CONCURRENCY = 8

/** The range options of `changes`: a start (version or timestamp) and an optional end. */
export interface ChangeRangeOptions {
  readonly startingVersion?: number
  readonly endingVersion?: number
  readonly startingTimestamp?: TimestampInput
  readonly endingTimestamp?: TimestampInput
  readonly signal?: AbortSignal
}

/**
 * Resolves the range and reads its commits, ascending.
 * @throws InvalidArgumentError (no start, both forms of one bound, negative or reversed range);
 *   TableError `VersionNotFound` when a version of the range is not in the log (`context.version`, and the
 *   available `earliest`/`latest`), `TimestampOutOfRange`, `TableNotFound`.
 */
export async function readChangeCommits(engine: Engine, options: ChangeRangeOptions): Promise<ChangeCommit[]> {
  const { signal } = options
  const entries = await listLog(engine, 0, signal)
  const range = versionRange(entries, engine.store.url)
  const commits = commitsByVersion(entries)
  const available = [...commits.keys()].filter((v) => v >= range.earliest).sort((x, y) => x - y)
  const ts = timeline(engine, commits, signal)
  const start = await startVersion(options, available, ts, range)
  const end = await endVersion(options, available, ts, range)
  if (start > range.latest) throw versionNotFound(start, range, `starting version ${start} is after the latest version ${range.latest}`)
  if (end < start) throw new InvalidArgumentError(`changes: expected the end of the range at or after its start ${start}, found ${end}`, { context: { start, end } })
  const versions = Array.from({ length: end - start + 1 }, (_, i) => start + i)
  const missing = versions.find((v) => !commits.has(v))
  if (missing !== undefined) throw versionNotFound(missing, range, `expected commit ${missing} in the log, found ${commitsText([...commits.keys()], range)}`)
  return mapConcurrent(versions, COMMIT_READ_CONCURRENCY, async (version) => {
    const actions = await readCommit(engine, version, signal)
    const ict = findCommitInfo(actions)?.inCommitTimestamp
    return { version, timestamp: typeof ict === 'number' ? ict : (commits.get(version)?.lastModified ?? 0), actions }
  })
}

type Timeline = (version: number) => Promise<number>

/** Commit timestamps by version, each read at most once: in-commit timestamp when the commit has one, else the file time. */
function timeline(engine: Engine, commits: ReadonlyMap<number, { readonly lastModified: number }>, signal: AbortSignal | undefined): Timeline {
  const cache = new Map<number, Promise<number>>()
  return (version) => {
    let ts = cache.get(version)
    if (ts === undefined) {
      ts = readCommit(engine, version, signal).then((actions) => {
        const ict = findCommitInfo(actions)?.inCommitTimestamp
        return typeof ict === 'number' ? ict : (commits.get(version)?.lastModified ?? 0)
      })
      cache.set(version, ts)
    }
    return ts
  }
}

/** The first version in `versions` (ascending) whose timestamp satisfies `test`, which is false then true; binary search. */
async function firstWhere(versions: readonly number[], ts: Timeline, test: (t: number) => boolean): Promise<number | undefined> {
  let lo = 0
  let hi = versions.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (test(await ts(versions[mid] as number))) hi = mid
    else lo = mid + 1
  }
  return versions[lo]
}

async function startVersion(options: ChangeRangeOptions, versions: readonly number[], ts: Timeline, range: VersionRange): Promise<number> {
  const { startingVersion: version, startingTimestamp: timestamp } = options
  if (version !== undefined && timestamp !== undefined) throw new InvalidArgumentError('changes: expected startingVersion or startingTimestamp, found both')
  if (version !== undefined) return checkedVersion('startingVersion', version)
  if (timestamp === undefined) throw new InvalidArgumentError('changes: expected startingVersion or startingTimestamp, found neither')
  const t = toEpochMs(timestamp)
  const found = await firstWhere(versions, ts, (commitTs) => commitTs >= t)
  if (found === undefined) throw outOfRange('startingTimestamp', t, 'after the latest commit', versions, range)
  return found
}

async function endVersion(options: ChangeRangeOptions, versions: readonly number[], ts: Timeline, range: VersionRange): Promise<number> {
  const latest = range.latest
  const { endingVersion: version, endingTimestamp: timestamp } = options
  if (version !== undefined && timestamp !== undefined) throw new InvalidArgumentError('changes: expected endingVersion or endingTimestamp, found both')
  if (version !== undefined) return Math.min(checkedVersion('endingVersion', version), latest)
  if (timestamp === undefined) return latest
  const t = toEpochMs(timestamp)
  const after = await firstWhere(versions, ts, (commitTs) => commitTs > t)
  if (after === versions[0]) throw outOfRange('endingTimestamp', t, 'before the first commit', versions, range)
  return after === undefined ? latest : after - 1
}

function outOfRange(option: string, t: number, where: string, versions: readonly number[], range: VersionRange): TableError {
  const earliest = versions[0] ?? range.earliest
  const latest = versions.at(-1) ?? range.latest
  const text =
    versions.length === 0 ? `expected a commit to compare it with, found ${commitsText(versions, range)}` : `is ${where} (versions ${earliest}..${latest})`
  return new TableError('TimestampOutOfRange', `changes: ${option} ${new Date(t).toISOString()} ${text}`, {
    context: { timestamp: t, earliest, latest },
  })
}

/** The commit files of the log in words: "commits 1, 3..5", "commit 3", or none but a checkpoint. */
function commitsText(versions: readonly number[], range: VersionRange): string {
  if (versions.length === 0) return `no commit files at or after version ${range.earliest} (version ${range.latest} is in a checkpoint only)`
  const sorted = [...versions].sort((a, b) => a - b)
  const runs: string[] = []
  let first = sorted[0] as number
  for (let i = 1; i <= sorted.length; i++) {
    const prev = sorted[i - 1] as number
    if (sorted[i] === prev + 1) continue
    runs.push(first === prev ? `${first}` : `${first}..${prev}`)
    first = sorted[i] as number
  }
  const shown = runs.length > 5 ? [...runs.slice(0, 5), `... (${runs.length - 5} more runs)`] : runs
  return `${sorted.length === 1 ? 'commit' : 'commits'} ${shown.join(', ')}`
}

function checkedVersion(name: string, version: number): number {
  if (!Number.isSafeInteger(version) || version < 0) throw new InvalidArgumentError(`changes: expected ${name} to be a non-negative integer, found ${version}`, { context: { [name]: version } })
  return version
}

function versionNotFound(version: number, range: VersionRange, detail: string): TableError {
  return new TableError('VersionNotFound', `cannot read the change data feed at version ${version}: ${detail}`, {
    context: { version, earliest: range.earliest, latest: range.latest },
  })
}
