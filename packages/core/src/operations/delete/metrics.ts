// DELETE's metrics, Spark's names (DeleteCommand / DeleteWithDeletionVectorsHelper), numbers here and
// strings in commitInfo. Pure.

import type { AddFile } from '../../actions/types.js'
import { liveRowCount } from '../../actions/row-count.js'
import type { AppliedOutcomes } from '../../rewrite/apply-outcomes.js'

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
  readonly timesMs: { readonly execution: number; readonly scan: number; readonly rewrite: number }
}

const sum = (files: readonly AddFile[], f: (file: AddFile) => number): number => files.reduce((n, file) => n + f(file), 0)

/** The metrics of a DELETE from what it removed, marked and wrote. */
export function deleteMetrics(counts: DeleteCounts): DeleteMetrics {
  const { applied, wholeUnread } = counts
  const removed = [...wholeUnread, ...applied.removes]
  const withDv = applied.dvFiles.filter((file) => file.deletionVector)
  return {
    numDeletedRows: counts.deletedRowsRead + sum(wholeUnread, (file) => liveRowCount(file) ?? 0),
    numRemovedFiles: removed.length,
    numAddedFiles: applied.adds.length,
    numCopiedRows: applied.copiedRows,
    numDeletionVectorsAdded: applied.dvFiles.length - withDv.length,
    numDeletionVectorsRemoved: removed.filter((file) => file.deletionVector).length,
    numDeletionVectorsUpdated: withDv.length,
    numAddedChangeFiles: counts.changeFiles ?? 0,
    numRemovedBytes: sum(removed, (file) => file.size),
    numAddedBytes: sum(applied.adds, (file) => file.size),
    executionTimeMs: counts.timesMs.execution,
    scanTimeMs: counts.timesMs.scan,
    rewriteTimeMs: counts.timesMs.rewrite,
  }
}
