// Commits the files of one batch in a single commit (with the txn of an exactly-once job) and
// reports the attempt, the outcome and the counters as events.

import { commitFiles } from '@lake/core/internal'
import type { AddFile, CommitOptions, Engine, Metadata, Snapshot } from '@lake/core'
import type { NewTableSpec } from '@lake/core/internal'
import type { MetricsCounter } from '../metrics.js'
import type { IngestEventHandler } from '../types.js'

/** One batch to commit. */
export interface CommitBatchInput {
  readonly engine: Engine
  /** The table read; undefined when there is none yet (then `newTable` says what the commit creates). */
  readonly snapshot: Snapshot | undefined
  readonly newTable?: NewTableSpec | undefined
  readonly adds: readonly AddFile[]
  readonly rows: number
  readonly txn?: { readonly appId: string; readonly version: number } | undefined
  readonly metadata?: Metadata | undefined
  readonly userMetadata?: string | undefined
  readonly commit?: CommitOptions | undefined
  readonly metrics: MetricsCounter
  readonly onEvent?: IngestEventHandler | undefined
  readonly appId?: string | undefined
  readonly batchId?: number | undefined
  readonly signal?: AbortSignal | undefined
}

/** The commit's outcome. `skipped`: a concurrent commit already holds the batch's txn. */
export type CommitBatchResult =
  | { readonly status: 'committed'; readonly version: number; readonly attempts: number }
  | { readonly status: 'skipped'; readonly version: number; readonly reason: string }

/** Commits `adds` (and the txn) once, with the core's OCC loop; creates the table when `snapshot` is undefined. */
export async function commitBatch(input: CommitBatchInput): Promise<CommitBatchResult> {
  const ids = { ...(input.appId === undefined ? {} : { appId: input.appId }), ...(input.batchId === undefined ? {} : { batchId: input.batchId }) }
  input.onEvent?.({ type: 'commitAttempt', ...ids, readVersion: input.snapshot?.version ?? -1, files: input.adds.length })
  const result = await commitFiles(input.engine, input.snapshot, input.adds, {
    ...(input.txn === undefined ? {} : { txn: input.txn }),
    ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
    ...(input.newTable === undefined ? {} : { newTable: input.newTable }),
    ...(input.userMetadata === undefined ? {} : { userMetadata: input.userMetadata }),
    ...(input.commit === undefined ? {} : { commit: input.commit }),
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  })
  if (result.status === 'skipped') {
    input.onEvent?.({ type: 'conflict', ...ids, reason: result.reason })
    return result
  }
  const bytes = input.adds.reduce((n, a) => n + a.size, 0)
  input.metrics.batches++
  input.metrics.rows += input.rows
  input.metrics.bytes += bytes
  input.metrics.files += input.adds.length
  input.metrics.retries += result.attempts - 1
  input.onEvent?.({ type: 'batchCommitted', ...ids, version: result.version, attempts: result.attempts, rows: input.rows, files: input.adds.length, bytes })
  return result
}
