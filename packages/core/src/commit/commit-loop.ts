// The optimistic-concurrency commit loop (DESIGN.md "Optimistic concurrency"): write version
// readVersion+1 with put-if-absent; on collision classify each winning commit with the pure
// conflict checker, rebase over the harmless ones, back off, and try the next version.

import { randomUUID } from 'node:crypto'
import { StorageError } from '@lake/storage'
import type { Action, CommitInfo } from '../actions/types.js'
import { serializeCommit } from '../actions/serialize.js'
import type { Engine } from '../engine.js'
import { BackoffPolicy } from '../transaction/backoff.js'
import type { BackoffRun } from '../transaction/backoff.js'
import { CommitAttemptsExhaustedError } from '../transaction/commit-attempts-exhausted-error.js'
import { CommitConflictError } from '../transaction/commit-conflict-error.js'
import { checkConflicts, isBlindAppend } from '../transaction/conflicts.js'
import type { TransactionRecord } from '../transaction/conflicts.js'
import { NO_VACUUM, filesAtRisk, trackVacuum } from '../transaction/vacuum-race.js'
import type { VacuumRace } from '../transaction/vacuum-race.js'
import { buildCommitInfo } from '../transaction/commit-info.js'
import type { CommitRequest, CommitResult } from '../transaction/commit-request.js'
import { checkVacuumedFiles } from './check-vacuumed-files.js'
import { readCommitIfExists, writeCommit } from './log-store.js'
import { runPostCommitHooks } from './post-commit.js'

/** Where the loop stands: the next version to try, the latest commit timestamp, concurrent vacuums. */
interface LoopState {
  version: number
  previousTimestamp: number | undefined
  vacuum: VacuumRace
}

/**
 * Commits a transaction, retrying over concurrent commits that do not logically conflict.
 * When a `VACUUM START` committed after the read version and the transaction adds files, the
 * loop waits (with backoff) for its `VACUUM END`, then checks with `head` that every added file
 * still exists before it tries again: a vacuum with a short retention may have deleted them.
 * @throws CommitConflictError when a concurrent commit conflicts (names the version and reason);
 * `ConcurrentVacuum` when a vacuum deleted an added file or did not end within the retry budget.
 * @throws CommitAttemptsExhaustedError when attempts or time run out.
 * @throws StorageError on I/O failures (the commit is not written).
 */
export async function commitWithRetry(engine: Engine, request: CommitRequest): Promise<CommitResult> {
  const record = transactionRecord(request)
  const run = new BackoffPolicy({ ...request.options, now: () => engine.now() }).start()
  const txnId = randomUUID()
  const atRisk = filesAtRisk(request.actions)
  const state: LoopState = { version: request.readVersion + 1, previousTimestamp: request.previousCommitTimestamp, vacuum: NO_VACUUM }
  for (;;) {
    const tried = state.version
    const commitInfo = commitInfoFor(engine, request, record, txnId, state.previousTimestamp)
    const attempt = await writeCommit(engine, tried, serializeCommit([{ kind: 'commitInfo', commitInfo }, ...request.actions]), request.signal)
    if (attempt.status === 'committed') {
      await runPostCommitHooks(engine, tried, { checkpointInterval: request.checkpointInterval, signal: request.signal })
      return { status: 'committed', version: tried, attempts: run.attempts + 1 }
    }
    let skipped = await rebase(engine, request, record, state)
    if (atRisk.length > 0) {
      // A vacuum that is still running may yet delete our files: wait for its END before checking.
      while (skipped === undefined && state.vacuum.running > 0) {
        await backOff(run, request, tried, state.vacuum.startedAt)
        skipped = await rebase(engine, request, record, state)
      }
      const vacuumVersion = state.vacuum.startedAt
      if (skipped === undefined && vacuumVersion !== undefined) {
        await checkVacuumedFiles(engine, atRisk, vacuumVersion, request.readVersion, request.signal)
        state.vacuum = NO_VACUUM
      }
    }
    if (skipped !== undefined) return skipped
    await backOff(run, request, tried, undefined)
  }
}

/**
 * Classifies every commit that landed since our last try, in order, and moves `state` past them.
 * @returns a `skipped` result when a winner already holds our txn, else `undefined` (rebased).
 * @throws CommitConflictError on a logical conflict.
 */
async function rebase(engine: Engine, request: CommitRequest, record: TransactionRecord, state: LoopState): Promise<CommitResult | undefined> {
  const ourTxn = request.actions.find((a) => a.kind === 'txn')
  for (;;) {
    const version = state.version
    const winner = await readCommitIfExists(engine, version, request.signal)
    if (winner === undefined) return undefined
    if (ourTxn?.kind === 'txn') {
      const theirs = winner.find((a) => a.kind === 'txn' && a.txn.appId === ourTxn.txn.appId)
      if (theirs?.kind === 'txn' && theirs.txn.version >= ourTxn.txn.version) {
        return { status: 'skipped', version, reason: `concurrent commit ${version} already holds appId '${ourTxn.txn.appId}' version ${theirs.txn.version}` }
      }
    }
    const check = checkConflicts(record, { version, actions: winner }, request.isolationLevel)
    if (check.status === 'conflict') throw new CommitConflictError(check.reason, version, check.message, { readVersion: request.readVersion })
    state.previousTimestamp = commitTimestampOf(winner) ?? state.previousTimestamp
    state.vacuum = trackVacuum(state.vacuum, version, winner)
    state.version = version + 1
  }
}

/**
 * Waits before the next attempt. Exhausting the budget while waiting for the vacuum that started at
 * `vacuumVersion` is a `ConcurrentVacuum` conflict; otherwise `CommitAttemptsExhausted`.
 */
async function backOff(run: BackoffRun, request: CommitRequest, tried: number, vacuumVersion: number | undefined): Promise<void> {
  const decision = run.next()
  if (decision.status === 'exhausted') {
    if (vacuumVersion === undefined) throw new CommitAttemptsExhaustedError(run.attempts, run.elapsedMs(), tried, decision.reason)
    throw new CommitConflictError(
      'ConcurrentVacuum',
      vacuumVersion,
      `a VACUUM started at version ${vacuumVersion} (after this transaction read version ${request.readVersion}) and did not end while the commit waited (${decision.reason}); it may delete this transaction's files`,
      { readVersion: request.readVersion },
    )
  }
  await delay(decision.delayMs, request.signal)
}

function transactionRecord(request: CommitRequest): TransactionRecord {
  return {
    readVersion: request.readVersion,
    readPredicates: request.read.readPredicate === undefined ? [] : [request.read.readPredicate],
    readPredicateText: request.read.readPredicateText,
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
    inCommitTimestamp: ict,
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
export function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
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
