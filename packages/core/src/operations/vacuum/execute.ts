// VACUUM (protocol-notes §12): deletes data files the table no longer references once they are
// older than the retention. Dry run by default; never touches `_delta_log` files; an executed
// vacuum commits VACUUM START before deleting and VACUUM END after, as Spark does.
//
//   const table = await DeltaTable.open('s3://lake/events')
//   await table.vacuum()                                         // dry run: what would be deleted
//   await table.vacuum({ retentionHours: 168, dryRun: false })  // delete (free function: vacuum(engine, options))

import { mapConcurrent } from '@lake/storage'
import type { ObjectMeta } from '@lake/storage'
import type { Engine } from '../../engine.js'
import { assertCanWrite, assertWritable, hasWriterFeature } from '../../features/index.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { MaintenanceError } from '../../errors.js'
import { planVacuum } from './plan.js'
import type { VacuumPlan } from './plan.js'
import { commitVacuumPhase } from './commit-phase.js'

const HOUR_MS = 3_600_000
/**
 * A temp file younger than this is never removed, whatever the retention: it may belong to a write
 * in flight (a commit's temp file is linked into place moments after it is written).
 */
const TEMP_FILE_MIN_AGE_MS = HOUR_MS
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
  /** The latest snapshot when the caller already holds it (`DeltaTable` passes its own), so the log is not read again; loaded when absent. */
  readonly snapshot?: Snapshot
}

/** What a vacuum found (and, unless a dry run, deleted). */
export interface VacuumResult {
  readonly dryRun: boolean
  /** The table version the protected file set was taken from (the VACUUM START commit when executed). */
  readonly version: number
  readonly retentionMs: number
  /** Files last modified before this instant (epoch ms) were eligible. */
  readonly deleteBefore: number
  readonly files: readonly ObjectMeta[]
  readonly numFiles: number
  readonly sizeInBytes: number
  readonly filesConsidered: number
  /**
   * Temp files of interrupted local writes (`.lake-*.tmp`, never data) older than the retention and
   * at least an hour old (younger ones may be writes in flight): removed unless a dry run. Empty on
   * stores that leave none (S3).
   */
  readonly tempFiles: readonly ObjectMeta[]
}

/**
 * Lists the table, plans with `planVacuum` against the latest snapshot, and (unless `dryRun`)
 * deletes the planned files between a `VACUUM START` and a `VACUUM END` commit, as Spark does.
 * The cutoff is fixed before START and the files to delete are planned again against the table as
 * of START, so a writer that committed before START keeps its files and one that commits after it
 * sees the vacuum and checks its files (commit loop). A failed delete commits `VACUUM END` with
 * status `FAILED` before rethrowing. Stale temp files of killed local writes (`.lake-*.tmp`) older
 * than the retention, and at least an hour old, are removed too (`tempFiles`). Refuses tables with
 * a writer feature lake does not know.
 * @throws MaintenanceError `SafetyCheck` when the retention is shorter than the table's and
 * `enforceRetention` is not false; `InvalidArgument` for a negative or non-finite retention.
 * @throws TableError `TableNotFound`; ProtocolError `UnsupportedFeature`; CommitConflictError; StorageError.
 */
