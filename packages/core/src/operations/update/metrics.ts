// UPDATE's metrics, Spark's names (UpdateCommand), numbers here and strings in commitInfo. Pure.

import type { AppliedOutcomes } from '../../rewrite/apply-outcomes.js'
import { fileMetrics, timeMetrics } from '../../rewrite/file-metrics.js'
import type { PhaseTimes } from '../../rewrite/file-metrics.js'

/** UPDATE's metrics (as in its commitInfo `operationMetrics`). */
export interface UpdateMetrics {
  readonly numUpdatedRows: number
  readonly numCopiedRows: number
  readonly numAddedFiles: number
  readonly numRemovedFiles: number
  readonly numAddedChangeFiles: number
  readonly numDeletionVectorsAdded: number
  readonly numDeletionVectorsRemoved: number
  readonly numDeletionVectorsUpdated: number
  readonly numAddedBytes: number
  readonly numRemovedBytes: number
  readonly executionTimeMs: number
  readonly scanTimeMs: number
  readonly rewriteTimeMs: number
}

/** The counts of one UPDATE. */
export interface UpdateCounts {
  readonly updatedRows: number
  /** Unchanged rows written again by copy-on-write rewrites. */
  readonly copiedRows: number
  readonly applied: AppliedOutcomes
  /** Change data files written (`cdc` actions). */
  readonly changeFiles?: number
  readonly timesMs: PhaseTimes
}

/** The metrics of an UPDATE from what it changed and wrote. */
export function updateMetrics(counts: UpdateCounts): UpdateMetrics {
  const files = fileMetrics(counts.applied)
  return {
    numUpdatedRows: counts.updatedRows,
    numCopiedRows: counts.copiedRows,
    numAddedFiles: files.numAddedFiles,
    numRemovedFiles: files.numRemovedFiles,
    numAddedChangeFiles: counts.changeFiles ?? 0,
    numDeletionVectorsAdded: files.numDeletionVectorsAdded,
    numDeletionVectorsRemoved: files.numDeletionVectorsRemoved,
    numDeletionVectorsUpdated: files.numDeletionVectorsUpdated,
    numAddedBytes: files.numAddedBytes,
    numRemovedBytes: files.numRemovedBytes,
    ...timeMetrics(counts.timesMs),
  }
}
