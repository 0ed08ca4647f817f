// DELETE (docs/row-level-plan.md §3): plan over the latest snapshot, read candidate files with row
// indexes, decide per file (untouched / remove whole / deletion vector / rewrite), write DVs or kept
// rows, and commit one DELETE through the Transaction with what it read. A failed delete leaves the
// table as it was: files written for an attempt that did not commit are deleted.

import type { AddFile } from '../../actions/types.js'
import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import { provesNotCommitted } from '../../files/discard-files.js'
import { applyOutcomes, discardWritten } from '../../rewrite/apply-outcomes.js'
import type { AppliedOutcomes, DecidedFile } from '../../rewrite/apply-outcomes.js'
import { fileOutcome } from '../../rewrite/file-outcome.js'
import { readAffected } from '../../rewrite/read-affected.js'
import { planScan } from '../../scan/plan-scan.js'
import { compileFileReader } from '../../scan/read-scan-file.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import type { CommitOptions } from '../../transaction/commit-request.js'
import { deleteMetrics } from './metrics.js'
import type { DeleteMetrics } from './metrics.js'
import { planDelete } from './plan.js'
import type { DeletePlan } from './plan.js'

/** Options of `deleteRows`. */
export interface DeleteOptions {
  readonly commit?: CommitOptions
  readonly signal?: AbortSignal
}

/** A DELETE's outcome: the committed version (undefined when no row matched: nothing committed) and its metrics. */
export interface DeleteResult {
  readonly version: number | undefined
  readonly metrics: DeleteMetrics
}

/**
 * Deletes the rows of the table's latest version for which `predicate` is TRUE (absent: every row).
 * @throws PredicateError `InvalidPredicate` (before any data is read); ProtocolError `UnsupportedFeature`
 *   when lake may not write the table (e.g. change data feed with a copy-on-write rewrite);
 *   CommitConflictError (`ConcurrentDeleteRead`, `ConcurrentDeleteDelete`, `ConcurrentAppend`, ...);
 *   StorageError, ParquetError, DeletionVectorError from reads and writes.
 */
export async function deleteRows(engine: Engine, predicate?: string, options: DeleteOptions = {}): Promise<DeleteResult> {
  const started = performance.now()
  const { signal } = options
  const snapshot = await loadSnapshot(engine, signal === undefined ? {} : { signal })
  const plan = planDelete(snapshot, predicate)
  const txn = Transaction.begin(engine, snapshot, {
    operation: { kind: 'delete', ...(plan.predicate === undefined ? {} : { predicate: plan.predicate.text }) },
    intent: { removesData: true, rewritesRows: plan.mode === 'copyOnWrite' && plan.read.length > 0, writesDeletionVectors: plan.mode === 'deletionVectors' },
    commit: options.commit,
    signal,
  })
  const decided = await decideFiles(engine, snapshot, plan, signal)
  const scanned = performance.now()
  const applied = await applyOutcomes(engine, decided.files, rewriteTarget(snapshot), signal)
  const now = performance.now()
  const timesMs = { execution: Math.round(now - started), scan: Math.round(scanned - started), rewrite: Math.round(now - scanned) }
  const metrics = deleteMetrics({ deletedRowsRead: decided.deletedRows, applied, wholeUnread: plan.whole, timesMs })
  if (plan.whole.length + applied.removes.length + applied.dvFiles.length === 0) return { version: undefined, metrics }
  stage(txn, plan, applied).setMetrics({ ...metrics })
  try {
    const outcome = await txn.commitOrThrow()
    return { version: outcome.version, metrics }
  } catch (err) {
    if (provesNotCommitted(err)) await discardWritten(engine, applied.adds, applied.dvPath)
    throw err
  }
}

function stage(txn: Transaction, plan: DeletePlan, applied: AppliedOutcomes): Transaction {
  txn
    .removeFiles([...plan.whole, ...applied.removes])
    .updateDeletionVectors(applied.dvUpdates, applied.dvFiles, applied.dvStats)
    .addFiles(applied.adds)
    .readFiles([...plan.whole, ...plan.read].map((file) => file.path))
  return plan.predicate === undefined ? txn.readWholeTable() : txn.readPredicate(plan.predicate.matchesFile, plan.predicate.text)
}

async function decideFiles(
  engine: Engine,
  snapshot: Snapshot,
  plan: DeletePlan,
  signal: AbortSignal | undefined,
): Promise<{ files: DecidedFile[]; deletedRows: number }> {
  const files: DecidedFile[] = []
  let deletedRows = 0
  if (plan.predicate === undefined || plan.read.length === 0) return { files, deletedRows }
  const source = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode, files: (): AddFile[] => [] }
  const reader = compileFileReader(planScan(source))
  for (const file of plan.read) {
    const read = await readAffected(engine, reader, file, plan.predicate.predicate, plan.mode, signal)
    deletedRows += read.affected.length
    files.push({ file, outcome: fileOutcome(read, plan.mode), physicalRows: read.physicalRows })
  }
  return { files, deletedRows }
}

function rewriteTarget(snapshot: Snapshot): { schema: Snapshot['schema']; partitionColumns: readonly string[]; statsColumnLimit: number } {
  return { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, statsColumnLimit: snapshot.config.statsColumnLimit }
}
