// GET /api/history: one page of the commit history, newest first. The log is listed (cached for a
// few seconds) and only the page's commit files are read, so the cost of a page does not grow with
// the length of the history.

import { commitsByVersion, findCommitInfo, versionRange } from '@lake/core/internal'
import type { CommitInfo } from '@lake/core/internal'
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
  /** Number of commits in the log (the versions from `earliest` to `latest`, gaps excluded). */
  readonly total: number
  readonly entries: readonly CommitSummary[]
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly next: number | null
}

/** The `limit` newest commits below `before` (default: from the latest). */
export async function historyPage(source: TableSource, before: number | undefined, limit: number): Promise<HistoryPage> {
  const listing = await source.listing()
  const range = versionRange(listing, source.engine.store.url)
  const commits = [...commitsByVersion(listing).entries()].filter(([v]) => v >= range.earliest).sort((a, b) => b[0] - a[0])
  const older = before === undefined ? commits : commits.filter(([v]) => v < before)
  const page = older.slice(0, limit)
  const infos = await mapConcurrent(page, READ_CONCURRENCY, async ([v]): Promise<CommitInfo | undefined> => findCommitInfo(await source.commit(v)))
  const entries = page.map(([version, meta], i) => commitSummary(version, meta.lastModified, infos[i]))
  const last = page[page.length - 1]
  return { earliest: range.earliest, latest: range.latest, total: commits.length, entries, next: older.length > limit && last !== undefined ? last[0] : null }
}
