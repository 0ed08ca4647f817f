// Stages and commits what a row-level operation applied (removes, deletion-vector pairs, new files)
// with what it read (predicate and files, for the conflict checker). When the commit provably did
// not land, the files the attempt wrote are deleted, so a failed operation leaves the table and the
// store as they were.

import type { AddFile } from '../actions/types.js'
import { Transaction } from '../commit/transaction.js'
import type { Engine } from '../engine.js'
import type { FilePredicate } from '../expr/file-predicate.js'
import { provesNotCommitted } from '../files/discard-files.js'
import { discardWritten } from './apply-outcomes.js'
import type { AppliedOutcomes } from './apply-outcomes.js'

/** What the operation read: the files removed whole unread, the files read, and the predicate (undefined: the whole table). */
export interface RewriteRead {
  readonly whole: readonly AddFile[]
  readonly read: readonly AddFile[]
  readonly predicate: FilePredicate | undefined
}

/** Stages `applied` and the read declarations on `txn`. */
export function stageRewrite(txn: Transaction, read: RewriteRead, applied: AppliedOutcomes): Transaction {
  txn
    .removeFiles([...read.whole, ...applied.removes])
    .updateDeletionVectors(applied.dvUpdates, applied.dvFiles, applied.dvStats)
    .addFiles(applied.adds)
    .readFiles([...read.whole, ...read.read].map((file) => file.path))
  return read.predicate === undefined ? txn.readWholeTable() : txn.readPredicate(read.predicate.matchesFile, read.predicate.text)
}

/**
 * Commits `txn`; on a failure that proves nothing was committed, deletes what `applied` wrote.
 * @returns the committed version.
 * @throws as `Transaction.commitOrThrow`.
 */
export async function commitRewrite(engine: Engine, txn: Transaction, applied: AppliedOutcomes): Promise<number> {
  try {
    return (await txn.commitOrThrow()).version
  } catch (err) {
    if (provesNotCommitted(err)) await discardWritten(engine, applied.adds, applied.dvPath)
    throw err
  }
}
