// VACUUM (protocol-notes §12): deletes data files the table no longer references once they are
// older than the retention. Dry run by default; never touches `_delta_log`; commits nothing.

import { mapConcurrent } from '@lake/storage'
import type { ObjectMeta } from '@lake/storage'
import type { Engine } from '../engine.js'
import { hasWriterFeature } from '../protocol/features.js'
import { loadSnapshot } from '../snapshot/load-snapshot.js'
import { assertCanWrite } from '../write/can-write.js'
import { MaintenanceError } from './maintenance-error.js'
import { planVacuum } from './plan-vacuum.js'

const HOUR_MS = 3_600_000
/** Deletes in flight at once when the store has no batch delete. */
const DELETE_CONCURRENCY = 8

/** Options of `vacuum`. */
export interface VacuumOptions {
  /** Keep unreferenced files younger than this; default `delta.deletedFileRetentionDuration` (7 days). */
  readonly retentionHours?: number
  /** Only report what would be deleted (default true). */
  readonly dryRun?: boolean
  /** Refuse a retention shorter than the table's `delta.deletedFileRetentionDuration` (default true). */
  readonly enforceRetention?: boolean
  readonly signal?: AbortSignal
}

/** What a vacuum found (and, unless a dry run, deleted). */
export interface VacuumResult {
  readonly dryRun: boolean
  /** The table version the protected file set was taken from. */
  readonly version: number
  readonly retentionMs: number
  /** Files last modified before this instant (epoch ms) were eligible. */
  readonly deleteBefore: number
  readonly files: readonly ObjectMeta[]
  readonly numFiles: number
  readonly sizeInBytes: number
  readonly filesConsidered: number
}

/**
 * Lists the table, plans with `planVacuum` against the latest snapshot, and deletes the planned
 * files unless `dryRun`. Tables with `vacuumProtocolCheck` must also be writable by lake.
 * @throws MaintenanceError `SafetyCheck` when the retention is shorter than the table's and
 * `enforceRetention` is not false; `InvalidArgument` for a negative or non-finite retention.
 * @throws TableError `TableNotFound`; ProtocolError `UnsupportedFeature`; StorageError.
 */
export async function vacuum(engine: Engine, options: VacuumOptions = {}): Promise<VacuumResult> {
  const { signal } = options
  const snapshot = await loadSnapshot(engine, signal === undefined ? {} : { signal })
  if (hasWriterFeature(snapshot.protocol, 'vacuumProtocolCheck')) {
    assertCanWrite({ protocol: snapshot.protocol, schema: snapshot.schema, configuration: snapshot.metadata.configuration }, { removesData: false })
  }
  const tableRetentionMs = snapshot.config.deletedFileRetentionMs
  const retentionMs = retentionOf(options.retentionHours, tableRetentionMs)
  if (options.enforceRetention !== false && retentionMs < tableRetentionMs) {
    throw new MaintenanceError(
      'SafetyCheck',
      `vacuum retention of ${retentionMs / HOUR_MS} hours is shorter than the table's delta.deletedFileRetentionDuration of ${tableRetentionMs / HOUR_MS} hours: ` +
        'files still needed by running writers or time travel could be deleted. Help: use a longer retention, or disable the check (enforceRetention: false / --force) if no writer or reader needs them',
      { context: { retentionMs, tableRetentionMs } },
    )
  }
  const deleteBefore = engine.now() - retentionMs
  const listing: ObjectMeta[] = []
  for await (const meta of engine.store.list('', { signal })) listing.push(meta)
  const plan = planVacuum({ files: snapshot.files(), tombstones: snapshot.tombstones(), listing, deleteBefore, storeUrl: engine.store.url })
  const dryRun = options.dryRun !== false
  if (!dryRun) await deleteFiles(engine, plan.files.map((f) => f.path), signal)
  return {
    dryRun,
    version: snapshot.version,
    retentionMs,
    deleteBefore,
    files: plan.files,
    numFiles: plan.files.length,
    sizeInBytes: plan.sizeInBytes,
    filesConsidered: plan.filesConsidered,
  }
}

function retentionOf(hours: number | undefined, tableRetentionMs: number): number {
  if (hours === undefined) return tableRetentionMs
  if (!Number.isFinite(hours) || hours < 0) {
    throw new MaintenanceError('InvalidArgument', `vacuum: expected a non-negative retention in hours, found ${hours}`)
  }
  return Math.round(hours * HOUR_MS)
}

async function deleteFiles(engine: Engine, paths: readonly string[], signal: AbortSignal | undefined): Promise<void> {
  const { store } = engine
  if (store.deleteMany !== undefined) {
    await store.deleteMany(paths, { signal })
    return
  }
  await mapConcurrent(paths, DELETE_CONCURRENCY, (path) => store.delete(path, { signal }))
}
