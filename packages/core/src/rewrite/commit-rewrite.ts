// Stages what a row-level operation applied (removes, deletion-vector pairs, new files) with what it
// read (predicate and files, for the conflict checker). Committing, and deleting the attempt's files
// when the commit provably did not land, is operations/run.ts's part.

import type { AddFile } from '../actions/types.js'
import type { Transaction } from '../commit/transaction.js'
import type { FilePredicate } from '../expr/file-predicate.js'
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
