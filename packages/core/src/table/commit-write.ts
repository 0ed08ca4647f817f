// The last step of writeDelta: given the data files already written, plan what the write removes
// (overwrite, replaceWhere), build the one commit (protocol, metadata, removes, adds, txn) and run the OCC loop.

import type { Action, AddFile, RemoveFile, Txn } from '../actions/types.js'
import { commitWithRetry } from '../commit/commit-loop.js'
import type { CommitRequest } from '../commit/commit-loop.js'
import type { Engine } from '../engine.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import type { TableConfig } from '../protocol/table-config.js'
import { writeCommitInfo } from './write-commit-info.js'
import { removeOf } from '../actions/remove-of.js'
import { planReplaceWhere } from './replace-where.js'
import type { ReplaceWherePlan } from './replace-where.js'
import { writeConfig } from './prepare-write.js'
import type { PreparedWrite } from './prepare-write.js'
import type { WriteOptions, WriteResult } from './write-options.js'

/** The file actions of a write: the new files, and the files it removes (overwrite, replaceWhere). */
interface WrittenFiles {
  readonly adds: readonly AddFile[]
  readonly removes: readonly RemoveFile[]
  readonly replacePlan: ReplaceWherePlan | undefined
}

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
  const files = await removedFiles(engine, snapshot, prepared, adds, options)
  const request = commitRequest(engine, snapshot, prepared, files, numRows, options, writeConfig(snapshot, prepared))
  const result = await commitWithRetry(engine, request)
  if (result.status === 'skipped') return { status: 'skipped', version: result.version, reason: result.reason }
  return {
    status: 'committed',
    version: result.version,
    attempts: result.attempts,
    numFilesAdded: files.adds.length,
    numFilesRemoved: files.removes.length,
    numRows,
  }
}

async function removedFiles(engine: Engine, snapshot: Snapshot | undefined, prepared: PreparedWrite, adds: readonly AddFile[], options: WriteOptions): Promise<WrittenFiles> {
  const { plan, replace } = prepared
  const replacePlan = snapshot !== undefined && replace !== undefined ? await planReplaceWhere(engine, snapshot, replace, plan.schema, options.signal) : undefined
  const now = engine.now()
  const removes = snapshot === undefined ? [] : plan.removeAll ? snapshot.files().map((f) => removeOf(f, now)) : (replacePlan?.removes ?? [])
  return { adds: [...adds, ...(replacePlan?.rewritten ?? [])], removes, replacePlan }
}

function commitRequest(
  engine: Engine,
  snapshot: Snapshot | undefined,
  prepared: PreparedWrite,
  files: WrittenFiles,
  numRows: number,
  options: WriteOptions,
  config: TableConfig,
): CommitRequest {
  const { mode, plan, replace } = prepared
  const txn = options.txn
  const actions: Action[] = [
    ...(plan.protocol === undefined ? [] : [{ kind: 'protocol' as const, protocol: plan.protocol }]),
    ...(plan.metadata === undefined ? [] : [{ kind: 'metaData' as const, metaData: plan.metadata }]),
    ...files.removes.map((remove) => ({ kind: 'remove' as const, remove })),
    ...files.adds.map((add) => ({ kind: 'add' as const, add })),
    ...(txn === undefined ? [] : [{ kind: 'txn' as const, txn: { appId: txn.appId, version: txn.version, lastUpdated: engine.now() } satisfies Txn }]),
  ]
  return {
    readVersion: snapshot?.version ?? -1,
    actions,
    commitInfo: writeCommitInfo({
      mode,
      isCreate: plan.isCreate,
      partitionColumns: plan.partitionColumns,
      replaceWhere: replace?.text,
      adds: files.adds,
      removes: files.removes,
      numOutputRows: numRows + (files.replacePlan?.rowsKept ?? 0),
      userMetadata: options.userMetadata,
    }),
    read: {
      readWholeTable: plan.removeAll,
      readPredicate: replace?.matchesFile,
      readFiles: files.replacePlan?.readFiles ?? [],
      readAppIds: txn === undefined ? [] : [txn.appId],
    },
    isolationLevel: snapshot?.config.isolationLevel ?? 'WriteSerializable',
    inCommitTimestamps: config.enableInCommitTimestamps,
    previousCommitTimestamp: snapshot?.timestamp,
    // A new metadata may change the interval: the post-commit hook then reads it from the new snapshot.
    checkpointInterval: plan.metadata === undefined ? snapshot?.config.checkpointInterval : undefined,
    ...(options.commit === undefined ? {} : { options: options.commit }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  }
}
