// The options and result of `writeDelta`, in a module of their own so the write's modules
// (prepare, commit, stream) import them without importing writeDelta itself.
//
//   const options: WriteOptions = { mode: 'overwrite', schemaMode: 'merge', partitionBy: ['day'], commit: { maxAttempts: 10 } }

import type { Compression, StructType } from '@lake/parquet'
import type { OpenStoreOptions } from '@lake/storage'
import type { CommitOptions } from '../../transaction/commit-request.js'
import type { SchemaMode, WriteMode } from './plan.js'

/** Options of `writeDelta`. */
export interface WriteOptions {
  /** `error` (default): fail if the table exists; `append`; `overwrite`; `ignore`: do nothing if it exists. */
  readonly mode?: WriteMode
  /** `merge` (mergeSchema) adds new columns; `overwrite` (overwriteSchema, with mode overwrite) replaces the schema. */
  readonly schemaMode?: SchemaMode
  /** The schema for a new table (or for schemaMode overwrite); inferred from the rows when absent. */
  readonly schema?: StructType
  readonly partitionBy?: readonly string[]
  /** With mode `overwrite`: replace only the rows matching this predicate; every new row must match it. */
  readonly replaceWhere?: string
  /** Idempotent write: skipped when the table already holds `version` (or later) for `appId`. */
  readonly txn?: { readonly appId: string; readonly version: number }
  /** For a new table. */
  readonly name?: string
  readonly description?: string
  /** Table properties of a new table (`delta.*` and custom). */
  readonly configuration?: Readonly<Record<string, string>>
  readonly compression?: Compression
  readonly targetFileBytes?: number
  readonly maxRowsPerFile?: number
  /** Free text recorded as commitInfo `userMetadata` (Spark's `userMetadata` option). */
  readonly userMetadata?: string
  readonly commit?: CommitOptions
  readonly storage?: OpenStoreOptions
  readonly signal?: AbortSignal
}

/** What a write did. */
export type WriteResult =
  | { readonly status: 'committed'; readonly version: number; readonly attempts: number; readonly numFilesAdded: number; readonly numFilesRemoved: number; readonly numRows: number }
  | { readonly status: 'skipped'; readonly version: number; readonly reason: string }
