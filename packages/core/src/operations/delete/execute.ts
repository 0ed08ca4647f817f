// DELETE (docs/row-level-plan.md §3): plan over the latest snapshot, read candidate files with row
// indexes, decide per file (untouched / remove whole / deletion vector / rewrite), write DVs or kept
// rows, and commit one DELETE through the Transaction with what it read; on a conflict, re-plan
// (operations/run.ts). A failed delete leaves the table as it was: files written for an attempt
// that did not commit are deleted.
//
//   const { version, metrics, replans } = await deleteRows(engine, "day < DATE '2024-01-01'")

import type { AddCDCFile, AddFile } from '../../actions/types.js'
import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import { assertCanWrite } from '../../features/index.js'
import { applyOutcomes, discardWritten, keptRowsWriter } from '../../rewrite/apply-outcomes.js'
import type { AppliedOutcomes } from '../../rewrite/apply-outcomes.js'
import { createChangeSink, recordingDeletes } from '../../rewrite/change-sink.js'
import { columnarMatcher, decideColumnar } from '../../rewrite/columnar-match.js'
import type { ColumnarMatcher } from '../../rewrite/columnar-match.js'
import type { ChangeSink } from '../../rewrite/change-sink.js'
import { stageRewrite } from '../../rewrite/commit-rewrite.js'
import { copyOnWriteRoute } from '../../rewrite/copy-on-write-route.js'
import type { CopyOnWriteRewrite } from '../../rewrite/copy-on-write-route.js'
import { decideFiles, rewriteTarget } from '../../rewrite/decide-files.js'
import type { DecidedFiles, DecideOptions, NewRowsSink } from '../../rewrite/decide-files.js'
import type { RowChange } from '../../rewrite/read-affected.js'
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
 * With `delta.enableChangeDataFeed=true`, a copy-on-write DELETE that rewrites a file records every deleted
 * row as a `delete` change in change data files (docs/row-level-plan.md §7); otherwise the feed is inferred.
 * @throws PredicateError `InvalidPredicate` (before any data is read); ProtocolError `UnsupportedFeature`
 *   when lake may not write the table; CommitConflictError when re-planning is off or exhausted
 *   (`context.replans`), or the conflict is not one a re-plan resolves; StorageError, ParquetError,
 *   DeletionVectorError from reads and writes.
 */
export function deleteRows(engine: Engine, predicate?: string, options: DeleteOptions = {}): Promise<DeleteResult> {
  return runOperation(
    engine,
    {
      name: 'DELETE',
      plan: (snapshot) => {
        // Features before the plan: a table lake cannot write may key partition values by physical names (column mapping).
        assertCanWrite({ protocol: snapshot.protocol, schema: snapshot.schema, configuration: snapshot.metadata.configuration }, { removesData: true, writesChangeData: true })
        return planDelete(snapshot, predicate)
      },
      execute: (plan, snapshot, context) => executeDelete(engine, snapshot, plan, context),
    },
    options,
  )
}

