// UPDATE (docs/row-level-plan.md §4): plan over the latest snapshot (SET values and WHERE checked
// before any I/O), read the candidate files with row indexes, replace matching rows by their new
// values (old rows → deletion vector bits and new rows → new files, or the file rewritten with
// copied and new rows), and commit one UPDATE through the Transaction with what it read. A failed
// update leaves the table as it was: files written for an attempt that did not commit are deleted.
// On a conflict, UPDATE re-plans against the new snapshot (operations/run.ts).

import type { AddCDCFile, AddFile } from '../../actions/types.js'
import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import { assertCanWrite, type WriteIntent } from '../../features/index.js'
import { RollingFileWriter } from '../../files/rolling-file-writer.js'
import { applyOutcomes, discardWritten, keptRowsWriter } from '../../rewrite/apply-outcomes.js'
import type { AppliedOutcomes } from '../../rewrite/apply-outcomes.js'
import { createChangeSink } from '../../rewrite/change-sink.js'
import type { ChangeSink } from '../../rewrite/change-sink.js'
import { stageRewrite } from '../../rewrite/commit-rewrite.js'
import { columnarMatcher, mayMatch } from '../../rewrite/columnar-match.js'
import { copyOnWriteRoute } from '../../rewrite/copy-on-write-route.js'
import { decideFiles, rewriteTarget } from '../../rewrite/decide-files.js'
import type { DecidedFiles } from '../../rewrite/decide-files.js'
import type { RowChange } from '../../rewrite/read-affected.js'
import { constraintEvaluator } from '../../rows/row-constraints.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import type { CommitOptions } from '../../transaction/commit-request.js'
import { runOperation } from '../run.js'
import type { ExecuteContext, Executed, RunStats } from '../run.js'
import { updateMetrics } from './metrics.js'
import type { UpdateMetrics } from './metrics.js'
import { planUpdate } from './plan.js'
import type { UpdatePlan, UpdateSpec } from './plan.js'
import { updateChange } from './row-change.js'
import type { UpdateImageSink } from './row-change.js'

/** Options of `updateRows`: commit settings (`commit.maxReplans`, default 16) and an abort signal. */
export interface UpdateOptions {
  readonly commit?: CommitOptions
  readonly signal?: AbortSignal
}

/**
 * An UPDATE's outcome: the committed version (undefined when no row matched: nothing committed), its
 * metrics (of the attempt that committed), and how many times it ran (`attempts` = 1 + `replans`).
 */
export interface UpdateResult extends RunStats {
  readonly version: number | undefined
  readonly metrics: UpdateMetrics
}

/**
 * Sets new values in the rows of the table's latest version for which `spec.where` is TRUE (absent: every row).
 * On a conflicting concurrent commit it re-plans against the new version (`runOperation`).
 * With `delta.enableChangeDataFeed=true` every updated row is written as an `update_preimage` /
 * `update_postimage` pair to change data files (copied rows are not changes).
 * @param sink - internal: also receives the pre- and post-image of every updated row (of every attempt)
 * @throws InvalidArgumentError, PredicateError `InvalidPredicate` (before any data is read);
 *   ProtocolError `UnsupportedFeature` when lake may not write the table (a
 *   generated column lake cannot compute, append-only); for a new row, before it is committed:
 *   SchemaError `SchemaMismatch` (NOT NULL), ConstraintViolationError, WriteError
 *   `ConstraintViolation` (generated column), ExpressionError (runtime); CommitConflictError when
 *   re-planning is off or exhausted (`context.replans`); StorageError, ParquetError, DeletionVectorError.
 */
export function updateRows(engine: Engine, spec: UpdateSpec, options: UpdateOptions = {}, sink?: UpdateImageSink): Promise<UpdateResult> {
  return runOperation(
    engine,
    {
      name: 'UPDATE',
      plan: (snapshot) => {
        // Features before the plan: a table lake cannot write may key partition values by physical names (column mapping).
        assertCanWrite({ protocol: snapshot.protocol, schema: snapshot.schema, configuration: snapshot.metadata.configuration }, updateIntent(snapshot), { canEvaluate: constraintEvaluator(snapshot.schema) })
        return planUpdate(snapshot, spec, { nowMs: engine.now() })
      },
      execute: (plan, snapshot, context) => executeUpdate(engine, snapshot, plan, context, sink),
    },
    options,
  )
}

/** True when no updated row can move to another partition: no SET of a partition column, no generated column (it may be one). */
function keepsPartitions(plan: UpdatePlan, snapshot: Snapshot): boolean {
  const partitions = snapshot.partitionColumns
  return partitions.length === 0 || (plan.generated === undefined && !plan.assignments.some((a) => partitions.includes(a.column)))
}

/** What an UPDATE commits: rewritten rows with their generated columns recomputed, change data, DVs when the table has them. */
function updateIntent(snapshot: Snapshot): WriteIntent {
  return { removesData: true, rewritesRows: true, writesChangeData: true, writesDeletionVectors: snapshot.config.enableDeletionVectors, computesGeneratedColumns: true }
}

