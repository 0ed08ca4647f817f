// The file-level metrics every row-level operation reports (Spark's names, shared by DELETE and
// UPDATE): files and bytes removed and added, deletion vectors added, updated and removed. Pure.

import type { AddFile } from '../actions/types.js'
import type { AppliedOutcomes } from './apply-outcomes.js'

/** Files, bytes and deletion vectors an operation changed. */
export interface FileMetrics {
  readonly numRemovedFiles: number
  readonly numAddedFiles: number
  readonly numDeletionVectorsAdded: number
  readonly numDeletionVectorsRemoved: number
  readonly numDeletionVectorsUpdated: number
  readonly numRemovedBytes: number
  readonly numAddedBytes: number
}

/** An operation's wall-clock phases in ms: all of it, reading candidates, writing and committing. */
export interface PhaseTimes {
  readonly execution: number
  readonly scan: number
  readonly rewrite: number
}

/** Sums `f` over `files`. */
export const sumFiles = (files: readonly AddFile[], f: (file: AddFile) => number): number => files.reduce((n, file) => n + f(file), 0)

/**
 * The file metrics of applied outcomes plus files removed whole without reading (`wholeUnread`).
 * A file that gets its first DV counts as added, one whose DV grows as updated, a removed file with
 * a DV as removed (Spark's DeleteWithDeletionVectorsHelper).
 */
export function fileMetrics(applied: AppliedOutcomes, wholeUnread: readonly AddFile[] = []): FileMetrics {
  const removed = [...wholeUnread, ...applied.removes]
  const withDv = applied.dvFiles.filter((file) => file.deletionVector)
  return {
    numRemovedFiles: removed.length,
    numAddedFiles: applied.adds.length,
    numDeletionVectorsAdded: applied.dvFiles.length - withDv.length,
    numDeletionVectorsRemoved: removed.filter((file) => file.deletionVector).length,
    numDeletionVectorsUpdated: withDv.length,
    numRemovedBytes: sumFiles(removed, (file) => file.size),
    numAddedBytes: sumFiles(applied.adds, (file) => file.size),
  }
}

/** `{ executionTimeMs, scanTimeMs, rewriteTimeMs }` from phase times. */
export function timeMetrics(times: PhaseTimes): { executionTimeMs: number; scanTimeMs: number; rewriteTimeMs: number } {
  return { executionTimeMs: times.execution, scanTimeMs: times.scan, rewriteTimeMs: times.rewrite }
}
