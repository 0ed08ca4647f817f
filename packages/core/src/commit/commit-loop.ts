// The optimistic-concurrency commit loop (DESIGN.md "Optimistic concurrency"): write version
// readVersion+1 with put-if-absent; on collision classify each winning commit with the pure
// conflict checker, rebase over the harmless ones, back off, and try the next version.

import { randomUUID } from 'node:crypto'
import { StorageError } from '@lake/storage'
import type { Action, CommitInfo } from '../actions/types.js'
import { serializeCommit } from '../actions/serialize.js'
import type { Engine } from '../engine.js'
import type { IsolationLevel } from '../table-config.js'
import { BackoffPolicy } from '../transaction/backoff.js'
import type { BackoffOptions } from '../transaction/backoff.js'
import { CommitAttemptsExhaustedError } from '../transaction/commit-attempts-exhausted-error.js'
import { CommitConflictError } from '../transaction/commit-conflict-error.js'
import { checkConflicts, isBlindAppend } from '../transaction/conflicts.js'
import type { ReadPredicate, TransactionRecord } from '../transaction/conflicts.js'
import { buildCommitInfo } from '../write/commit-info.js'
import type { CommitInfoInput } from '../write/commit-info.js'
import { readCommitIfExists, writeCommit } from './log-store.js'
import { runPostCommitHooks } from './post-commit.js'

/** Retry settings of the commit loop (see `BackoffOptions`). */
export type CommitOptions = Omit<BackoffOptions, 'now'>

/** What the transaction read, for conflict detection against concurrent commits. */
export interface ReadSet {
  readonly readWholeTable: boolean
  readonly readPredicate?: ReadPredicate | undefined
  readonly readFiles: readonly string[]
  readonly readAppIds: readonly string[]
}

/**
 * The commitInfo fields the caller decides; time, ids, read version and `isBlindAppend` (derived from
 * what the transaction read and does, like Spark's) are filled by the loop.
 */
export type CommitInfoFields = Omit<CommitInfoInput, 'timestamp' | 'inCommitTimestamp' | 'txnId' | 'readVersion' | 'isolationLevel' | 'isBlindAppend'>

/** One transaction to commit. */
export interface CommitRequest {
  /** The version the transaction read; -1 when it creates the table. */
  readonly readVersion: number
  /** The actions, without commitInfo (it is built and put first). */
  readonly actions: readonly Action[]
  readonly commitInfo: CommitInfoFields
  readonly read: ReadSet
  readonly isolationLevel: IsolationLevel
  /** Write `inCommitTimestamp` (the table has `delta.enableInCommitTimestamps=true`). */
  readonly inCommitTimestamps: boolean
  /** The commit timestamp of `readVersion`, to keep in-commit timestamps increasing. */
  readonly previousCommitTimestamp?: number | undefined
  /**
   * The table's `delta.checkpointInterval` as of this commit (any winner that changed it would have
   * conflicted). When absent, the post-commit hook loads the new snapshot to find it.
   */
  readonly checkpointInterval?: number | undefined
  readonly options?: CommitOptions
  readonly signal?: AbortSignal
}

/** The outcome: committed at a version, or skipped because a concurrent commit already holds our txn. */
export type CommitResult =
  | { readonly status: 'committed'; readonly version: number; readonly attempts: number }
  | { readonly status: 'skipped'; readonly version: number; readonly reason: string }

/**
 * Commits a transaction, retrying over concurrent commits that do not logically conflict.
 * @throws CommitConflictError when a concurrent commit conflicts (names the version and reason).
 * @throws CommitAttemptsExhaustedError when attempts or time run out.
 * @throws StorageError on I/O failures (the commit is not written).
 */
export async function commitWithRetry(engine: Engine, request: CommitRequest): Promise<CommitResult> {
  const record = transactionRecord(request)
  const run = new BackoffPolicy({ ...request.options, now: () => engine.now() }).start()
  const txnId = randomUUID()
  const ourTxn = request.actions.find((a) => a.kind === 'txn')
  let version = request.readVersion + 1
  let previousTimestamp = request.previousCommitTimestamp
  for (;;) {
    const tried = version
    const commitInfo = commitInfoFor(engine, request, record, txnId, previousTimestamp)
    const attempt = await writeCommit(engine, version, serializeCommit([{ kind: 'commitInfo', commitInfo }, ...request.actions]), request.signal)
    if (attempt.status === 'committed') {
      await runPostCommitHooks(engine, version, { checkpointInterval: request.checkpointInterval, signal: request.signal })
      return { status: 'committed', version, attempts: run.attempts + 1 }
    }
    // Lost the race: classify every commit that landed since, in order.
    for (;;) {
      const winner = await readCommitIfExists(engine, version, request.signal)
      if (winner === undefined) break
      if (ourTxn?.kind === 'txn') {
        const theirs = winner.find((a) => a.kind === 'txn' && a.txn.appId === ourTxn.txn.appId)
        if (theirs?.kind === 'txn' && theirs.txn.version >= ourTxn.txn.version) {
          return { status: 'skipped', version, reason: `concurrent commit ${version} already holds appId '${ourTxn.txn.appId}' version ${theirs.txn.version}` }
        }
      }
      const check = checkConflicts(record, { version, actions: winner }, request.isolationLevel)
      if (check.status === 'conflict') throw new CommitConflictError(check.reason, version, check.message, { readVersion: request.readVersion })
      previousTimestamp = commitTimestampOf(winner) ?? previousTimestamp
      version++
    }
    const decision = run.next()
    if (decision.status === 'exhausted') throw new CommitAttemptsExhaustedError(run.attempts, run.elapsedMs(), tried, decision.reason)
    await delay(decision.delayMs, request.signal)
  }
}

function transactionRecord(request: CommitRequest): TransactionRecord {
  return {
    readVersion: request.readVersion,
    readPredicates: request.read.readPredicate === undefined ? [] : [request.read.readPredicate],
    readFiles: new Set(request.read.readFiles),
    readWholeTable: request.read.readWholeTable,
    readAppIds: new Set(request.read.readAppIds),
    actions: request.actions,
  }
}

function commitInfoFor(engine: Engine, request: CommitRequest, record: TransactionRecord, txnId: string, previousTimestamp: number | undefined): CommitInfo {
  const now = engine.now()
  const ict = request.inCommitTimestamps ? Math.max(now, (previousTimestamp ?? 0) + 1) : undefined
  return buildCommitInfo({
    ...request.commitInfo,
    timestamp: now,
    ...(ict === undefined ? {} : { inCommitTimestamp: ict }),
    ...(request.readVersion >= 0 ? { readVersion: request.readVersion } : {}),
    isolationLevel: request.isolationLevel,
    isBlindAppend: isBlindAppend(record),
    txnId,
  })
}

function commitTimestampOf(actions: readonly Action[]): number | undefined {
  const info = actions.find((a) => a.kind === 'commitInfo')
  return info?.kind === 'commitInfo' ? info.commitInfo.inCommitTimestamp : undefined
}

/** Waits `ms` between attempts; an abort rejects with a `LakeError` code `Aborted`. */
function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  const aborted = (): StorageError => new StorageError('Aborted', 'commit was aborted while waiting to retry', { context: { method: 'commit' }, cause: signal?.reason })
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted())
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(aborted())
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
