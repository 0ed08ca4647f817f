// The one error class this package throws: a LakeError with code 'ParquetError'.
// Foreign errors (hyparquet, hyparquet-writer, codecs) are wrapped here once, keeping the cause.

import { LakeError } from '@lake/storage'
import type { ErrorContext } from '@lake/storage'

/** A Parquet encode/decode failure: bad input value, unreadable file or incompatible column. */
export class ParquetError extends LakeError {
  declare readonly code: 'ParquetError'
  constructor(message: string, options: { readonly context?: ErrorContext; readonly cause?: unknown } = {}) {
    super('ParquetError', message, options)
  }
}

/** Wrap an unknown failure from a Parquet library as a `ParquetError` (a `LakeError` passes through). */
export function toParquetError(err: unknown, what: string, context: ErrorContext = {}): LakeError {
  if (err instanceof LakeError) return err
  const detail = err instanceof Error ? err.message : String(err)
  return new ParquetError(`${what}: ${detail}`, { context, cause: err })
}
