// The errors this package throws: `ParquetError` (code 'ParquetError') for unusable input or an
// incompatible file, `CorruptDataError` (code 'CorruptData') for bytes that fail an integrity check.
// Foreign errors (hyparquet, hyparquet-writer, codecs) are wrapped here once, keeping the cause.

import { LakeError } from '@lake/storage'
import type { ErrorContext } from '@lake/storage'

interface ErrorOptions {
  readonly context?: ErrorContext
  readonly cause?: unknown
}

/** A Parquet encode/decode failure: bad input value, unreadable file or incompatible column. */
export class ParquetError extends LakeError {
  declare readonly code: 'ParquetError'
  constructor(message: string, options: ErrorOptions = {}) {
    super('ParquetError', message, options)
  }
}

/**
 * Stored bytes that fail an integrity check (a page CRC-32 mismatch, a page that overruns its column
 * chunk). `context.path` names the file when the caller gave it, `context.column` the column.
 */
export class CorruptDataError extends LakeError {
  declare readonly code: 'CorruptData'
  constructor(message: string, options: ErrorOptions = {}) {
    super('CorruptData', message, options)
  }
}

/** Wrap an unknown failure from a Parquet library as a `ParquetError` (a `LakeError` passes through). */
export function toParquetError(err: unknown, what: string, context: ErrorContext = {}): LakeError {
  if (err instanceof LakeError) return err
  const detail = err instanceof Error ? err.message : String(err)
  return new ParquetError(`${what}: ${detail}`, { context, cause: err })
}

/**
 * The error with the file it came from: a `ParquetError` or `CorruptDataError` without a
 * `context.path` is rethrown as the same kind, its message prefixed by `path`, the original as cause.
 * Other errors (storage, abort) already say where they happened and pass through.
 */
export function inFile(err: unknown, path: string | undefined): unknown {
  if (path === undefined || !(err instanceof ParquetError || err instanceof CorruptDataError)) return err
  if (err.context.path !== undefined) return err
  const options = { context: { ...err.context, path }, cause: err }
  const message = `${path}: ${err.message}`
  return err instanceof CorruptDataError ? new CorruptDataError(message, options) : new ParquetError(message, options)
}
