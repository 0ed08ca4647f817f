// Where a job resumes and what its next batch is: reconciles the offset log with the table's txn
// (the commit log), and writes each new plan before anything is read.

import type { Snapshot } from '@lake/core'
import { IngestError } from '../errors.js'
import { canonicalJson } from '../sources/fingerprint.js'
import type { Source } from '../sources/source.js'
import type { JsonValue } from '../types.js'
import type { JobStateStore, PlannedBatch } from './job-state.js'

/** The next batch to run: its id, start, and its end when it is a replay of a planned batch. */
export interface ResumePoint {
  readonly batchId: number
  readonly start: JsonValue | undefined
  readonly end?: JsonValue
}

/**
 * Reconciles the offset log with the table:
 * - no plan and no txn: a new job, batch 0 from the source's initial offset;
 * - latest plan = committed + 1: replay exactly that planned range;
 * - latest plan = committed: continue after its end;
 * - anything else: the state and the table disagree (`JobMismatch`).
 */
export async function resumePoint(state: JobStateStore, snapshot: Snapshot, appId: string, signal?: AbortSignal): Promise<ResumePoint> {
  const committed = snapshot.txnVersion(appId) ?? -1
  const last = await state.latestBatch(signal)
  if (last === undefined) {
    if (committed >= 0) throw mismatch(appId, `the table holds batch ${committed} for this appId but the job state has no planned batch`)
    return { batchId: 0, start: undefined }
  }
  if (last.batchId === committed + 1) return { batchId: last.batchId, start: last.start, end: last.end }
  if (last.batchId === committed) return { batchId: committed + 1, start: last.end }
  throw mismatch(appId, `the job state's latest planned batch is ${last.batchId} but the table's txn for this appId is ${committed}`)
}

/**
 * The next batch: the replayed plan as is, or a new plan `[start, latestOffset(start, limit))`
 * written to the offset log before returning. `undefined` when the source has nothing new.
 */
export async function planNextBatch(state: JobStateStore, source: Source, point: ResumePoint, limit: number | undefined, signal: AbortSignal): Promise<PlannedBatch | undefined> {
  const start = point.start ?? (await source.initialOffset({ signal }))
  if (point.end !== undefined) return { batchId: point.batchId, start, end: point.end }
  const end = await source.latestOffset(start, limit, { signal })
  if (canonicalJson(end) === canonicalJson(start)) return undefined
  const batch: PlannedBatch = { batchId: point.batchId, start, end }
  await state.writeBatch(batch, signal)
  return batch
}

function mismatch(appId: string, detail: string): IngestError {
  return new IngestError('JobMismatch', `job '${appId}': ${detail}; Help: use a new appId, or restore the job state that belongs to this table`, { context: { appId } })
}
