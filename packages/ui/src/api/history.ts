// GET /api/history: one page of the commit history, newest first. Commits are contiguous from the
// earliest version to the latest (PROTOCOL.md), so a page is a range of versions: one listing that
// starts at the page's oldest commit and stops after its newest gives their times, and only the
// page's commit files are read, however long the log is.

import { findCommitInfo } from '@lake/core/internal'
import { mapConcurrent } from '@lake/storage'
import type { TableSource } from '../source/table-source.js'
import { commitSummary } from './commit-summary.js'
import type { CommitSummary } from './commit-summary.js'

/** Commit files read at once. */
const READ_CONCURRENCY = 32

/** One page of history. */
export interface HistoryPage {
  readonly earliest: number
  readonly latest: number
  /** Number of versions from `earliest` to `latest`. */
  readonly total: number
  /**
   * The oldest version with a commit file: 0 for a whole log; once commits before a checkpoint were
   * cleaned up (`earliest` is that checkpoint), history before this version is not available.
   */
  readonly availableFrom: number
  readonly entries: readonly CommitSummary[]
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly next: number | null
}

/** The `limit` newest commits below `before` (default: from the latest). */
export async function historyPage(source: TableSource, before: number | undefined, limit: number): Promise<HistoryPage> {
  const { earliest, latest } = await source.versions()
  const top = Math.min(latest, (before ?? latest + 1) - 1)
  const bottom = Math.max(earliest, top - limit + 1)
  const versions = top < bottom ? [] : Array.from({ length: top - bottom + 1 }, (_, i) => top - i)
  const times = top < bottom ? new Map<number, number>() : await source.commitTimes(bottom, top)
  const present = versions.filter((v) => times.has(v))
  const entries = await mapConcurrent(present, READ_CONCURRENCY, async (v) => commitSummary(v, times.get(v) ?? 0, findCommitInfo(await source.commit(v))))
  const availableFrom = earliest === 0 || times.has(earliest) || (await source.commitTime(earliest)) !== undefined ? earliest : earliest + 1
  return { earliest, latest, total: latest - earliest + 1, availableFrom, entries, next: bottom > earliest ? bottom : null }
}
