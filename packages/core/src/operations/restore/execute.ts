// RESTORE: a new commit that makes the table equal to an earlier version (Spark's RESTORE TABLE),
// refusing when a file it would re-add is gone (vacuumed), since the result would be unreadable.
//
//   const table = await DeltaTable.open('s3://lake/events')
//   const { version, restoredVersion, metrics } = await table.restore({ version: 41 })  // or { timestamp: '2024-05-01T00:00:00Z' }

import { isLakeError, mapConcurrent } from '@lake/storage'
import type { Action, AddFile } from '../../actions/types.js'
import { decodeFilePath, isAbsolutePath } from '../../actions/file-path.js'
import type { CommitOptions } from '../../transaction/commit-request.js'
import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { toEpochMs, versionAtTimestamp } from '../../snapshot/version-at-timestamp.js'
import type { TimestampInput } from '../../snapshot/version-at-timestamp.js'
import { MaintenanceError } from '../../errors.js'
import { planRestore } from './plan.js'
import type { RestoreMetrics } from './plan.js'

/** Existence checks in flight at once. */
const HEAD_CONCURRENCY = 8
/** Missing files named in the error message. */
const MISSING_SHOWN = 3

/** The version to restore to: exactly one of `version` and `timestamp`. */
export type RestoreTarget = { readonly version: number } | { readonly timestamp: TimestampInput }

/** Options of `restore`. */
export interface RestoreOptions {
  readonly commit?: CommitOptions
  readonly signal?: AbortSignal
  /** The latest snapshot when the caller already holds it (`DeltaTable` passes its own), so the log is not read again; loaded when absent. */
  readonly snapshot?: Snapshot
}

/** The outcome of a restore. */
export interface RestoreResult {
  /** The new version holding the restore commit. */
  readonly version: number
  /** The version restored to. */
  readonly restoredVersion: number
  readonly metrics: RestoreMetrics
}

/**
 * Restores the table to `target` with one commit (operation `RESTORE`, Spark's metrics).
 * @throws MaintenanceError `SafetyCheck` when files of the target version no longer exist.
 * @throws TableError `VersionNotFound` / `TimestampOutOfRange`; CommitConflictError on a concurrent change.
 */
export async function restore(engine: Engine, target: RestoreTarget, options: RestoreOptions = {}): Promise<RestoreResult> {
  const { signal } = options
  const sig = signal === undefined ? {} : { signal }
  const current = options.snapshot ?? (await loadSnapshot(engine, sig))
  const restoredVersion = 'version' in target ? target.version : await versionAtTimestamp(engine, target.timestamp, sig)
  const old = await loadSnapshot(engine, { version: restoredVersion, ...sig })
  const plan = planRestore(
    { version: current.version, files: current.files(), metadata: current.metadata, protocol: current.protocol },
    { version: old.version, files: old.files(), metadata: old.metadata, protocol: old.protocol },
    engine.now(),
  )
  const txn = Transaction.begin(engine, current, {
    operation: { kind: 'restore', ...('version' in target ? { version: restoredVersion } : { timestamp: new Date(toEpochMs(target.timestamp)).toISOString() }) },
    intent: { removesData: plan.metrics.numRemovedFiles > 0 },
    protocol: current.protocol,
    metadata: old.metadata,
    // inCommitTimestamps as the table is now, not as restored (the commit lands on today's table).
    ictFrom: 'read',
    commit: options.commit,
    signal,
  })
  await assertFilesExist(engine, plan.restored, restoredVersion, signal)
  for (const action of plan.actions) stage(txn, action)
  txn.readWholeTable().readFiles(current.files().map((f) => f.path))
  txn.setMetrics({
    table_size_after_restore: plan.metrics.tableSizeAfterRestore,
    num_of_files_after_restore: plan.metrics.numOfFilesAfterRestore,
    num_removed_files: plan.metrics.numRemovedFiles,
    num_restored_files: plan.metrics.numRestoredFiles,
    removed_files_size: plan.metrics.removedFilesSize,
    restored_files_size: plan.metrics.restoredFilesSize,
  })
  const result = await txn.commitOrThrow()
  return { version: result.version, restoredVersion, metrics: plan.metrics }
}

/** Stages one action of the pure restore plan (protocol, metaData, remove, add). */
function stage(txn: Transaction, action: Action): void {
  if (action.kind === 'protocol') txn.setProtocol(action.protocol)
  else if (action.kind === 'metaData') txn.setMetadata(action.metaData)
  else if (action.kind === 'remove') txn.stageRemoves([action.remove])
  else if (action.kind === 'add') txn.addFiles([action.add])
  else throw new MaintenanceError('InvalidArgument', `restore: expected a protocol, metaData, remove or add action in the plan, found ${action.kind}`)
}

async function assertFilesExist(engine: Engine, files: readonly AddFile[], version: number, signal: AbortSignal | undefined): Promise<void> {
  const relative = files.filter((f) => !isAbsolutePath(f.path))
  const missing = await mapConcurrent(relative, HEAD_CONCURRENCY, async (f) => {
    try {
      await engine.store.head(decodeFilePath(f.path), { signal })
      return undefined
    } catch (err) {
      if (isLakeError(err, 'NotFound')) return f.path
      throw err
    }
  })
  const gone = missing.filter((p): p is string => p !== undefined)
  if (gone.length === 0) return
  throw new MaintenanceError(
    'SafetyCheck',
    `cannot restore to version ${version}: ${gone.length} of its data files no longer exist (probably vacuumed), e.g. ${gone.slice(0, MISSING_SHOWN).join(', ')}. ` +
      'Help: restore to a later version whose files are still retained',
    { context: { version, missing: gone.length } },
  )
}
