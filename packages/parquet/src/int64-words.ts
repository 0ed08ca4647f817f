// 64-bit integers read as their two 32-bit words, so that no bigint is made per value: the platform's
// byte order (every Node target is little-endian), a signed compare of two int64 values, and an int64 as
// a number when the number is exact.

/**
 * The platform stores integers little-endian, as PLAIN encoding does: an int64's low word comes first.
 * Every user falls back to a byte-order-free path (bigints, one by one, or the wasm writer) when it is not.
 */
// Stryker disable next-line all: true on every platform the tests run on; each user's fallback gives the same results (only slower)
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** Signed comparison of int64 values `i` and `j` from their little-endian int32 words (no bigint made). */
export function compareInt64(words: Int32Array, i: number, j: number): number {
  const hi = (words[2 * i + 1] as number) - (words[2 * j + 1] as number)
  return hi !== 0 ? hi : ((words[2 * i] as number) >>> 0) - ((words[2 * j] as number) >>> 0)
}

const TWO_32 = 2 ** 32
const SAFE_HIGH = 2 ** 21 // a value in [-2^53, 2^53) has its high 32 bits in [-2^21, 2^21)

/** Int64 value `i` of `words` (little-endian pairs) as a number, exact for values in [-2^53, 2^53), else NaN; no bigint made. */
export function int64AsNumber(words: Int32Array, i: number): number {
  const high = words[2 * i + 1] as number
  if (high >= SAFE_HIGH || high < -SAFE_HIGH) return Number.NaN
  return high * TWO_32 + ((words[2 * i] as number) >>> 0)
}
