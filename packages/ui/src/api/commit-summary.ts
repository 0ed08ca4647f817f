// One line of history: a commit's version, time, operation and the counts the timeline charts
// (rows and files added/removed, bytes written), read from commitInfo's operationMetrics under the
// names Spark, delta-rs and lake use. Pure.

import type { CommitInfo } from '@lake/core/internal'

/** What the history list and timeline show of a commit. Metrics are exact decimal strings or null. */
export interface CommitSummary {
  readonly version: number
  /** ISO-8601 UTC: the in-commit timestamp, else the commit file's modification time. */
  readonly timestamp: string
  readonly operation: string | null
  readonly rowsAdded: string | null
  readonly rowsRemoved: string | null
  readonly filesAdded: string | null
  readonly filesRemoved: string | null
  readonly bytesWritten: string | null
  readonly engine: string | null
  readonly isBlindAppend: boolean | null
}

const ROWS_ADDED = ['numOutputRows', 'numTargetRowsInserted', 'numCopiedRows', 'num_added_rows']
const ROWS_REMOVED = ['numDeletedRows', 'numTargetRowsDeleted', 'num_deleted_rows']
const FILES_ADDED = ['numFiles', 'numAddedFiles', 'numFilesAdded', 'num_added_files', 'num_restored_files']
const FILES_REMOVED = ['numRemovedFiles', 'numFilesRemoved', 'num_removed_files']
const BYTES_WRITTEN = ['numOutputBytes', 'numAddedBytes', 'numBytesAdded', 'num_added_bytes']

/** The summary of a commit, `modified` standing in when commitInfo has no in-commit timestamp. */
export function commitSummary(version: number, modified: number, info: CommitInfo | undefined): CommitSummary {
  const m = info?.operationMetrics ?? {}
  return {
    version,
    timestamp: new Date(info?.inCommitTimestamp ?? modified).toISOString(),
    operation: typeof info?.operation === 'string' ? info.operation : null,
    rowsAdded: metric(m, ROWS_ADDED),
    rowsRemoved: metric(m, ROWS_REMOVED),
    filesAdded: metric(m, FILES_ADDED),
    filesRemoved: metric(m, FILES_REMOVED),
    bytesWritten: metric(m, BYTES_WRITTEN),
    engine: typeof info?.engineInfo === 'string' ? info.engineInfo : null,
    isBlindAppend: typeof info?.isBlindAppend === 'boolean' ? info.isBlindAppend : null,
  }
}

function metric(metrics: Readonly<Record<string, unknown>>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const v = Object.hasOwn(metrics, key) ? metrics[key] : undefined
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return String(v)
  }
  return null
}
