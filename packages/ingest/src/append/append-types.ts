// The options and result of the appends (`appendRows`, `appendNdjson`) and of the file side of jobs.

import type { CommitOptions } from '@lake/core'
import type { Compression, StructType } from '@lake/parquet'
import type { OpenStoreOptions } from '@lake/storage'
import type { Encoder } from '../encode/encoder-types.js'
import type { IngestEventHandler, IngestMetrics } from '../types.js'

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
