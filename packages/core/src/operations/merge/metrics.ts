// MERGE's metrics, Spark's names and meanings (MergeIntoCommand's `metrics`, as Delta 3 writes them in
// commitInfo): numbers here, strings in `operationMetrics`. Pure.

import type { AddFile } from '../../actions/types.js'
import type { AppliedOutcomes } from '../../rewrite/apply-outcomes.js'
import type { ChangeCounts } from './change-sink.js'

/** MERGE's metrics (as in its commitInfo `operationMetrics`). */
export interface MergeMetrics {
  readonly numSourceRows: number
  readonly numTargetRowsInserted: number
  readonly numTargetRowsUpdated: number
  readonly numTargetRowsDeleted: number
  readonly numTargetRowsMatchedUpdated: number
  readonly numTargetRowsMatchedDeleted: number
  readonly numTargetRowsNotMatchedBySourceUpdated: number
  readonly numTargetRowsNotMatchedBySourceDeleted: number
  readonly numTargetRowsCopied: number
  readonly numOutputRows: number
  readonly numTargetFilesAdded: number
  readonly numTargetFilesRemoved: number
  readonly numTargetChangeFilesAdded: number
  readonly numTargetBytesAdded: number
  readonly numTargetBytesRemoved: number
  readonly numTargetDeletionVectorsAdded: number
  readonly numTargetDeletionVectorsRemoved: number
  readonly numTargetDeletionVectorsUpdated: number
  readonly executionTimeMs: number
  readonly materializeSourceTimeMs: number
  readonly scanTimeMs: number
  readonly rewriteTimeMs: number
}

/** What one MERGE did. */
export interface MergeCounts {
  readonly sourceRows: number
  readonly changes: ChangeCounts
  /** The target's DV and remove pieces (what `applyOutcomes` staged); absent for an insert-only MERGE. */
  readonly applied: AppliedOutcomes | undefined
  /** New data files: updated, inserted and copied rows. */
  readonly adds: readonly AddFile[]
  /** Change data files written (`cdc` actions). */
  readonly changeFiles?: number
  readonly timesMs: { readonly execution: number; readonly materializeSource: number; readonly scan: number; readonly rewrite: number }
}

const sum = (files: readonly AddFile[], f: (file: AddFile) => number): number => files.reduce((n, file) => n + f(file), 0)

/** The metrics of a MERGE. Deletion-vector counts follow Spark: a file that had a DV and gets a new one is "updated". */
export function mergeMetrics(counts: MergeCounts): MergeMetrics {
  const c = counts.changes
  const removed = counts.applied?.removes ?? []
  const dvFiles = counts.applied?.dvFiles ?? []
  const withDv = dvFiles.filter((file) => file.deletionVector)
  const updated = c.matchedUpdated + c.notMatchedBySourceUpdated
  return {
    numSourceRows: counts.sourceRows,
    numTargetRowsInserted: c.inserted,
    numTargetRowsUpdated: updated,
    numTargetRowsDeleted: c.matchedDeleted + c.notMatchedBySourceDeleted,
    numTargetRowsMatchedUpdated: c.matchedUpdated,
    numTargetRowsMatchedDeleted: c.matchedDeleted,
    numTargetRowsNotMatchedBySourceUpdated: c.notMatchedBySourceUpdated,
    numTargetRowsNotMatchedBySourceDeleted: c.notMatchedBySourceDeleted,
    numTargetRowsCopied: c.copied,
    numOutputRows: c.inserted + updated + c.copied,
    numTargetFilesAdded: counts.adds.length,
    numTargetFilesRemoved: removed.length,
    numTargetChangeFilesAdded: counts.changeFiles ?? 0,
    numTargetBytesAdded: sum(counts.adds, (f) => f.size),
    numTargetBytesRemoved: sum(removed, (f) => f.size),
    numTargetDeletionVectorsAdded: dvFiles.length - withDv.length,
    numTargetDeletionVectorsRemoved: removed.filter((f) => f.deletionVector).length,
    numTargetDeletionVectorsUpdated: withDv.length,
    executionTimeMs: counts.timesMs.execution,
    materializeSourceTimeMs: counts.timesMs.materializeSource,
    scanTimeMs: counts.timesMs.scan,
    rewriteTimeMs: counts.timesMs.rewrite,
  }
}

/** True when the MERGE changed nothing (nothing to commit). */
export function changedNothing(counts: Pick<MergeCounts, 'applied' | 'adds'>): boolean {
  const a = counts.applied
  return counts.adds.length === 0 && (a === undefined || a.removes.length + a.dvFiles.length === 0)
}
