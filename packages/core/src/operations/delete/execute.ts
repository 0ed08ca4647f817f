// DELETE (docs/row-level-plan.md §3): plan over the latest snapshot, read candidate files with row
// indexes, decide per file (untouched / remove whole / deletion vector / rewrite), write DVs or kept
// rows, and commit one DELETE through the Transaction with what it read; on a conflict, re-plan
// (operations/run.ts). A failed delete leaves the table as it was: files written for an attempt
// that did not commit are deleted.
//
//   const { version, metrics, replans } = await deleteRows(engine, "day < DATE '2024-01-01'")

import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import { applyOutcomes } from '../../rewrite/apply-outcomes.js'
import { stageRewrite } from '../../rewrite/commit-rewrite.js'
import { decideFiles, rewriteTarget } from '../../rewrite/decide-files.js'
import { deleteWhere } from '../../rewrite/read-affected.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import type { CommitOptions } from '../../transaction/commit-request.js'
import { runOperation } from '../run.js'
import type { ExecuteContext, Executed, RunStats } from '../run.js'
import { deleteMetrics } from './metrics.js'
import type { DeleteMetrics } from './metrics.js'
import { planDelete } from './plan.js'
import type { DeletePlan } from './plan.js'

/** Options of `deleteRows`: commit settings (`commit.maxReplans`, default 16) and an abort signal. */
export interface DeleteOptions {
  readonly commit?: CommitOptions
  readonly signal?: AbortSignal
}

/**
 * A DELETE's outcome: the committed version (undefined when no row matched: nothing committed), its
 * metrics (of the attempt that committed), and how many times it ran (`attempts` = 1 + `replans`).
 */
export interface DeleteResult extends RunStats {
  readonly version: number | undefined
  readonly metrics: DeleteMetrics
}

/**
 * Deletes the rows of the table's latest version for which `predicate` is TRUE (absent: every row).
 * On a conflicting concurrent commit it re-plans against the new version (`runOperation`).
 * @throws PredicateError `InvalidPredicate` (before any data is read); ProtocolError `UnsupportedFeature`
 *   when lake may not write the table (e.g. change data feed with a copy-on-write rewrite);
 *   CommitConflictError when re-planning is off or exhausted (`context.replans`), or the conflict is
 *   not one a re-plan resolves; StorageError, ParquetError, DeletionVectorError from reads and writes.
 */
export function deleteRows(engine: Engine, predicate?: string, options: DeleteOptions = {}): Promise<DeleteResult> {
  return runOperation(
    engine,
    {
      name: 'DELETE',
      plan: (snapshot) => planDelete(snapshot, predicate),
      execute: (plan, snapshot, context) => executeDelete(engine, snapshot, plan, context),
    },
    options,
  )
}

/** One attempt: reads the candidates, writes DVs or kept rows, stages the DELETE commit. */
async function executeDelete(
  engine: Engine,
  snapshot: Snapshot,
  plan: DeletePlan,
  context: ExecuteContext,
): Promise<Executed<Omit<DeleteResult, keyof RunStats>>> {
  const started = performance.now()
  const { signal } = context
  const txn = Transaction.begin(engine, snapshot, {
    operation: { kind: 'delete', ...(plan.predicate === undefined ? {} : { predicate: plan.predicate.text }) },
    intent: { removesData: true, rewritesRows: plan.mode === 'copyOnWrite' && plan.read.length > 0, writesDeletionVectors: plan.mode === 'deletionVectors' },
    commit: context.commit,
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
  const written = { adds: applied.adds, keys: applied.dvPath === undefined ? [] : [applied.dvPath] }
  const result = (version: number | undefined): Omit<DeleteResult, keyof RunStats> => ({ version, metrics })
  if (plan.whole.length + applied.removes.length + applied.dvFiles.length === 0) return { txn: undefined, written, result }
  stageRewrite(txn, plan, applied).setMetrics({ ...metrics })
  return { txn, written, result }
}