export async function vacuum(engine: Engine, options: VacuumOptions = {}): Promise<VacuumResult> {
  const { signal } = options
  const snapshot = options.snapshot ?? (await loadSnapshot(engine, signal === undefined ? {} : { signal }))
  assertWritable(snapshot, 'vacuum')
  if (hasWriterFeature(snapshot.protocol, 'vacuumProtocolCheck')) {
    assertCanWrite({ protocol: snapshot.protocol, schema: snapshot.schema, configuration: snapshot.metadata.configuration }, { removesData: false })
  }
  const tableRetentionMs = snapshot.config.deletedFileRetentionMs
  const retentionMs = retentionOf(options.retentionHours, tableRetentionMs)
  const enforce = options.enforceRetention !== false
  if (enforce && retentionMs < tableRetentionMs) throw retentionError(retentionMs, tableRetentionMs)
  const deleteBefore = engine.now() - retentionMs
  const listing: ObjectMeta[] = []
  for await (const meta of engine.store.list('', { signal })) listing.push(meta)
  const run: VacuumRun = { engine, listing, deleteBefore, tempBefore: Math.min(deleteBefore, engine.now() - TEMP_FILE_MIN_AGE_MS), signal }
  const planned = planAt(run, snapshot)
  if (options.dryRun !== false) return resultOf(run, true, retentionMs, snapshot.version, planned, await staleTemp(run, true))
  const startOp = { kind: 'vacuumStart', retentionCheckEnabled: enforce, defaultRetentionMillis: tableRetentionMs, ...(options.retentionHours === undefined ? {} : { specifiedRetentionMillis: retentionMs }) } as const
  const startVersion = await commitVacuumPhase(engine, snapshot, startOp, { numFilesToDelete: planned.files.length, sizeOfDataToDelete: planned.sizeInBytes }, signal)
  const atStart = await loadSnapshot(engine, { version: startVersion, ...(signal === undefined ? {} : { signal }) })
  const plan = planAt(run, atStart)
  let tempFiles: readonly ObjectMeta[]
  try {
    await deleteFiles(engine, plan.files.map((f) => f.path), signal)
    tempFiles = await staleTemp(run, false)
  } catch (err) {
    await commitVacuumPhase(engine, atStart, { kind: 'vacuumEnd', status: 'FAILED' }, { numDeletedFiles: 0, numVacuumedDirectories: 0 }, signal).catch(() => undefined)
    throw err
  }
  await commitVacuumPhase(engine, atStart, { kind: 'vacuumEnd', status: 'COMPLETED' }, { numDeletedFiles: plan.files.length, numVacuumedDirectories: 0 }, signal)
  return resultOf(run, false, retentionMs, startVersion, plan, tempFiles)
}

/** What one vacuum fixed before it started: the listing, the cutoffs, the signal. */
interface VacuumRun {
  readonly engine: Engine
  readonly listing: readonly ObjectMeta[]
  /** Data files modified before this are candidates. */
  readonly deleteBefore: number
  /** Temp files modified before this are stale (never less than an hour ago). */
  readonly tempBefore: number
  readonly signal: AbortSignal | undefined
}

function planAt(run: VacuumRun, snapshot: Snapshot): VacuumPlan {
  return planVacuum({ files: snapshot.files(), tombstones: snapshot.tombstones(), listing: run.listing, deleteBefore: run.deleteBefore, storeUrl: run.engine.store.url })
}

async function staleTemp(run: VacuumRun, dryRun: boolean): Promise<readonly ObjectMeta[]> {
  return (await run.engine.store.removeStaleTemp?.(run.tempBefore, { dryRun, signal: run.signal })) ?? []
}

function resultOf(run: VacuumRun, dryRun: boolean, retentionMs: number, version: number, plan: VacuumPlan, tempFiles: readonly ObjectMeta[]): VacuumResult {
  const { deleteBefore } = run
  return { dryRun, version, retentionMs, deleteBefore, files: plan.files, numFiles: plan.files.length, sizeInBytes: plan.sizeInBytes, filesConsidered: plan.filesConsidered, tempFiles }
}

function retentionError(retentionMs: number, tableRetentionMs: number): MaintenanceError {
  return new MaintenanceError(
    'SafetyCheck',
    `vacuum retention of ${retentionMs / HOUR_MS} hours is shorter than the table's delta.deletedFileRetentionDuration of ${tableRetentionMs / HOUR_MS} hours: ` +
      'files still needed by running writers or time travel could be deleted. Help: use a longer retention, or disable the check (enforceRetention: false / --force) if no writer or reader needs them',
    { context: { retentionMs, tableRetentionMs } },
  )
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
