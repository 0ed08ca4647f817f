// The options of opening and creating a table (`DeltaTable.open`, `DeltaTable.create`).

import type { OpenStoreOptions } from '@lake/storage'
import type { StructType } from '@lake/parquet'
import type { TimestampInput } from '../snapshot/version-at-timestamp.js'

/** Options of `DeltaTable.open`: at most one of `version` and `timestamp`. */
export interface OpenTableOptions {
  readonly version?: number
  /** The latest version committed at or before this instant (epoch ms, ISO-8601 or Date; no zone means UTC). */
  readonly timestamp?: TimestampInput
  readonly storage?: OpenStoreOptions
  readonly signal?: AbortSignal
}

/** Options of `DeltaTable.create`. */
export interface CreateTableOptions {
  readonly schema: StructType
  readonly partitionBy?: readonly string[]
  readonly configuration?: Readonly<Record<string, string>>
  readonly name?: string
  readonly description?: string
  /** `error` (default) fails when the table exists; `ignore` opens the existing table instead. */
  readonly mode?: 'error' | 'ignore'
  readonly storage?: OpenStoreOptions
  readonly signal?: AbortSignal
}
