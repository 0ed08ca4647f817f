// Time travel by timestamp (PROTOCOL.md#In-Commit Timestamps; Spark DeltaHistoryManager
// getActiveCommitAtTime): the latest version committed at or before an instant.

import type { Engine } from '../engine.js'
import { InvalidArgumentError, ProtocolError, TableError } from '../errors.js'
import { listLog } from '../read/list-log.js'
import { buildLogSegment, commitsByVersion, completeCheckpoints, versionRange } from '../log/log-segment.js'
import type { LogEntry, VersionRange } from '../log/log-segment.js'
import { findCommitInfo, readCommit } from '../read/read-commit.js'
import { buildSnapshot } from './build-snapshot.js'
import { lastAtOrBefore, monotonize } from './commit-timestamps.js'

/** An instant: epoch milliseconds, an ISO-8601 string, or a Date. */
export type TimestampInput = number | string | Date

/**
 * The version active at `timestamp`: the latest version whose commit timestamp is at or before
 * it. Commit timestamps are in-commit timestamps for versions where ICT is enabled, else commit
 * file modification times made strictly increasing.
 * @throws TableError `TimestampOutOfRange` when the instant is before the first reconstructable
 * commit (message names the available range) or after the latest one (as Spark's time travel: a
 * timestamp equal to the latest commit's is its version, a later one has no version yet); context
 * `earliest`, `latest`, `earliestTimestamp`, `latestTimestamp`. `TableNotFound`.
 * @throws InvalidArgumentError when the timestamp does not parse.
 */
export async function versionAtTimestamp(
  engine: Engine,
  timestamp: TimestampInput,
  options: { readonly signal?: AbortSignal } = {},
): Promise<number> {
  const { signal } = options
  const t = toEpochMs(timestamp)
  const url = engine.store.url
  const entries = await listLog(engine, 0, signal)
  const range = versionRange(entries, url)
  const latest = await buildSnapshot(engine, buildLogSegment(entries, url), signal)
  const config = latest.metadata.configuration
  const ictOn = config['delta.enableInCommitTimestamps']?.toLowerCase() === 'true'
  const ictFrom = ictOn ? Math.max(range.earliest, Number(config['delta.inCommitTimestampEnablementVersion'] ?? range.earliest)) : range.latest + 1
  const fileTimes = fileTimeline(entries, range, ictFrom - 1)
  const firstTs = fileTimes.timestamps[0] ?? latest.timestamp
  // Without ICT at the latest version, its time is the monotonized file time, not the raw one.
  const latestTs = ictFrom <= range.latest ? latest.timestamp : (fileTimes.timestamps.at(-1) ?? latest.timestamp)
  const context = { timestamp: t, earliest: range.earliest, latest: range.latest, earliestTimestamp: firstTs, latestTimestamp: latestTs }
  const outOfRange = (): never => {
    throw new TableError(
      'TimestampOutOfRange',
      `no version of ${url} at ${iso(t)}: expected a timestamp between ${iso(firstTs)} (version ${range.earliest}) and ${iso(latestTs)} (version ${range.latest})`,
      { context },
    )
  }
  if (t > latestTs) {
    // Spark refuses it too (DELTA_TIMESTAMP_GREATER_THAN_COMMIT): the answer would change with the next commit.
    throw new TableError(
      'TimestampOutOfRange',
      `timestamp ${iso(t)} is after the latest commit of ${url} (version ${range.latest} at ${iso(latestTs)}): expected a timestamp at or before ${iso(latestTs)}; read the latest version without a timestamp`,
      { context },
    )
  }
  const enabledAt = Number(config['delta.inCommitTimestampEnablementTimestamp'] ?? Number.NEGATIVE_INFINITY)
  if (ictOn && (t >= enabledAt || ictFrom === range.earliest)) {
    const found = await searchInCommitTimestamps(engine, ictFrom, range.latest, t, signal)
    if (found !== undefined) return found
    if (ictFrom === range.earliest) return outOfRange()
  }
  const index = lastAtOrBefore(fileTimes.timestamps, t)
  return index < 0 ? outOfRange() : (fileTimes.versions[index] ?? outOfRange())
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** Epoch ms of a timestamp input. @throws InvalidArgumentError when it does not parse. */
export function toEpochMs(timestamp: TimestampInput): number {
  const ms = timestamp instanceof Date ? timestamp.getTime() : typeof timestamp === 'number' ? timestamp : Date.parse(timestamp)
  if (!Number.isFinite(ms)) {
    throw new InvalidArgumentError(`invalid timestamp: expected epoch milliseconds, an ISO-8601 string or a Date, found ${String(timestamp)}`)
  }
  return ms
}

/** Versions `earliest..upTo` with their monotonized file modification times. */
function fileTimeline(entries: readonly LogEntry[], range: VersionRange, upTo: number): { versions: number[]; timestamps: number[] } {
  const commits = commitsByVersion(entries)
  const checkpoints = new Map(completeCheckpoints(entries).map((c) => [c.version, c.files[0]?.lastModified]))
  const versions: number[] = []
  const raw: number[] = []
  for (let v = range.earliest; v <= Math.min(upTo, range.latest); v++) {
    const mtime = commits.get(v)?.lastModified ?? checkpoints.get(v)
    if (mtime === undefined) continue
    versions.push(v)
    raw.push(mtime)
  }
  return { versions, timestamps: monotonize(raw) }
}

/**
 * Binary search over versions `from..to` by in-commit timestamp (strictly increasing by the
 * ICT writer rule); reads O(log n) commits.
 * @returns The version, or `undefined` when `t` is before the ICT of `from`.
 */
async function searchInCommitTimestamps(engine: Engine, from: number, to: number, t: number, signal?: AbortSignal): Promise<number | undefined> {
  let lo = from
  let hi = to
  let found: number | undefined
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2)
    if ((await inCommitTimestamp(engine, mid, signal)) <= t) {
      found = mid
      lo = mid + 1
    } else {
      hi = mid - 1
    }
  }
  return found
}

async function inCommitTimestamp(engine: Engine, version: number, signal?: AbortSignal): Promise<number> {
  const ict = findCommitInfo(await readCommit(engine, version, signal))?.inCommitTimestamp
  if (ict === undefined) {
    throw new ProtocolError('CorruptLog', `commit ${version}: expected commitInfo.inCommitTimestamp (in-commit timestamps are enabled), found none`, {
      context: { version },
    })
  }
  return ict
}
