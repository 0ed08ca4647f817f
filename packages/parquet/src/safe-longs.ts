// The `safeLongs` read option: a `long` column's values that are safe integers (|v| < 2^53) read as
// numbers, others stay bigints. For callers that compare keys as numbers (a hash join's probe): a page of
// INT64 values is converted from its 32-bit words, so no bigint is made for a safe value.

import type { SchemaElement } from 'hyparquet'
import { badValue, int32 } from './leaf-decoders.js'
import type { LeafDecoder } from './leaf-decoders.js'
import type { Value } from './types.js'
import { int64AsNumber, LITTLE_ENDIAN } from './int64-words.js'

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * Each value of `raw` (a page of INT64 values) as a number when it is a safe integer, else as itself.
 * `int64AsNumber` is exact for every safe integer, and gives NaN or -2^53 (not safe) for the others.
 */
export function safeLongs(raw: BigInt64Array, littleEndian = LITTLE_ENDIAN): Value[] {
  // Stryker disable next-line ArrayDeclaration: a buffer the loops below fill whole
  const out = new Array<Value>(raw.length)
  // Stryker disable next-line all: value by value (the big-endian path) gives the same values as the words (only slower); the words are read little-endian, as this platform stores them
  if (!littleEndian) {
    for (let i = 0; i < raw.length; i++) out[i] = safeLong(raw[i] as bigint)
    return out
  }
  const words = new Int32Array(raw.buffer, raw.byteOffset, raw.length * 2)
  for (let i = 0; i < raw.length; i++) {
    const n = int64AsNumber(words, i) // NaN or -2^53 (exact, not safe) stay bigints
    out[i] = Number.isSafeInteger(n) ? n : (raw[i] as bigint)
  }
  return out
}

function safeLong(v: bigint): number | bigint {
  return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v
}

/** The decoder of a `long` leaf with the `safeLongs` option: INT64 (or widened INT32) storage. */
export function safeLongDecoder(column: string, element: SchemaElement): LeafDecoder {
  if (element.type !== 'INT64') return int32(column, element)
  const one = (raw: unknown): Value => {
    if (typeof raw !== 'bigint') throw badValue(column, 'INT64 bigint', raw)
    return safeLong(raw)
  }
  const many = (raw: ArrayLike<unknown>): Value[] => (raw instanceof BigInt64Array ? safeLongs(raw) : Array.from(raw, one))
  return Object.assign(one, { many })
}
