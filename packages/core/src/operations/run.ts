// The re-planning runner of row-level operations (docs/row-level-plan.md §6, architecture-plan §3).
// A DML operation is a pure function of the snapshot it read, so when its commit meets a logical
// conflict lake deletes the files the attempt wrote, reloads the latest snapshot, plans and
// executes again, bounded by `commit.maxReplans` (default 16; 0 disables), with the commit loop's
// backoff between attempts. Non-conflicting winners never get here: the commit loop rebases over them.
//
//   const result = await runOperation(engine, {
//     name: 'DELETE',
//     plan: (snapshot) => planDelete(snapshot, predicate),
//     execute: (plan, snapshot, context) => executeDelete(engine, snapshot, plan, context),
//   }, { commit: { maxReplans: 4 } })
//   result.attempts // executions (1 + replans); result.replans

import type { AddCDCFile, AddFile } from '../actions/types.js'
import { decodeFilePath } from '../actions/file-path.js'
import { delay } from '../commit/commit-loop.js'
import type { Transaction } from '../commit/transaction.js'
import type { Engine } from '../engine.js'
import { InvalidArgumentError } from '../errors.js'
import { provesNotCommitted } from '../files/discard-files.js'
import { loadSnapshot } from '../snapshot/load-snapshot.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import { BackoffPolicy } from '../transaction/backoff.js'
import type { BackoffRun } from '../transaction/backoff.js'
import { CommitConflictError } from '../transaction/commit-conflict-error.js'
import type { ConflictReason } from '../transaction/conflicts.js'
import type { CommitOptions } from '../transaction/commit-request.js'

/** Re-plans after a conflict unless `commit.maxReplans` says otherwise. */
export const DEFAULT_MAX_REPLANS = 16

/**
 * Conflicts a re-plan resolves: the winner changed what the operation read or removes, its metadata
 * or protocol (the new plan binds to the new schema and `Transaction.begin` checks the new features),
 * or a vacuum deleted the attempt's files (the new attempt writes new ones). Not `ConcurrentTransaction`
 * (an app id another writer holds) nor `ConcurrentDomainMetadata`.
 */
export const REPLANNABLE: ReadonlySet<ConflictReason> = new Set<ConflictReason>([
  'ConcurrentAppend',
  'ConcurrentDeleteRead',
  'ConcurrentDeleteDelete',
  'MetadataChanged',
  'ProtocolChanged',
  'ConcurrentVacuum',
])

/** What an attempt passes to `execute`: the caller's commit settings and abort signal. */
export interface ExecuteContext {
  readonly commit?: CommitOptions | undefined
  readonly signal?: AbortSignal | undefined
}

/** The files an attempt wrote, deleted when its commit surely did not land. */
export interface WrittenFiles {
  readonly adds?: readonly AddFile[]
  readonly cdc?: readonly AddCDCFile[]
  /** Other files, as store keys (deletion-vector files). */
  readonly keys?: readonly string[]
}

/** One executed attempt: the staged transaction (undefined: nothing to commit), what it wrote, its result. */
export interface Executed<R> {
  readonly txn: Transaction | undefined
  readonly written: WrittenFiles
  /** The operation's result once the attempt committed at `version` (undefined when nothing was committed). */
  result(version: number | undefined): R
}

/**
 * A re-plannable operation: `plan` is pure over a snapshot (typed errors, no I/O); `execute` reads
 * and writes files, begins a `Transaction` over the same snapshot and stages it, without committing.
 * Its input must be readable again (rows in memory, a materialized MERGE source).
 */
export interface OperationSpec<P, R> {
  /** The operation's name in messages (`DELETE`, `UPDATE`, `MERGE`). */
  readonly name: string
  plan(snapshot: Snapshot): P
  execute(plan: P, snapshot: Snapshot, context: ExecuteContext): Promise<Executed<R>>
}

/** How many executions an operation needed. */
export interface RunStats {
  /** Executions of the operation: 1 + replans. */
  readonly attempts: number
  /** How many times it was planned again after a conflict. */
  readonly replans: number
}

/** Options of `runOperation`. */
export interface RunOptions {
  readonly commit?: CommitOptions | undefined
  readonly signal?: AbortSignal | undefined
  /** The latest snapshot when the caller holds it (first attempt only). */
  readonly snapshot?: Snapshot | undefined
}

/**
 * Plans, executes and commits `spec`, re-planning on a re-plannable conflict.
 * @throws CommitConflictError when the conflict is not re-plannable, or with `context.replans` when
 *   `commit.maxReplans` re-plans did not suffice; InvalidArgumentError for a bad `maxReplans`;
 *   whatever `plan`, `execute` and the commit throw. The files of a failed attempt are deleted.
 */
export async function runOperation<P, R>(engine: Engine, spec: OperationSpec<P, R>, options: RunOptions = {}): Promise<R & RunStats> {
  const maxReplans = checkedMaxReplans(options.commit?.maxReplans)
  const context: ExecuteContext = { commit: options.commit, signal: options.signal }
  const backoff = new BackoffPolicy({ ...options.commit, now: () => engine.now() }).start()
  let snapshot = options.snapshot
  for (let replans = 0; ; replans++) {
    snapshot ??= await loadSnapshot(engine, options.signal === undefined ? {} : { signal: options.signal })
    const executed = await spec.execute(spec.plan(snapshot), snapshot, context)
    const stats: RunStats = { attempts: replans + 1, replans }
    if (executed.txn === undefined) return { ...executed.result(undefined), ...stats }
    try {
      const outcome = await executed.txn.commitOrThrow()
      return { ...executed.result(outcome.version), ...stats }
    } catch (err) {
      if (provesNotCommitted(err)) await discard(engine, executed.written)
      if (!(err instanceof CommitConflictError) || !REPLANNABLE.has(err.reason)) throw err
      if (replans >= maxReplans) throw gaveUp(spec.name, err, replans, maxReplans)
      await waitBeforeReplan(backoff, spec.name, err, replans, options.signal)
    }
    snapshot = undefined
  }
}

function checkedMaxReplans(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_REPLANS
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`commit.maxReplans: expected a non-negative integer, found ${value}`, { context: { maxReplans: value } })
  }
  return value
}

async function waitBeforeReplan(backoff: BackoffRun, name: string, err: CommitConflictError, replans: number, signal: AbortSignal | undefined): Promise<void> {
  const decision = backoff.next()
  if (decision.status === 'exhausted') throw gaveUp(name, err, replans, undefined, decision.reason)
  await delay(decision.delayMs, signal)
}

function gaveUp(name: string, err: CommitConflictError, replans: number, max: number | undefined, budget?: string): CommitConflictError {
  const why = max === undefined ? `the retry ${budget ?? 'budget'} ran out` : `commit.maxReplans is ${max}`
  const detail = `${err.detail}; ${name} was re-planned ${replans} time${replans === 1 ? '' : 's'} and gives up (${why})`
  const readVersion = typeof err.context['readVersion'] === 'number' ? err.context['readVersion'] : undefined
  return new CommitConflictError(err.reason, err.winningVersion, detail, { ...(readVersion === undefined ? {} : { readVersion }), replans, cause: err })
}

/** Deletes what a failed attempt wrote (best effort: leftovers are orphans vacuum removes). */
async function discard(engine: Engine, written: WrittenFiles): Promise<void> {
  const keys = [...(written.adds ?? []), ...(written.cdc ?? [])].map((file) => () => decodeFilePath(file.path))
  for (const key of [...keys, ...(written.keys ?? []).map((k) => () => k)]) {
    try {
      await engine.store.delete(key())
    } catch {
      // Best effort, as discardAdds.
    }
  }
}
