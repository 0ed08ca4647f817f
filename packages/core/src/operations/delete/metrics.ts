// DELETE's metrics, Spark's names (DeleteCommand / DeleteWithDeletionVectorsHelper), numbers here and
// strings in commitInfo. Pure.

import type { AddFile } from '../../actions/types.js'
import { liveRowCount } from '../../actions/row-count.js'
import type { AppliedOutcomes } from '../../rewrite/apply-outcomes.js'
import { fileMetrics, sumFiles, timeMetrics } from '../../rewrite/file-metrics.js'
import type { PhaseTimes } from '../../rewrite/file-metrics.js'

/** DELETE's metrics (as in its commitInfo `operationMetrics`). */
export interface DeleteMetrics {
  readonly numDeletedRows: number
  readonly numRemovedFiles: number
  readonly numAddedFiles: number
  readonly numCopiedRows: number
  readonly numDeletionVectorsAdded: number
  readonly numDeletionVectorsRemoved: number
  readonly numDeletionVectorsUpdated: number
  readonly numAddedChangeFiles: number
  readonly numRemovedBytes: number
  readonly numAddedBytes: number
  readonly executionTimeMs: number
  readonly scanTimeMs: number
  readonly rewriteTimeMs: number
}

/** The counts of one DELETE. */
export interface DeleteCounts {
  /** Rows deleted from the files read (marked or left out of a rewrite). */
  readonly deletedRowsRead: number
  readonly applied: AppliedOutcomes
  /** Files removed without reading (their deleted rows come from stats). */
  readonly wholeUnread: readonly AddFile[]
  /** Change data files written (`cdc` actions). */
  readonly changeFiles?: number
  readonly timesMs: PhaseTimes
}

/** The metrics of a DELETE from what it removed, marked and wrote. */
export function deleteMetrics(counts: DeleteCounts): DeleteMetrics {
  const { applied, wholeUnread } = counts
  const files = fileMetrics(applied, wholeUnread)
  return {
    numDeletedRows: counts.deletedRowsRead + sumFiles(wholeUnread, (file) => liveRowCount(file) ?? 0),
    numRemovedFiles: files.numRemovedFiles,
    numAddedFiles: files.numAddedFiles,
    numCopiedRows: applied.copiedRows,
    numDeletionVectorsAdded: files.numDeletionVectorsAdded,
    numDeletionVectorsRemoved: files.numDeletionVectorsRemoved,
    numDeletionVectorsUpdated: files.numDeletionVectorsUpdated,
    numAddedChangeFiles: counts.changeFiles ?? 0,
    numRemovedBytes: files.numRemovedBytes,
    numAddedBytes: files.numAddedBytes,
    ...timeMetrics(counts.timesMs),
  }
}
