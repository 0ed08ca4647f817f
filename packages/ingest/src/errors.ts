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
  | 'ConstraintViolation'
  | 'UnsupportedFeature'
  | 'Unknown'
>

const INGEST_ERROR_CODES: ReadonlySet<string> = new Set<IngestErrorCode>([
  'JobMismatch',
  'TooManyBadRecords',
  'CommitConflict',
  'Unavailable',
  'Timeout',
  'Aborted',
  'InvalidArgument',
  'CorruptLog',
  'ConstraintViolation',
  'UnsupportedFeature',
  'Unknown',
])

/** True when an `IngestError` can carry `code`. */
export function isIngestErrorCode(code: LakeErrorCode): code is IngestErrorCode {
  return INGEST_ERROR_CODES.has(code)
}

/**
 * An ingestion failure:
 * - `JobMismatch`: the job state belongs to another table, source or appId (refused, nothing written).
 * - `TooManyBadRecords`: the dead-letter budget (`maxBadRecords`) is exceeded.
 * - `CommitConflict`: another runner of the same job committed this batch (fenced by the txn).
 * - `Unavailable` / `Timeout`: a source request failed after its retries (`retryable` is true).
 * - `Aborted`: the caller's signal fired.
 * - `InvalidArgument`: bad options or malformed JSON. `CorruptLog`: the job's offset log is unreadable
 *   or disagrees with the table.
 * - `ConstraintViolation` / `UnsupportedFeature` / `Unknown`: an encoder worker failed with this code
 *   (rebuilt from data that crossed the worker boundary; `Unknown` keeps the original in `context.code`).
 */
export class IngestError extends LakeError {
  declare readonly code: IngestErrorCode
  constructor(code: IngestErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}
