// DELETE (docs/row-level-plan.md §3): plan over the latest snapshot, read candidate files with row
// indexes, decide per file (untouched / remove whole / deletion vector / rewrite), write DVs or kept
// rows, and commit one DELETE through the Transaction with what it read. A failed delete leaves the
// table as it was: files written for an attempt that did not commit are deleted.

import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import { applyOutcomes } from '../../rewrite/apply-outcomes.js'
import { commitRewrite, stageRewrite } from '../../rewrite/commit-rewrite.js'
import { decideFiles, rewriteTarget } from '../../rewrite/decide-files.js'
import { deleteWhere } from '../../rewrite/read-affected.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { CommitOptions } from '../../transaction/commit-request.js'
import { deleteMetrics } from './metrics.js'
import type { DeleteMetrics } from './metrics.js'
import { planDelete } from './plan.js'

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
  // No predicate: every file is removed whole and none is read.
  const change = plan.predicate === undefined ? (): null => null : deleteWhere(plan.predicate.predicate)
  const decided = await decideFiles(engine, snapshot, plan.read, change, plan.mode, { signal })
  const scanned = performance.now()
  const applied = await applyOutcomes(engine, decided.files, rewriteTarget(snapshot), { signal })
  const now = performance.now()
  const timesMs = { execution: Math.round(now - started), scan: Math.round(scanned - started), rewrite: Math.round(now - scanned) }
  const metrics = deleteMetrics({ deletedRowsRead: decided.affectedRows, applied, wholeUnread: plan.whole, timesMs })
  if (plan.whole.length + applied.removes.length + applied.dvFiles.length === 0) return { version: undefined, metrics }
  stageRewrite(txn, plan, applied).setMetrics({ ...metrics })
  return { version: await commitRewrite(engine, txn, applied), metrics }
}
