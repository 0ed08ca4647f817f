// Resolution of a `ByteRange` against an object size, shared by the local and memory stores.
// Ranges are clamped to the object like HTTP ranges, except that a start past the end yields no bytes.

import { StorageError } from './errors.js'
import type { ByteRange } from './object-store.js'

/** A resolved half-open byte interval `[start, end)` inside an object. */
export interface ResolvedRange {
  readonly start: number
  readonly end: number
}

/**
 * Resolves `range` against an object of `size` bytes, clamping to the object.
 * No range means the whole object; `{ suffix }` larger than the object means the whole object;
 * an offset at or past the end gives an empty interval.
 * @throws StorageError `InvalidArgument` when a number is negative or not a safe integer.
 */
export function resolveByteRange(
  range: ByteRange | undefined,
  size: number,
  method: string,
  path: string,
): ResolvedRange {
  if (range === undefined) return { start: 0, end: size }
  if ('suffix' in range) {
    checkCount(range.suffix, 'suffix', method, path)
    return { start: Math.max(0, size - range.suffix), end: size }
  }
  checkCount(range.offset, 'offset', method, path)
  const start = Math.min(range.offset, size)
  if (range.length === undefined) return { start, end: size }
  checkCount(range.length, 'length', method, path)
  return { start, end: Math.min(size, start + range.length) }
}

function checkCount(value: unknown, name: string, method: string, path: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new StorageError(
      'InvalidArgument',
      `invalid range ${name} for ${method} '${path}': expected a non-negative safe integer, found ${String(value)}`,
      { context: { method, path } },
    )
  }
}
