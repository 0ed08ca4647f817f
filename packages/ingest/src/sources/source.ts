// The Source contract of incremental ingestion, modelled on Spark's streaming source
// (PySpark `DataSourceStreamReader`): JSON offsets in, records out, planning separate from reading.

import type { StructType } from '@lake/parquet'
import type { JsonValue } from '../types.js'

/** A record a source read: a value to ingest, or an input it could not parse (dead-lettered). */
export type SourceRecord =
  | { readonly kind: 'record'; readonly value: unknown; readonly position: JsonValue }
  | { readonly kind: 'invalid'; readonly raw: string; readonly code: string; readonly message: string; readonly position: JsonValue }

/** What the job passes to `read`. */
export interface ReadContext {
  /** The table schema when the table exists: text sources cast their columns to it. */
  readonly schema?: StructType | undefined
  readonly signal?: AbortSignal | undefined
}

/**
 * A replayable source of records. Offsets are JSON values the job persists in its offset log, so
 * they must round-trip through `JSON.stringify`/`JSON.parse` unchanged.
 *
 * Contract (what exactly-once relies on):
 * - `read(start, end)` is **deterministic**: the same range yields the same records in the same
 *   order, on any machine, after any restart. A source that cannot replay a range cannot be exactly-once.
 * - `latestOffset(start, limit)` returns an offset `>= start` covering at most `limit` units
 *   (lines, records, pages: the source documents its unit); it returns an offset equal to `start`
 *   (by JSON value) when there is no new data.
 * - `commit(end)` is called after the batch ending at `end` is committed to the table; the source
 *   may release what lies before `end`. It is never called for a range not yet committed.
 * - `fingerprint()` is stable for the same configuration (same files, same URL, same options) and
 *   differs otherwise; the job refuses to resume with a different fingerprint.
 */
export interface Source {
  /** A stable identity of the source's configuration (e.g. a hash of its canonical JSON). */
  fingerprint(): string
  /** The offset of the first batch of a new job. */
  initialOffset(options?: { signal?: AbortSignal }): Promise<JsonValue>
  /** The end of the next batch starting at `start`, at most `limit` units ahead; `start` itself when there is nothing new. */
  latestOffset(start: JsonValue, limit: number | undefined, options?: { signal?: AbortSignal }): Promise<JsonValue>
  /** The records in `[start, end)`, in a deterministic order. */
  read(start: JsonValue, end: JsonValue, context?: ReadContext): AsyncIterable<SourceRecord>
  /** Everything before `end` is committed to the table. */
  commit?(end: JsonValue): Promise<void>
  /** Releases resources (file handles, sockets). */
  stop?(): Promise<void>
  /** How a record's position reads in a message, e.g. `line 3` (default: `position <JSON>`). */
  describePosition?(position: JsonValue): string
  /** The schema of a new table: declared, or inferred from a sample (each source documents how). */
  schema?(options?: { signal?: AbortSignal }): Promise<StructType | undefined>
}
