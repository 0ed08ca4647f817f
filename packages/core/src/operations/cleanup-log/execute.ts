// Expired log cleanup (protocol-notes §11): deletes log files made redundant by a checkpoint older
// than `delta.logRetentionDuration`. Never deletes anything needed to read a retained version.
//
//   const table = await DeltaTable.open('s3://lake/events')
//   const { files, checkpointVersion } = await table.cleanupLog({ dryRun: true })  // then table.cleanupLog() deletes them

import { mapConcurrent } from '@lake/storage'
import type { ObjectMeta } from '@lake/storage'
import type { Engine } from '../../engine.js'
import { listLog } from '../../read/list-log.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { assertWritable } from '../../features/index.js'
import { planLogCleanup } from './plan.js'

const DELETE_CONCURRENCY = 8

/** Options of `cleanupLog`. */
export interface CleanupLogOptions {
  /** Only report what would be deleted. */
  readonly dryRun?: boolean
  readonly signal?: AbortSignal
  /** The latest snapshot when the caller already holds it (`DeltaTable` passes its own), so the log is not read again; loaded when absent. */
  readonly snapshot?: Snapshot
}

/** What a log cleanup deleted (or would delete). */
export interface CleanupLogResult {
  readonly dryRun: boolean
  readonly cutoff: number
  /** The checkpoint the log now starts from, when anything expired. */
  readonly checkpointVersion: number | undefined
  readonly files: readonly ObjectMeta[]
}

/**
 * Deletes expired log files per `planLogCleanup` (a few at a time). Everything deleted is older than
 * the checkpoint it keeps, so an interrupted cleanup leaves the table readable from that checkpoint
 * on; only versions that were expiring anyway may lose their history early.
 * @throws TableError `TableNotFound`; ProtocolError `UnsupportedFeature` for a writer feature lake
 * does not know (nothing is deleted); StorageError.
 */
export async function cleanupLog(engine: Engine, options: CleanupLogOptions = {}): Promise<CleanupLogResult> {
  const { signal } = options
  const snapshot = options.snapshot ?? (await loadSnapshot(engine, signal === undefined ? {} : { signal }))
  assertWritable(snapshot, 'clean up the log')
  const entries = await listLog(engine, 0, signal)
  const plan = planLogCleanup({ entries, now: engine.now(), logRetentionMs: snapshot.config.logRetentionMs })
  const dryRun = options.dryRun === true
  if (!dryRun) await mapConcurrent(plan.files, DELETE_CONCURRENCY, (f) => engine.store.delete(f.path, { signal }))
  return { dryRun, cutoff: plan.cutoff, checkpointVersion: plan.checkpointVersion, files: plan.files }
}
