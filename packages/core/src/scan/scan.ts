// Scans a snapshot: plan (pure: pruning and skipping), then stream the surviving files' rows with a
// small read-ahead. Memory stays bounded: a few files open, a few batches buffered per file.

import type { Row } from '@lake/parquet'
import { throwIfAborted } from '@lake/storage'
import type { Engine } from '../engine.js'
import { planScan } from './plan-scan.js'
import type { PlanScanOptions, ScanSource } from './plan-scan.js'
import { readAhead } from './read-ahead.js'
import { compileFileReader, readScanFile } from './read-scan-file.js'

/** Default rows per batch handed to the caller (before deletion vectors and the filter thin it). */
export const DEFAULT_SCAN_BATCH_ROWS = 8192
/** Default number of data files read at once. */
export const DEFAULT_SCAN_CONCURRENCY = 3
const BATCHES_BUFFERED_PER_FILE = 2

/** Options of `scan`. */
export interface ScanOptions extends PlanScanOptions {
  /** Maximum rows read per batch from a file (default 8192); yielded batches may be smaller. */
  readonly batchRows?: number
  /** Data files read at once (default 3). */
  readonly concurrency?: number
  readonly signal?: AbortSignal
}

/**
 * The rows of a snapshot, in batches: only the requested columns (logical names, schema types),
 * only rows for which `filter` is TRUE. Partition values are injected typed, columns missing from
 * a file read as null, and rows removed by deletion vectors are dropped. Files come in the
 * snapshot's file order; rows in file order.
 * @throws PredicateError `InvalidPredicate` for a bad filter (before any I/O); StorageError,
 * ParquetError or `CorruptLog` errors from reading; `Aborted` when `signal` aborts.
 */
export async function* scan(engine: Engine, snapshot: ScanSource, options: ScanOptions = {}): AsyncGenerator<Row[], void, undefined> {
  const plan = planScan(snapshot, options)
  const reader = compileFileReader(plan)
  const { signal } = options
  const batchRows = options.batchRows ?? DEFAULT_SCAN_BATCH_ROWS
  const sources = plan.files.map((add) => () => readScanFile(engine, reader, add, { batchRows, signal }))
  for await (const batch of readAhead(sources, options.concurrency ?? DEFAULT_SCAN_CONCURRENCY, BATCHES_BUFFERED_PER_FILE)) {
    throwIfAborted(signal, 'scan')
    yield batch
  }
}

/**
 * The number of rows `scan` would return with these options (only the filter's columns are read;
 * without a filter only footers and deletion vectors).
 */
export async function countRows(engine: Engine, snapshot: ScanSource, options: Omit<ScanOptions, 'columns'> = {}): Promise<number> {
  let count = 0
  for await (const batch of scan(engine, snapshot, { ...options, columns: [] })) count += batch.length
  return count
}
