// Table history (DESCRIBE HISTORY): commitInfo of each commit, newest first. One full listing plus
// one `get` per returned commit.

import { mapConcurrent } from '@lake/storage'
import type { ObjectMeta } from '@lake/storage'
import { compact } from '../actions/fields.js'
import type { CommitInfo } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { InvalidArgumentError } from '../errors.js'
import { listLog } from './list-log.js'
import { commitsByVersion, completeCheckpoints, versionRange } from '../log/log-segment.js'
import { findCommitInfo, readCommit } from './read-commit.js'

/** Commits read in parallel. */
const HISTORY_READ_CONCURRENCY = 8

/** One commit of the table's history. Fields other than `version` and `timestamp` come from commitInfo. */
export interface HistoryEntry {
  readonly version: number
  /** In-commit timestamp when the commit has one, else the commit file's modification time (monotonized). */
  readonly timestamp: number
  readonly operation?: string
  readonly operationParameters?: Readonly<Record<string, unknown>>
  readonly operationMetrics?: Readonly<Record<string, unknown>>
  readonly readVersion?: number
  readonly isolationLevel?: string
  readonly isBlindAppend?: boolean
  readonly engineInfo?: string
  readonly userMetadata?: string
  /** The whole commitInfo as written (`undefined` when the commit has none). */
  readonly commitInfo?: CommitInfo
}

/** Options of `readHistory`. */
export interface ReadHistoryOptions {
  /** At most this many entries, newest first (default: all). */
  readonly limit?: number
  readonly signal?: AbortSignal
}

/** The history of a table and where it starts (Spark's DESCRIBE HISTORY shows what the log retains). */
export interface HistoryLog {
  /** Commits newest first, as `readHistory` returns them. */
  readonly entries: HistoryEntry[]
  /** The oldest version whose history is available: versions before it have no commit file left (0 for a whole log). */
  readonly availableFrom: number
  /** The checkpoint the log starts at when older commits were cleaned up (commit 0 is gone); undefined for a whole log. */
  readonly startCheckpoint?: number
}

/**
 * The history of a table, newest first: the commits from the oldest readable version on (a log
 * cleaned up to a checkpoint lists only the commit files it kept). Commits without commitInfo
 * yield entries with only `version` and `timestamp`.
 * @throws TableError `TableNotFound`; InvalidArgumentError for a negative limit.
 */
export async function readHistory(engine: Engine, options: ReadHistoryOptions = {}): Promise<HistoryEntry[]> {
  return (await readHistoryLog(engine, options)).entries
}

/**
 * `readHistory` with where the history starts: `availableFrom` and, on a log that starts at a
 * checkpoint, `startCheckpoint`. One full listing plus one `get` per returned commit.
 * @throws TableError `TableNotFound`; InvalidArgumentError for a negative limit.
 */
export async function readHistoryLog(engine: Engine, options: ReadHistoryOptions = {}): Promise<HistoryLog> {
  const { limit, signal } = options
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new InvalidArgumentError(`readHistory: expected a non-negative integer limit, found ${limit}`)
  }
  const entries = await listLog(engine, 0, signal)
  const range = versionRange(entries, engine.store.url)
  const commits = commitsByVersion(entries)
  const retained = [...commits.entries()].filter(([v]) => v >= range.earliest).sort((a, b) => b[0] - a[0])
  const availableFrom = retained.at(-1)?.[0] ?? range.latest + 1
  const first = completeCheckpoints(entries)[0]
  const start = commits.has(0) || first === undefined ? {} : { startCheckpoint: first.version }
  return { entries: await historyEntries(engine, retained.slice(0, limit), signal), availableFrom, ...start }
}

async function historyEntries(engine: Engine, commits: [number, ObjectMeta][], signal: AbortSignal | undefined): Promise<HistoryEntry[]> {
  const infos = await mapConcurrent(commits, HISTORY_READ_CONCURRENCY, async ([v]) => findCommitInfo(await readCommit(engine, v, signal)))
  const out = commits.map(([version, meta], i) => {
    const info = infos[i]
    return historyEntry(version, info?.inCommitTimestamp ?? meta.lastModified, info)
  })
  // Monotonize oldest → newest over the returned window (Spark does the same per listing).
  return monotonizeNewestFirst(out)
}

function historyEntry(version: number, timestamp: number, info: CommitInfo | undefined): HistoryEntry {
  if (info === undefined) return { version, timestamp }
  const userMetadata = typeof info['userMetadata'] === 'string' ? info['userMetadata'] : undefined
  return compact({
    version,
    timestamp,
    operation: info.operation,
    operationParameters: info.operationParameters,
    operationMetrics: info.operationMetrics,
    readVersion: info.readVersion,
    isolationLevel: info.isolationLevel,
    isBlindAppend: info.isBlindAppend,
    engineInfo: info.engineInfo,
    userMetadata,
    commitInfo: info,
  })
}

/** Strictly increasing timestamps from oldest to newest, for a newest-first list. */
function monotonizeNewestFirst(entries: HistoryEntry[]): HistoryEntry[] {
  let prev = Number.NEGATIVE_INFINITY
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]
    if (e === undefined) continue
    if (e.timestamp <= prev) entries[i] = { ...e, timestamp: prev + 1 }
    prev = entries[i]?.timestamp ?? prev
  }
  return entries
}
