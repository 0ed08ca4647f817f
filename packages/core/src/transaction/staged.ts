// What a Transaction has staged (issue 11, docs/architecture-plan.md §3), and the one place a
// commit request is assembled from it: actions in Spark's order, commitInfo fields, the read set.
// Pure: no I/O, no clock (the transaction's one `now` is part of the staged state).

import type { Action, AddCDCFile, AddFile, DomainMetadata, Metadata, Protocol, RemoveFile, Txn } from '../actions/types.js'
import type { CommitInfoFields, CommitOptions, CommitRequest, ReadSet } from './commit-request.js'
import type { IsolationLevel } from '../protocol/table-config.js'
import type { CommitOperation } from './commit-info.js'

/** The state of a transaction before it commits. */
export interface StagedTransaction {
  /** The version the transaction read; -1 when it creates the table. */
  readonly readVersion: number
  /** The one clock reading of the transaction (remove `deletionTimestamp`, txn `lastUpdated`). */
  readonly now: number
  readonly protocol?: Protocol | undefined
  readonly metadata?: Metadata | undefined
  readonly removes: readonly RemoveFile[]
  readonly adds: readonly AddFile[]
  readonly cdc: readonly AddCDCFile[]
  readonly txns: readonly Txn[]
  readonly domains: readonly DomainMetadata[]
  readonly read: ReadSet
  readonly operation: CommitOperation
  readonly metrics?: Readonly<Record<string, number | bigint>> | undefined
  readonly userMetadata?: string | undefined
}

/** The commit loop's settings, derived from the snapshot and the effective table config by the Transaction. */
export interface LoopSettings {
  readonly isolationLevel: IsolationLevel
  readonly inCommitTimestamps: boolean
  readonly previousCommitTimestamp?: number | undefined
  readonly checkpointInterval?: number | undefined
  readonly options?: CommitOptions | undefined
  readonly signal?: AbortSignal | undefined
}

/** The staged actions in Spark's order: protocol, metaData, removes, adds, cdc, txn, domainMetadata. */
export function stagedActions(staged: StagedTransaction): Action[] {
  return [
    ...(staged.protocol === undefined ? [] : [{ kind: 'protocol' as const, protocol: staged.protocol }]),
    ...(staged.metadata === undefined ? [] : [{ kind: 'metaData' as const, metaData: staged.metadata }]),
    ...staged.removes.map((remove) => ({ kind: 'remove' as const, remove })),
    ...staged.adds.map((add) => ({ kind: 'add' as const, add })),
    ...staged.cdc.map((cdc) => ({ kind: 'cdc' as const, cdc })),
    ...staged.txns.map((txn) => ({ kind: 'txn' as const, txn })),
    ...staged.domains.map((domainMetadata) => ({ kind: 'domainMetadata' as const, domainMetadata })),
  ]
}

/** The commitInfo fields the caller decides: operation, metrics, user metadata. */
export function stagedCommitInfo(staged: StagedTransaction): CommitInfoFields {
  return {
    operation: staged.operation,
    ...(staged.metrics === undefined ? {} : { operationMetrics: staged.metrics }),
    ...(staged.userMetadata === undefined ? {} : { userMetadata: staged.userMetadata }),
  }
}

/** The request the commit loop runs for `staged` with `settings`. */
export function toCommitRequest(staged: StagedTransaction, settings: LoopSettings): CommitRequest {
  return {
    readVersion: staged.readVersion,
    actions: stagedActions(staged),
    commitInfo: stagedCommitInfo(staged),
    read: staged.read,
    isolationLevel: settings.isolationLevel,
    inCommitTimestamps: settings.inCommitTimestamps,
    ...(settings.previousCommitTimestamp === undefined ? {} : { previousCommitTimestamp: settings.previousCommitTimestamp }),
    ...(settings.checkpointInterval === undefined ? {} : { checkpointInterval: settings.checkpointInterval }),
    ...(settings.options === undefined ? {} : { options: settings.options }),
    ...(settings.signal === undefined ? {} : { signal: settings.signal }),
  }
}
