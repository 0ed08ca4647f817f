// Translation of a contract `ByteRange` into an HTTP Range header for GetObject, and recognition of
// S3's 416 answer. Ranges S3 cannot express (zero length) are reported so the store can answer locally.

import { StorageError, type ByteRange } from '@lake/storage'

/** Marker: the range selects no bytes, so no GET is needed (only an existence check). */
export const EMPTY_RANGE = Symbol('empty range')

/**
 * The `Range` header for `range`: `bytes=a-b`, `bytes=a-` or the suffix form `bytes=-n`;
 * `undefined` for the whole object; `EMPTY_RANGE` for a zero-length range.
 * @throws StorageError `InvalidArgument` when a number is negative or not a safe integer.
 */
export function rangeHeader(range: ByteRange | undefined, path: string): string | undefined | typeof EMPTY_RANGE {
  if (range === undefined) return undefined
  if ('suffix' in range) {
    checkCount(range.suffix, 'suffix', path)
    return range.suffix === 0 ? EMPTY_RANGE : `bytes=-${range.suffix}`
  }
  checkCount(range.offset, 'offset', path)
  if (range.length === undefined) return range.offset === 0 ? undefined : `bytes=${range.offset}-`
  checkCount(range.length, 'length', path)
  return range.length === 0 ? EMPTY_RANGE : `bytes=${range.offset}-${range.offset + range.length - 1}`
}

/** True for S3's `416 InvalidRange`: the range starts at or past the end of the object. */
export function isRangeNotSatisfiable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  if ('name' in err && err.name === 'InvalidRange') return true
  if (!('$metadata' in err) || typeof err.$metadata !== 'object' || err.$metadata === null) return false
  return 'httpStatusCode' in err.$metadata && err.$metadata.httpStatusCode === 416
}

function checkCount(value: unknown, name: string, path: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new StorageError(
      'InvalidArgument',
      `invalid range ${name} for get '${path}': expected a non-negative safe integer, found ${String(value)}`,
      { context: { method: 'get', path } },
    )
  }
}
