// The last step of writeDelta: given the data files already written, plan what the write removes
// (overwrite, replaceWhere), stage the one commit (protocol, metadata, removes, adds, txn) on a
// Transaction and commit it.
//
//   const result = await commitWrite(engine, snapshot, prepared, adds, rows.length, options)  // after the data files are written

import type { AddFile } from '../../actions/types.js'
import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { writeCommitInfo } from './commit-info.js'
import type { WriteSummary } from './commit-info.js'
import { planReplaceWhere } from './replace-where.js'
import type { ReplaceWherePlan } from './replace-where.js'
import type { PreparedWrite } from './prepare.js'
import type { WriteOptions, WriteResult } from './options.js'

/**
 * Commits the written data files `adds` (holding `numRows` new rows) as the write `prepared`
 * planned, against `snapshot` as the read version (undefined: the write creates the table).
 */
export async function commitWrite(
  engine: Engine,
  snapshot: Snapshot | undefined,
  prepared: PreparedWrite,
  adds: readonly AddFile[],
  numRows: number,
  options: WriteOptions,
): Promise<WriteResult> {
  const { plan, replace } = prepared
  const replacePlan = snapshot !== undefined && replace !== undefined ? await planReplaceWhere(engine, snapshot, replace, plan.schema, options.signal) : undefined
  const txn = stageWrite(engine, snapshot, prepared, [...adds, ...(replacePlan?.rewritten ?? [])], replacePlan, numRows, options)
  const staged = txn.staged()
  const result = await txn.commitOrThrow()
  if (result.status === 'skipped') return { status: 'skipped', version: result.version, reason: result.reason }
  return {
    status: 'committed',
    version: result.version,
    attempts: result.attempts,
    numFilesAdded: staged.adds.length,
    numFilesRemoved: staged.removes.length,
    numRows,
  }
}

/** A Transaction holding the write's actions, what it read, and its commitInfo (operation, metrics). */
function stageWrite(
  engine: Engine,
  snapshot: Snapshot | undefined,
  prepared: PreparedWrite,
  adds: readonly AddFile[],
  replacePlan: ReplaceWherePlan | undefined,
  numRows: number,
  options: WriteOptions,
): Transaction {
  const { mode, plan, replace } = prepared
  const numOutputRows = numRows + (replacePlan?.rowsKept ?? 0)
  const summary: WriteSummary = { mode, isCreate: plan.isCreate, partitionColumns: plan.partitionColumns, replaceWhere: replace?.text, adds, removes: [], numOutputRows, properties: plan.metadata?.configuration }
  // The write was checked against the table's features when it was prepared, before any file was written.
  const operation = writeCommitInfo(summary).operation
  const txn = Transaction.begin(engine, snapshot, { operation, userMetadata: options.userMetadata, commit: options.commit, signal: options.signal })
  if (plan.protocol !== undefined) txn.setProtocol(plan.protocol)
  if (plan.metadata !== undefined) txn.setMetadata(plan.metadata)
  if (snapshot !== undefined && plan.removeAll) txn.removeFiles(snapshot.files())
  if (replacePlan !== undefined) txn.stageRemoves(replacePlan.removes)
  txn.addFiles(adds)
  if (options.txn !== undefined) txn.setAppTransaction(options.txn.appId, options.txn.version)
  if (plan.removeAll) txn.readWholeTable()
  if (replace !== undefined) txn.readPredicate(replace.matchesFile, replace.text)
  if (replacePlan !== undefined) txn.readFiles(replacePlan.readFiles)
  const metrics = writeCommitInfo({ ...summary, removes: txn.staged().removes }).operationMetrics
  return metrics === undefined ? txn : txn.setMetrics(metrics)
}