/** One attempt: reads the candidates, writes DVs or kept rows and change data, stages the DELETE commit. */
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
    intent: {
      removesData: true,
      rewritesRows: plan.mode === 'copyOnWrite' && plan.read.length > 0,
      writesChangeData: true,
      writesDeletionVectors: plan.mode === 'deletionVectors',
    },
    commit: context.commit,
    signal,
  })
  const sink = createChangeSink(engine, snapshot, signal === undefined ? {} : { signal })
  // No predicate: every file is removed whole and none is read.
  const change: RowChange = plan.predicate === undefined ? (): null => null : deleteWhere(plan.predicate.predicate)
  // Deletes by DV or whole-file removal are inferred by CDF readers; only copy-on-write may need cdc rows.
  const recorded = sink.enabled && plan.mode === 'copyOnWrite' ? recordingDeletes(change, sink) : change
  // With deletion vectors only the matching positions are needed: the predicate's columns, no rows.
  const columnar = plan.mode === 'deletionVectors' && plan.predicate !== undefined ? columnarMatcher(engine, snapshot, plan.predicate.predicate) : undefined
  // Copy-on-write rewrites files column by column when the table's types allow it (deleted rows become row objects only for change data).
  const copyOnWrite = plan.mode === 'copyOnWrite' && plan.predicate !== undefined && plan.read.length > 0 ? await copyOnWriteRoute(engine, snapshot, plan.predicate.predicate) : undefined
  const { decided, scanned, applied, cdc } = await rewriteFiles(engine, snapshot, plan, { change: recorded, columnar, copyOnWrite, recordsDeletes: recorded !== change }, sink, signal)
  const now = performance.now()
  const timesMs = { execution: Math.round(now - started), scan: Math.round(scanned - started), rewrite: Math.round(now - scanned) }
  const metrics = deleteMetrics({ deletedRowsRead: decided.affectedRows, applied, wholeUnread: plan.whole, changeFiles: cdc.length, timesMs })
  const written = { adds: applied.adds, cdc, keys: applied.dvPath === undefined ? [] : [applied.dvPath] }
  const result = (version: number | undefined): Omit<DeleteResult, keyof RunStats> => ({ version, metrics })
  if (plan.whole.length + applied.removes.length + applied.dvFiles.length === 0) return { txn: undefined, written, result }
  stageRewrite(txn, plan, applied).addCdcFiles(cdc).setMetrics({ ...metrics })
  return { txn, written, result }
}

/**
 * How files are decided: `columnar` (deletion vectors, a predicate it covers), `copyOnWrite` (rewrites
 * column by column), or row by row with `change`.
 */
interface DeleteRoute {
  readonly change: RowChange
  readonly columnar: ColumnarMatcher | undefined
  readonly copyOnWrite: CopyOnWriteRewrite | undefined
  /** `change` records each deleted row (change data): the copy-on-write route must make them rows. */
  readonly recordsDeletes: boolean
}

interface Rewritten {
  readonly decided: DecidedFiles
  /** `performance.now()` when the last file was read. */
  readonly scanned: number
  readonly applied: AppliedOutcomes
  readonly cdc: readonly AddCDCFile[]
}

/** Decides the files on the route's path; `adds` and `rows`: what a columnar copy-on-write wrote beside `options.writeKeptRows`. */
async function decide(engine: Engine, snapshot: Snapshot, plan: DeletePlan, route: DeleteRoute, options: DecideOptions & { writeKeptRows: NewRowsSink }): Promise<{ decided: DecidedFiles; adds: readonly AddFile[]; rows: number }> {
  if (route.copyOnWrite !== undefined) return route.copyOnWrite(plan.read, { ...options, change: route.change, changesRows: route.recordsDeletes })
  const decided = await (route.columnar === undefined
    ? decideFiles(engine, snapshot, plan.read, route.change, plan.mode, options)
    : decideColumnar(engine, snapshot, route.columnar, plan.read, options.signal))
  return { decided, adds: [], rows: 0 }
}

/** Decides the files (writing each rewrite's kept rows as soon as it is decided), writes DVs, then the change data files when the commit needs them; on failure deletes what it wrote. */
async function rewriteFiles(engine: Engine, snapshot: Snapshot, plan: DeletePlan, route: DeleteRoute, sink: ChangeSink, signal: AbortSignal | undefined): Promise<Rewritten> {
  const kept = keptRowsWriter(engine, rewriteTarget(snapshot), signal)
  try {
    const { decided, adds, rows } = await decide(engine, snapshot, plan, route, { signal, afterFile: () => sink.flush(), writeKeptRows: (rows) => kept.write(rows) }).catch(async (err: unknown) => {
      await kept.discard()
      throw err
    })
    const scanned = performance.now()
    const applied = await applyOutcomes(engine, decided.files, rewriteTarget(snapshot), { signal, written: [...kept.adds, ...adds], copiedRows: kept.rows + rows })
    try {
      const cdc = await sink.finish({ rewritesFiles: decided.files.some((d) => d.outcome.kind === 'rewrite') })
      return { decided, scanned, applied, cdc }
    } catch (err) {
      await discardWritten(engine, applied.adds, applied.dvPath)
      throw err
    }
  } catch (err) {
    await sink.discard()
    throw err
  }
}
