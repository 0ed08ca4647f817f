// Types shared across @lake/ingest: JSON offsets, progress events and counters.
// Types only; no runtime code.

/** A JSON value: what source offsets and record positions must be (they are persisted as JSON). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue }

/** Progress events, in the order they happen for one batch. `appId` is set for jobs. */
export type IngestEvent =
  | { readonly type: 'batchPlanned'; readonly appId?: string; readonly batchId: number; readonly start: JsonValue; readonly end: JsonValue; readonly replay: boolean }
  | { readonly type: 'fileWritten'; readonly appId?: string; readonly batchId?: number; readonly path: string; readonly bytes: number; readonly rows: number }
  | { readonly type: 'schemaEvolved'; readonly appId?: string; readonly batchId?: number; readonly version: number; readonly columns: readonly string[] }
  | { readonly type: 'commitAttempt'; readonly appId?: string; readonly batchId?: number; readonly readVersion: number; readonly files: number }
  | { readonly type: 'conflict'; readonly appId?: string; readonly batchId?: number; readonly reason: string }
  | { readonly type: 'batchCommitted'; readonly appId?: string; readonly batchId?: number; readonly version: number; readonly attempts: number; readonly rows: number; readonly files: number; readonly bytes: number }
  | { readonly type: 'batchSkipped'; readonly appId?: string; readonly batchId: number; readonly reason: string }
  | { readonly type: 'recordRejected'; readonly appId?: string; readonly batchId?: number; readonly position: JsonValue; readonly code: string; readonly message: string }
  | { readonly type: 'optimized'; readonly appId?: string; readonly batchId: number; readonly version: number | undefined }

/** A consumer of progress events. Must not throw; it runs on the ingest path. */
export type IngestEventHandler = (event: IngestEvent) => void

/** Counters of one run. `rowsPerSecond` is rows over the elapsed wall time. */
export interface IngestMetrics {
  readonly batches: number
  readonly rows: number
  readonly bytes: number
  readonly files: number
  /** Commit attempts beyond the first, plus source request retries. */
  readonly retries: number
  readonly rejected: number
  readonly elapsedMs: number
  readonly rowsPerSecond: number
}
