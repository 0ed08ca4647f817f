// appendRows: parallel chunked append of any row input to a Delta table in one commit. Chunks are
// coerced and encoded in the worker pool, uploaded concurrently, committed once.

import { engineCodec, inferSchema, resolveTable, tryLoadSnapshot } from '@lake/core/internal'
import type { CommitOptions, TableLocation } from '@lake/core'
import type { Compression, StructType } from '@lake/parquet'
import type { OpenStoreOptions } from '@lake/storage'
import { createEncoder } from '../encode/encoder.js'
import type { Encoder } from '../encode/encoder-types.js'
import { MetricsCounter } from '../metrics.js'
import type { IngestEventHandler, IngestMetrics } from '../types.js'
import { chunkRows } from './chunk-rows.js'
import type { RowSource } from './chunk-rows.js'
import { commitBatch } from './commit-batch.js'
import { checkTarget } from './check-target.js'
import { discardFiles, provesNothingCommitted } from './discard-files.js'
import { FilePipeline } from './file-pipeline.js'
import { resolveRows } from '../sources/exact-numbers.js'
import { abortError } from './abort-error.js'

/** How rows become files: encoding parallelism, uploads, chunk and file sizes (appendRows and jobs). */
export interface FileWriteOptions {
  /** Encoder worker threads (0 = encode on this thread). Default: cores - 1, at least 1. */
  readonly encoders?: number
  /** A shared encoder (e.g. one pool for several jobs); `encoders` is ignored then and it is not closed. */
  readonly encoder?: Encoder
  /** Uploads in flight. Default 8. */
  readonly uploadConcurrency?: number
  /** Rows per chunk (the unit of parallel encoding; a file never spans chunks). Default 100,000. */
  readonly chunkRows?: number
  /** Estimated input bytes per chunk. Default 64 MiB. */
  readonly chunkBytes?: number
  /** Rows per data file. */
  readonly rowsPerFile?: number
  /** Target data file size (estimated from the input). */
  readonly targetFileBytes?: number
  readonly compression?: Compression
  readonly commit?: CommitOptions
  readonly onEvent?: IngestEventHandler
}

/** Options of `appendRows`. */
export interface AppendOptions extends FileWriteOptions {
  /** Schema of a new table; when absent the table is created from the first chunk (`inferSchema`). */
  readonly schema?: StructType
  /** Partition columns of a new table. */
  readonly partitionBy?: readonly string[]
  /** Idempotency: the commit carries `txn { appId, version }`; skipped if the table holds it already. */
  readonly txn?: { readonly appId: string; readonly version: number }
  readonly storage?: OpenStoreOptions
  readonly signal?: AbortSignal
}

/** What `appendRows` did. */
export type AppendResult =
  | { readonly status: 'committed'; readonly version: number; readonly attempts: number; readonly metrics: IngestMetrics }
  | { readonly status: 'skipped'; readonly version: number; readonly reason: string; readonly metrics: IngestMetrics }

/**
 * Appends rows to a Delta table in **one** commit; a missing table is created by that commit
 * (version 0 holds protocol, metadata, the data and the txn). Every row is checked against the
 * table schema (`SchemaError` on the first bad row). Values may be `JsonNumber`s (exact JSON
 * number text, from `parseJsonExact` or core's `parseLosslessJson`) in plain objects and arrays:
 * each becomes its column's exact value (bigint for long, the digits for decimal). A failure
 * anywhere fails the whole append and commits nothing; the files it uploaded are deleted (best
 * effort), so a failed first write leaves nothing at the path. An existing table is checked before
 * any file is written: lake must support its writer features, and `partitionBy` (when given) must
 * be its partition columns.
 * @param rows - An array, iterable, async iterable or object-mode Readable; read once, lazily.
 * @throws SchemaError, CommitConflictError, StorageError, ProtocolError `UnsupportedFeature`,
 *   IngestError `Aborted` / `InvalidArgument` (partitionBy differs from the table's).
 */
export async function appendRows(location: TableLocation, rows: RowSource<unknown>, options: AppendOptions = {}): Promise<AppendResult> {
  const engine = await resolveTable(location, options.storage)
  const metrics = new MetricsCounter()
  const signal = options.signal
  const snapshot = await tryLoadSnapshot(engine, signal)
  if (snapshot !== undefined) checkTarget(snapshot, options.partitionBy, 'appendRows')
  const done = options.txn === undefined ? undefined : snapshot?.txnVersion(options.txn.appId)
  if (options.txn !== undefined && done !== undefined && done >= options.txn.version) {
    const reason = `appId '${options.txn.appId}' already committed version ${done} (>= ${options.txn.version})`
    return { status: 'skipped', version: snapshot?.version ?? -1, reason, metrics: metrics.snapshot() }
  }
  const encoder = options.encoder ?? createEncoder(options.encoders, engineCodec(engine))
  const pipeline = new FilePipeline({
    engine,
    encoder,
    partitionColumns: snapshot?.partitionColumns ?? options.partitionBy ?? [],
    compression: options.compression,
    maxRowsPerFile: options.rowsPerFile,
    targetFileBytes: options.targetFileBytes,
    uploadConcurrency: options.uploadConcurrency,
    onFile: (add, file) => options.onEvent?.({ type: 'fileWritten', path: add.path, bytes: add.size, rows: file.numRecords }),
    signal,
  })
  let committing = false
  try {
    let count = 0
    let schema = snapshot?.schema ?? options.schema
    for await (const raw of chunkRows(rows, { rows: options.chunkRows, bytes: options.chunkBytes })) {
      if (signal?.aborted) throw abortError(signal, 'appendRows')
      // A new table's schema is inferred before numbers are resolved: `JsonNumber`s tell doubles written as `5.0`.
      schema ??= inferSchema(raw)
      const chunk = resolveRows(raw, schema, count)
      await pipeline.push(chunk, schema, count)
      count += chunk.length
    }
    const adds = await pipeline.finish()
    if (signal?.aborted) throw abortError(signal, 'appendRows')
    const newTable = snapshot === undefined ? { schema: schema ?? { kind: 'struct' as const, fields: [] }, partitionBy: options.partitionBy } : undefined
    committing = true
    const result = await commitBatch({ engine, snapshot, newTable, adds, rows: count, txn: options.txn, commit: options.commit, metrics, onEvent: options.onEvent, signal })
    return { ...result, metrics: metrics.snapshot() }
  } catch (err) {
    await pipeline.drain()
    if (!committing || provesNothingCommitted(err)) await discardFiles(engine, pipeline.uploadedKeys())
    throw signal?.aborted === true ? abortError(signal, 'appendRows', err) : err
  } finally {
    if (options.encoder === undefined) await encoder.close()
  }
}
