// IngestError: the one error class @lake/ingest throws itself. Errors from @lake/core and
// @lake/storage pass through unchanged (they are LakeErrors too).

import { LakeError } from '@lake/storage'
import type { LakeErrorCode, LakeErrorOptions } from '@lake/storage'

/** Codes an `IngestError` carries. */
export type IngestErrorCode = Extract<
  LakeErrorCode,
  | 'JobMismatch'
  | 'TooManyBadRecords'
  | 'CommitConflict'
  | 'Unavailable'
  | 'Timeout'
  | 'Aborted'
  | 'InvalidArgument'
  | 'CorruptLog'
>

/**
 * An ingestion failure:
 * - `JobMismatch`: the job state belongs to another table, source or appId (refused, nothing written).
 * - `TooManyBadRecords`: the dead-letter budget (`maxBadRecords`) is exceeded.
 * - `CommitConflict`: another runner of the same job committed this batch (fenced by the txn).
 * - `Unavailable` / `Timeout`: a source request failed after its retries (`retryable` is true).
 * - `Aborted`: the caller's signal fired.
 * - `InvalidArgument`: bad options. `CorruptLog`: the job's offset log is unreadable.
 */
export class IngestError extends LakeError {
  declare readonly code: IngestErrorCode
  constructor(code: IngestErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}
