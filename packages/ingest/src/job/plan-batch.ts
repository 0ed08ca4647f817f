// Where a job resumes and what its next batch is: reconciles the offset log with the table's txn
// (the commit log) and the range the batch commit recorded, and writes each new plan before
// anything is read (put-if-absent: one plan per batch id, whichever runner wrote it first).

import type { Engine, Snapshot } from '@lake/core'
import { IngestError } from '../errors.js'
import { canonicalJson } from '../sources/fingerprint.js'
import type { Source } from '../sources/source.js'
import type { JsonValue } from '../types.js'
import { findCommittedRange } from './committed-range.js'
import type { JobStateStore, PlannedBatch } from './job-state.js'

/** The next batch to run: its id, start, and its end when it is a replay of a planned batch. */
export interface ResumePoint {
  readonly batchId: number
  readonly start: JsonValue | undefined
  readonly end?: JsonValue
}

/**
 * Reconciles the offset log with the table. The range recorded in the last batch commit (its
 * commitInfo.userMetadata) wins over the offset log when both exist:
 * - no plan and no txn: a new job, batch 0 from the source's initial offset;
 * - latest plan = committed + 1: replay exactly that planned range, which must start where the
 *   committed batch ended (`CorruptLog` otherwise);
 * - latest plan = committed: continue after the committed range's end;
 * - anything else: the state and the table disagree (`JobMismatch`).
 */
export async function resumePoint(engine: Engine, state: JobStateStore, snapshot: Snapshot | undefined, appId: string, signal?: AbortSignal): Promise<ResumePoint> {
  const committed = snapshot?.txnVersion(appId) ?? -1
  const last = await state.latestBatch(signal)
  if (last === undefined) {
    if (committed >= 0) throw mismatch(appId, `the table holds batch ${committed} for this appId but the job state has no planned batch`)
    return { batchId: 0, start: undefined }
  }
  if (last.batchId !== committed + 1 && last.batchId !== committed) {
    throw mismatch(appId, `the job state's latest planned batch is ${last.batchId} but the table's txn for this appId is ${committed}`)
  }
  // Stryker disable next-line ConditionalExpression: searching for batch -1 finds nothing; the check only saves the reads
  const range = committed < 0 || snapshot === undefined ? undefined : await findCommittedRange(engine, snapshot, appId, committed, signal)
  const committedEnd = range?.end ?? (last.batchId === committed ? last.end : undefined)
  if (last.batchId === committed) return { batchId: committed + 1, start: committedEnd }
  if (committedEnd !== undefined && canonicalJson(last.start) !== canonicalJson(committedEnd)) {
    throw new IngestError(
      'CorruptLog',
      `job '${appId}': expected planned batch ${last.batchId} to start where committed batch ${committed} ended (${canonicalJson(committedEnd)}, table version ${range?.version}), found start ${canonicalJson(last.start)}; Help: delete ${state.store.url}/${state.prefix}batches/ entries after batch ${committed} to re-plan`,
      { context: { appId, batchId: last.batchId } },
    )
  }
  return { batchId: last.batchId, start: last.start, end: last.end }
}

/**
 * The next batch: the replayed plan as is, or a new plan `[start, latestOffset(start, limit))`
 * written to the offset log before returning. When another runner planned this batch id first,
 * its plan is returned instead (and must start at `start`). `undefined` when the source has nothing new.
 * @throws IngestError `CorruptLog` when another runner's plan starts elsewhere.
 */
export async function planNextBatch(state: JobStateStore, source: Source, point: ResumePoint, limit: number | undefined, signal: AbortSignal): Promise<PlannedBatch | undefined> {
  const start = point.start ?? (await source.initialOffset({ signal }))
  if (point.end !== undefined) return { batchId: point.batchId, start, end: point.end }
  const end = await source.latestOffset(start, limit, { signal })
  if (canonicalJson(end) === canonicalJson(start)) return undefined
  const planned = await state.planBatch({ batchId: point.batchId, start, end }, signal)
  if (canonicalJson(planned.start) !== canonicalJson(start)) {
    throw new IngestError(
      'CorruptLog',
      `job planned batch ${planned.batchId}: expected it to start at ${canonicalJson(start)}, found another runner's plan starting at ${canonicalJson(planned.start)}`,
      { context: { batchId: planned.batchId } },
    )
  }
  return planned
}

function mismatch(appId: string, detail: string): IngestError {
  return new IngestError('JobMismatch', `job '${appId}': ${detail}; Help: use a new appId, or restore the job state that belongs to this table`, { context: { appId } })
}
