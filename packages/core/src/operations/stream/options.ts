// The options of a table stream and their checks (before any I/O).
//
//   const options: StreamOptions = { checkpoint: './ck', trigger: { intervalMs: 10_000 }, maxFilesPerTrigger: 100, skipChangeCommits: true }

import type { ObjectStore, OpenStoreOptions } from '@lake/storage'
import { StreamError } from '../../errors.js'
import type { TimestampInput } from '../../snapshot/version-at-timestamp.js'
import type { ChangeOptions } from './plan.js'

/**
 * When batches run: `availableNow` (default) processes what is committed at the start in as many
 * batches as the limits need, then ends; `once` processes it in one batch (limits ignored, as
 * Spark's Trigger.Once); `intervalMs` polls every interval until `signal` aborts, backing off while idle.
 */
export type StreamTrigger =
  | { readonly availableNow: true }
  | { readonly once: true }
  | { readonly intervalMs: number; readonly maxIdleMs?: number }

/** Options of a table stream (Spark's DeltaSource options where they exist). */
export interface StreamOptions extends ChangeOptions {
  /** Changes from this version on (inclusive); `latest`: only commits after the current version. Default: the current snapshot first. */
  readonly startingVersion?: number | 'latest'
  /** Changes from the first commit at or after this instant. */
  readonly startingTimestamp?: TimestampInput
  /** Files per batch (default 1000). */
  readonly maxFilesPerTrigger?: number
  /** Bytes per batch, soft: a batch holds at least one file. */
  readonly maxBytesPerTrigger?: number
  /** Top-level columns, as `scan`. */
  readonly columns?: readonly string[]
  /** A predicate, as `scan`'s filter. */
  readonly filter?: string
  readonly trigger?: StreamTrigger
  /** A checkpoint location (URI of a local directory or s3:// prefix, or a store): durable progress and exactly-once sinks. */
  readonly checkpoint?: string | ObjectStore
  /** Storage options for the checkpoint location. */
  readonly checkpointStorage?: OpenStoreOptions
  /**
   * The change data feed instead of the files' rows: each row with `_change_type`, `_commit_version` and
   * `_commit_timestamp`; the starting snapshot's rows are inserts. Not with ignoreDeletes, ignoreChanges
   * or skipChangeCommits (every change is a row of the feed).
   */
  readonly readChangeFeed?: boolean
  /** Batches whose `offsets/` and `commits/` entries the checkpoint keeps (Spark's minBatchesToRetain, default 100). */
  readonly minBatchesToRetain?: number
  /** How a batch's rows are handed over: `rows` (objects); the Arrow format is issue 14's. */
  readonly format?: 'rows'
  /** Rows per chunk of a batch's `rows` (default scan's 8192). */
  readonly batchRows?: number
  readonly signal?: AbortSignal
}

/** Batches a checkpoint keeps entries of (Spark's minBatchesToRetain). */
export const DEFAULT_MIN_BATCHES_TO_RETAIN = 100

/** Spark's idle backoff cap when `maxIdleMs` is not given: 8 intervals, at most a minute, at least the interval. */
export function maxIdleMs(trigger: { readonly intervalMs: number; readonly maxIdleMs?: number }): number {
  return trigger.maxIdleMs ?? Math.max(trigger.intervalMs, Math.min(8 * trigger.intervalMs, 60_000))
}

/** How long an interval stream waits after its `idle`-th empty poll in a row (1, 2, ...): the interval doubled each time, capped at `maxIdleMs`. */
export function idleWaitMs(trigger: { readonly intervalMs: number; readonly maxIdleMs?: number }, idle: number): number {
  return Math.min(trigger.intervalMs * 2 ** Math.min(Math.max(idle - 1, 0), 30), maxIdleMs(trigger))
}

/**
 * Checks option values and combinations.
 * @throws StreamError `InvalidArgument` naming the option.
 */
export function validateStreamOptions(options: StreamOptions): void {
  if (options.readChangeFeed === true) {
    const skipping = (['ignoreDeletes', 'ignoreChanges', 'skipChangeCommits'] as const).filter((o) => options[o] === true)
    if (skipping.length > 0) {
      throw new StreamError('InvalidArgument', `readChangeFeed: expected no ${skipping.join(', ')} (the change feed streams every change as rows), found ${skipping.join(', ')}; Help: filter on _change_type instead`, {
        context: { option: skipping[0] },
      })
    }
  }
  if (options.format !== undefined && options.format !== 'rows') {
    throw new StreamError('InvalidArgument', `format: expected 'rows', found '${String(options.format)}' (Arrow batches come with issue 14)`)
  }
  if (options.startingVersion !== undefined && options.startingTimestamp !== undefined) {
    throw new StreamError('InvalidArgument', 'expected at most one of startingVersion and startingTimestamp, found both')
  }
  const v = options.startingVersion
  if (v !== undefined && v !== 'latest' && !(Number.isSafeInteger(v) && v >= 0)) {
    throw new StreamError('InvalidArgument', `startingVersion: expected a non-negative integer or 'latest', found ${String(v)}`)
  }
  positive(options.maxFilesPerTrigger, 'maxFilesPerTrigger')
  positive(options.maxBytesPerTrigger, 'maxBytesPerTrigger')
  positive(options.batchRows, 'batchRows')
  positive(options.minBatchesToRetain, 'minBatchesToRetain')
  const trigger = options.trigger
  if (trigger !== undefined && 'intervalMs' in trigger) {
    if (!(Number.isFinite(trigger.intervalMs) && trigger.intervalMs >= 0)) {
      throw new StreamError('InvalidArgument', `trigger.intervalMs: expected a non-negative number of milliseconds, found ${String(trigger.intervalMs)}`)
    }
    positive(trigger.maxIdleMs, 'trigger.maxIdleMs')
  }
}

function positive(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
    throw new StreamError('InvalidArgument', `${name}: expected a positive integer, found ${String(value)}`)
  }
}