/** One attempt: reads the candidates, writes new rows and DVs or rewritten files, stages the UPDATE commit. */
async function executeUpdate(
  engine: Engine,
  snapshot: Snapshot,
  plan: UpdatePlan,
  context: ExecuteContext,
  sink: UpdateImageSink | undefined,
): Promise<Executed<Omit<UpdateResult, keyof RunStats>>> {
  const started = performance.now()
  const { signal } = context
  const txn = Transaction.begin(engine, snapshot, {
    operation: { kind: 'update', ...(plan.condition === undefined ? {} : { predicate: plan.condition.sql }) },
    intent: updateIntent(snapshot),
    canEvaluate: constraintEvaluator(snapshot.schema),
    commit: context.commit,
    signal,
  })
  const changes = createChangeSink(engine, snapshot, signal === undefined ? {} : { signal })
  const images: UpdateImageSink = (pre, post) => {
    changes.record('update_preimage', pre)
    changes.record('update_postimage', post)
    sink?.(pre, post)
  }
  const { decided, scanned, applied, cdc } = await rewrite(engine, snapshot, plan, images, changes, signal)
  const now = performance.now()
  const timesMs = { execution: Math.round(now - started), scan: Math.round(scanned - started), rewrite: Math.round(now - scanned) }
  const metrics = updateMetrics({ updatedRows: decided.affectedRows, copiedRows: decided.copiedRows, applied, changeFiles: cdc.length, timesMs })
  const files = { adds: applied.adds, cdc, keys: applied.dvPath === undefined ? [] : [applied.dvPath] }
  const result = (version: number | undefined): Omit<UpdateResult, keyof RunStats> => ({ version, metrics })
  if (decided.affectedRows === 0) return { txn: undefined, written: files, result }
  stageRewrite(txn, { whole: [], read: plan.read, predicate: plan.predicate }, applied).addCdcFiles(cdc).setMetrics({ ...metrics })
  return { txn, written: files, result }
}

interface Rewritten {
  readonly decided: DecidedFiles
  /** `performance.now()` when the last file was read. */
  readonly scanned: number
  readonly applied: AppliedOutcomes
  readonly cdc: readonly AddCDCFile[]
}

/** Decides the files and writes new rows, rewrites and change data files; on failure deletes what it wrote. */
async function rewrite(engine: Engine, snapshot: Snapshot, plan: UpdatePlan, images: UpdateImageSink, changes: ChangeSink, signal: AbortSignal | undefined): Promise<Rewritten> {
  try {
    const change = updateChange(plan, snapshot.schema, snapshot.partitionColumns, images)
    const { decided, written, copiedRows } = await readAndWriteNewRows(engine, snapshot, plan, change, changes, signal)
    const scanned = performance.now()
    const applied = await applyOutcomes(engine, decided.files, rewriteTarget(snapshot), { written, copiedRows, signal })
    try {
      return { decided, scanned, applied, cdc: await changes.finish({ rewritesFiles: decided.files.some((d) => d.outcome.kind === 'rewrite') }) }
    } catch (err) {
      await discardWritten(engine, applied.adds, applied.dvPath)
      throw err
    }
  } catch (err) {
    await changes.discard()
    throw err
  }
}

/**
 * Decides every candidate file; new rows (deletion-vector mode) stream into one rolling writer, and
 * the rows of each copy-on-write rewrite are written as soon as its file is decided, so memory holds
 * one file's rows at a time and output files roll at the target size. On failure the files written
 * so far are deleted.
 */
async function readAndWriteNewRows(
  engine: Engine,
  snapshot: Snapshot,
  plan: UpdatePlan,
  change: RowChange,
  changes: ChangeSink,
  signal: AbortSignal | undefined,
): Promise<{ decided: DecidedFiles; written: readonly AddFile[]; copiedRows: number }> {
  const writer = new RollingFileWriter(engine, { ...rewriteTarget(snapshot), ...(signal === undefined ? {} : { signal }) })
  const kept = keptRowsWriter(engine, rewriteTarget(snapshot), signal)
  try {
    // Copy-on-write rewrites column by column when the table's types allow it: only the matched rows become row objects.
    const copyOnWrite = plan.mode === 'copyOnWrite' && plan.predicate !== undefined && keepsPartitions(plan, snapshot) ? await copyOnWriteRoute(engine, snapshot, plan.predicate.predicate) : undefined
    if (copyOnWrite !== undefined) {
      const done = await copyOnWrite(plan.read, { signal, change, changesRows: true, writeKeptRows: (rows) => kept.write(rows), afterFile: () => changes.flush() })
      return { decided: done.decided, written: [...kept.adds, ...done.adds], copiedRows: kept.rows + done.rows }
    }
    // Files whose WHERE columns match no row are not read row by row (only those columns are read).
    const matcher = plan.predicate === undefined ? undefined : columnarMatcher(engine, snapshot, plan.predicate.predicate)
    const decided = await decideFiles(engine, snapshot, plan.read, change, plan.mode, {
      signal, writeNewRows: (rows) => writer.write(rows), afterFile: () => changes.flush(), writeKeptRows: (rows) => kept.write(rows),
      ...(matcher === undefined ? {} : { mayAffect: (file: AddFile) => mayMatch(engine, matcher, file, signal) }),
    })
    return { decided, written: [...(await writer.finish()), ...kept.adds], copiedRows: kept.rows }
  } catch (err) {
    await writer.abort()
    await kept.discard()
    throw err
  }
}
