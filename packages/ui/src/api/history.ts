// GET /api/history: one page of the commit history, newest first. Commits are contiguous from the
// earliest version to the latest (PROTOCOL.md), so a page is a range of versions: only its commit
// files are read (and their times asked for), however long the log is.

import { findCommitInfo } from '@lake/core/internal'
import { mapConcurrent } from '@lake/storage'
import type { TableSource } from '../source/table-source.js'
import { commitSummary } from './commit-summary.js'
import type { CommitSummary } from './commit-summary.js'

/** Commit files read at once. */
const READ_CONCURRENCY = 16

/** One page of history. */
export interface HistoryPage {
  readonly earliest: number
  readonly latest: number
  /** Number of versions from `earliest` to `latest`. */
  readonly total: number
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
  const read = await mapConcurrent(versions, READ_CONCURRENCY, async (v) => {
    const [time, actions] = await Promise.all([source.commitTime(v), source.commit(v)])
    return time === undefined ? undefined : commitSummary(v, time, findCommitInfo(actions))
  })
  const entries = read.filter((e): e is CommitSummary => e !== undefined)
  return { earliest, latest, total: latest - earliest + 1, entries, next: bottom > earliest ? bottom : null }
}
