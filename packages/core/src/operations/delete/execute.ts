// DELETE (docs/row-level-plan.md §3): plan over the latest snapshot, read candidate files with row
// indexes, decide per file (untouched / remove whole / deletion vector / rewrite), write DVs or kept
// rows, and commit one DELETE through the Transaction with what it read. A failed delete leaves the
// table as it was: files written for an attempt that did not commit are deleted.

import type { AddCDCFile, AddFile } from '../../actions/types.js'
import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import { provesNotCommitted } from '../../files/discard-files.js'
import { applyOutcomes, discardWritten } from '../../rewrite/apply-outcomes.js'
import type { AppliedOutcomes, DecidedFile } from '../../rewrite/apply-outcomes.js'
import { createChangeSink } from '../../rewrite/change-sink.js'
import type { ChangeSink } from '../../rewrite/change-sink.js'
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
 * With `delta.enableChangeDataFeed=true`, a copy-on-write DELETE that rewrites a file records every deleted
 * row as a `delete` change in change data files (docs/row-level-plan.md §7); otherwise the feed is inferred.
 * @throws PredicateError `InvalidPredicate` (before any data is read); ProtocolError `UnsupportedFeature`
 *   when lake may not write the table;
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
    intent: {
      removesData: true,
      rewritesRows: plan.mode === 'copyOnWrite' && plan.read.length > 0,
      writesChangeData: true,
      writesDeletionVectors: plan.mode === 'deletionVectors',
    },
    commit: options.commit,
    signal,
  })
  const sink = createChangeSink(engine, snapshot, signal === undefined ? {} : { signal })
  const { decided, applied, cdc } = await rewriteFiles(engine, snapshot, plan, sink, signal)
  const now = performance.now()
  const timesMs = { execution: Math.round(now - started), scan: Math.round(decided.scannedAt - started), rewrite: Math.round(now - decided.scannedAt) }
  const metrics = deleteMetrics({ deletedRowsRead: decided.deletedRows, applied, wholeUnread: plan.whole, changeFiles: cdc.length, timesMs })
  if (plan.whole.length + applied.removes.length + applied.dvFiles.length === 0) return { version: undefined, metrics }
  stage(txn, plan, applied).addCdcFiles(cdc).setMetrics({ ...metrics })
  try {
    const outcome = await txn.commitOrThrow()
    return { version: outcome.version, metrics }
  } catch (err) {
    if (provesNotCommitted(err)) {
      await discardWritten(engine, applied.adds, applied.dvPath)
      await sink.discard()
    }
    throw err
  }
}

/** Reads and decides the files, writes DVs or kept rows, and the change data files when the commit needs them. */
async function rewriteFiles(
  engine: Engine,
  snapshot: Snapshot,
  plan: DeletePlan,
  sink: ChangeSink,
  signal: AbortSignal | undefined,
): Promise<{ decided: Decided; applied: AppliedOutcomes; cdc: readonly AddCDCFile[] }> {
  try {
    const decided = await decideFiles(engine, snapshot, plan, sink, signal)
    const applied = await applyOutcomes(engine, decided.files, rewriteTarget(snapshot), signal)
    try {
      const cdc = await sink.finish({ rewritesFiles: decided.files.some((d) => d.outcome.kind === 'rewrite') })
      return { decided, applied, cdc }
    } catch (err) {
      await discardWritten(engine, applied.adds, applied.dvPath)
      throw err
    }
  } catch (err) {
    await sink.discard()
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

interface Decided {
  readonly files: DecidedFile[]
  readonly deletedRows: number
  /** `performance.now()` when the last file was read. */
  readonly scannedAt: number
}

async function decideFiles(engine: Engine, snapshot: Snapshot, plan: DeletePlan, sink: ChangeSink, signal: AbortSignal | undefined): Promise<Decided> {
  const files: DecidedFile[] = []
  let deletedRows = 0
  if (plan.predicate === undefined || plan.read.length === 0) return { files, deletedRows, scannedAt: performance.now() }
  const source = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode, files: (): AddFile[] => [] }
  const reader = compileFileReader(planScan(source))
  // Deletes by DV or whole-file removal are inferred by CDF readers; only copy-on-write may need cdc rows.
  const keepAffected = sink.enabled && plan.mode === 'copyOnWrite'
  for (const file of plan.read) {
    const read = await readAffected(engine, reader, file, plan.predicate.predicate, plan.mode, signal, { keepAffected })
    deletedRows += read.affected.length
    for (const row of read.affectedRows) await sink.add('delete', row)
    files.push({ file, outcome: fileOutcome(read, plan.mode), physicalRows: read.physicalRows })
  }
  return { files, deletedRows, scannedAt: performance.now() }
}

function rewriteTarget(snapshot: Snapshot): { schema: Snapshot['schema']; partitionColumns: readonly string[]; statsColumnLimit: number } {
  return { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, statsColumnLimit: snapshot.config.statsColumnLimit }
}
