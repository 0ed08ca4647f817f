// commitFiles: commits data files that were written elsewhere (ingest workers, other processes)
// as one transaction: optional new metadata, the adds, an optional txn, Spark-like commitInfo.
// Against "no table yet" (a new-table spec) the same commit creates the table at version 0.
//
//   const adds = await writeDataFiles(engine, rows, fileOptions)        // e.g. in ingest workers
//   const result = await commitFiles(engine, snapshot, adds, { txn: { appId: 'ingest-42', version: 7 } })

import { statsNumRecords } from '../../actions/row-count.js'
import type { AddFile, Metadata } from '../../actions/types.js'
import type { CommitOptions, CommitResult } from '../../transaction/commit-request.js'
import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { commitNewTable } from './commit-new-table.js'
import type { NewTableSpec } from './commit-new-table.js'
import { WriteError } from '../../errors.js'
import { writeCommitInfo } from './commit-info.js'

export type { NewTableSpec } from './commit-new-table.js'

/** Options of `commitFiles`. */
export interface CommitFilesOptions {
  /** Idempotency: the commit carries `txn { appId, version }`; it is skipped if a concurrent commit holds it already. */
  readonly txn?: { readonly appId: string; readonly version: number }
  /** A schema change to commit with the files (mergeSchema). Not with `newTable`. */
  readonly metadata?: Metadata
  /**
   * The table the files were written for when there is no table yet (`snapshot` undefined): the
   * commit then creates it (protocol, metaData, adds, txn and commitInfo at version 0).
   */
  readonly newTable?: NewTableSpec
  /** `dataChange` of the adds is kept; a commit of only `dataChange=false` files is a rearrangement. */
  readonly userMetadata?: string
  readonly commit?: CommitOptions
  readonly signal?: AbortSignal
}

/**
 * Appends already-uploaded files to the table in one commit, against `snapshot` as the read
 * version (a blind append unless `metadata` is given). Retries over concurrent commits that do not
 * conflict.
 *
 * With `snapshot` undefined, `options.newTable` is required and the commit creates the table with
 * the files in it. When another writer creates the table first, the files are committed into its
 * table as an ordinary append at the next version if they fit it (same partition columns, every
 * written column with the same type, no CHECK constraints they were not checked against), and the
 * commit is skipped when that table already holds the txn.
 * @throws CommitConflictError, CommitAttemptsExhaustedError, ProtocolError `UnsupportedFeature`,
 *   WriteError `InvalidArgument` (no snapshot and no `newTable`), `TableExists` (a concurrent
 *   creator's table does not fit the files; the reason is the cause).
 */
export async function commitFiles(engine: Engine, snapshot: Snapshot | undefined, adds: readonly AddFile[], options: CommitFilesOptions = {}): Promise<CommitResult> {
  if (snapshot !== undefined) return commitToTable(engine, snapshot, adds, options)
  if (options.newTable === undefined) {
    throw new WriteError('InvalidArgument', `commitFiles: expected a snapshot of table ${engine.store.url} or options.newTable to create it, found neither`)
  }
  if (options.metadata !== undefined) {
    throw new WriteError('InvalidArgument', 'commitFiles: expected the schema of a new table in options.newTable, found options.metadata too')
  }
  return commitNewTable(engine, options.newTable, adds, { ...options, append: (created) => commitToTable(engine, created, adds, options) })
}

/** The commit of `adds` into an existing table (the original blind append). */
function commitToTable(engine: Engine, snapshot: Snapshot, adds: readonly AddFile[], options: CommitFilesOptions): Promise<CommitResult> {
  const numRows = adds.reduce((n, a) => n + (statsNumRecords(a.stats) ?? 0), 0)
  const info = writeCommitInfo({ mode: 'append', isCreate: false, partitionColumns: snapshot.partitionColumns, adds, removes: [], numOutputRows: numRows })
  const txn = Transaction.begin(engine, snapshot, {
    operation: info.operation,
    intent: { removesData: false },
    userMetadata: options.userMetadata,
    commit: options.commit,
    signal: options.signal,
  })
  if (options.metadata !== undefined) txn.setMetadata(options.metadata)
  txn.addFiles(adds)
  if (options.txn !== undefined) txn.setAppTransaction(options.txn.appId, options.txn.version)
  if (info.operationMetrics !== undefined) txn.setMetrics(info.operationMetrics)
  return txn.commitOrThrow()
}
