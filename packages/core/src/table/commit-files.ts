// commitFiles: commits data files that were written elsewhere (ingest workers, other processes)
// as one transaction: optional new metadata, the adds, an optional txn, Spark-like commitInfo.

import { statsNumRecords } from '../actions/row-count.js'
import type { Action, AddFile, Metadata, Txn } from '../actions/types.js'
import { commitWithRetry } from '../commit/commit-loop.js'
import type { CommitOptions, CommitResult } from '../commit/commit-loop.js'
import type { Engine } from '../engine.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import { assertCanWrite } from '../write/can-write.js'
import { writeCommitInfo } from './write-commit-info.js'

/** Options of `commitFiles`. */
export interface CommitFilesOptions {
  /** Idempotency: the commit carries `txn { appId, version }`; it is skipped if a concurrent commit holds it already. */
  readonly txn?: { readonly appId: string; readonly version: number }
  /** A schema change to commit with the files (mergeSchema). */
  readonly metadata?: Metadata
  /** `dataChange` of the adds is kept; a commit of only `dataChange=false` files is a rearrangement. */
  readonly userMetadata?: string
  readonly commit?: CommitOptions
  readonly signal?: AbortSignal
}

/**
 * Appends already-uploaded files to the table in one commit, against `snapshot` as the read
 * version (a blind append unless `metadata` is given). Retries over concurrent commits that do not
 * conflict.
 * @throws CommitConflictError, CommitAttemptsExhaustedError, ProtocolError `UnsupportedFeature`.
 */
export async function commitFiles(engine: Engine, snapshot: Snapshot, adds: readonly AddFile[], options: CommitFilesOptions = {}): Promise<CommitResult> {
  assertCanWrite({ protocol: snapshot.protocol, schema: snapshot.schema, configuration: snapshot.metadata.configuration }, { removesData: false })
  const now = engine.now()
  const txn = options.txn
  const actions: Action[] = [
    ...(options.metadata === undefined ? [] : [{ kind: 'metaData' as const, metaData: options.metadata }]),
    ...adds.map((add) => ({ kind: 'add' as const, add })),
    ...(txn === undefined ? [] : [{ kind: 'txn' as const, txn: { appId: txn.appId, version: txn.version, lastUpdated: now } satisfies Txn }]),
  ]
  const numRows = adds.reduce((n, a) => n + (statsNumRecords(a.stats) ?? 0), 0)
  return commitWithRetry(engine, {
    readVersion: snapshot.version,
    actions,
    commitInfo: writeCommitInfo({
      mode: 'append',
      isCreate: false,
      partitionColumns: snapshot.partitionColumns,
      adds,
      removes: [],
      numOutputRows: numRows,
      userMetadata: options.userMetadata,
    }),
    read: { readWholeTable: false, readFiles: [], readAppIds: txn === undefined ? [] : [txn.appId] },
    isolationLevel: snapshot.config.isolationLevel,
    inCommitTimestamps: snapshot.config.enableInCommitTimestamps,
    previousCommitTimestamp: snapshot.timestamp,
    checkpointInterval: options.metadata === undefined ? snapshot.config.checkpointInterval : undefined,
    ...(options.commit === undefined ? {} : { options: options.commit }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  })
}
