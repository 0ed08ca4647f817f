// The request a transaction hands to the commit loop (commit/commit-loop.ts): the actions, what was
// read (for conflict checks), the commitInfo fields the caller decides and the loop's settings. Types
// only; they live below the loop so the pure staging (transaction/staged.ts) can build them.
import type { Action } from '../actions/types.js'
import type { IsolationLevel } from '../protocol/table-config.js'
import type { CommitInfoInput } from './commit-info.js'
import type { BackoffOptions } from './backoff.js'
import type { ReadPredicate } from './conflicts.js'
/**
 * Retry settings of the commit loop (see `BackoffOptions`), and `maxReplans`: how many times a
 * row-level operation (DELETE, UPDATE, MERGE) is planned and executed again against the new
 * snapshot after a logical conflict (default 16; 0 disables re-planning).
 */
export type CommitOptions = Omit<BackoffOptions, 'now'> & { readonly maxReplans?: number }

/** What the transaction read, for conflict detection against concurrent commits. */
export interface ReadSet {
  readonly readWholeTable: boolean
  readonly readPredicate?: ReadPredicate | undefined
  /** The read predicate's text (SQL), named in a `ConcurrentAppend` conflict's message. */
  readonly readPredicateText?: string | undefined
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
