// Groups deleted row indexes (number or bigint) by their high 32 bits into sorted, distinct arrays
// of low 32 bits: the shape of Delta's RoaringBitmapArray. Validates every index. Pure; no I/O.

import { DeletionVectorError } from './deletion-vector-error.js'

/** A row index of a data file: its 0-based position in the file, as a safe integer or a bigint. */
export type RowIndex = number | bigint

/**
 * The largest row index a deletion vector can hold: Delta's `RoaringBitmapArray.MAX_REPRESENTABLE_VALUE`
 * (high word 2^31 - 2, low word 2^31), so that every Delta reader can load the bitmap.
 */
export const MAX_DV_ROW_INDEX = 0x7ffffffe_80000000n

const LOW_BITS = 2 ** 32 // row indexes split into a 32-bit bucket key and a 32-bit low word

/** The low words of the row indexes whose high word is `key`, ascending and distinct. */
export interface RowIndexBucket {
  readonly key: number
  readonly lows: Uint32Array
}

function invalid(row: unknown, position: number, expected: string): DeletionVectorError {
  const found = typeof row === 'bigint' || typeof row === 'number' ? String(row) : `a ${typeof row}`
  return new DeletionVectorError(`invalid deletion vector row index at position ${position}: expected ${expected}, found ${found}`, {
    code: 'InvalidArgument',
    context: { position, rowIndex: found },
  })
}

/** `[high word, low word]` of one row index. */
function splitRowIndex(row: unknown, position: number): readonly [number, number] {
  if (typeof row === 'bigint') {
    if (row < 0n || row > MAX_DV_ROW_INDEX) throw invalid(row, position, `an index from 0 to ${MAX_DV_ROW_INDEX}`)
    return [Number(row >> 32n), Number(row & 0xffffffffn)]
  }
  if (typeof row !== 'number') throw invalid(row, position, 'a number or a bigint')
  if (!Number.isInteger(row)) throw invalid(row, position, 'an integer')
  if (row < 0) throw invalid(row, position, `an index from 0 to ${MAX_DV_ROW_INDEX}`)
  if (!Number.isSafeInteger(row)) throw invalid(row, position, 'a safe integer (use a bigint above 2^53 - 1)')
  return [Math.floor(row / LOW_BITS), row % LOW_BITS]
}

/** `values` (the low words of one bucket, changed in place) ascending and distinct. */
function sortedDistinct(values: Uint32Array): Uint32Array {
  const sorted = ascending(values) ? values : values.sort()
  let kept = 0
  for (const value of sorted) if (value !== sorted[kept - 1]) sorted[kept++] = value // sorted[-1] is undefined
  return sorted.subarray(0, kept)
}

// Stryker disable all: an answer "not ascending" (for ties, or always) only sorts the values again, to the same order
function ascending(values: Uint32Array): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i] as number) < (values[i - 1] as number)) return false
  return true
}
// Stryker restore all

/**
 * An array of row indexes that are all numbers below 2^32 (every file's, as the executors give them) as
 * the low words of bucket 0, in one loop; undefined for any other input, which the general path checks
 * index by index.
 */
function lowWordsOnly(rows: Iterable<RowIndex>): Uint32Array | undefined {
  if (!Array.isArray(rows)) return undefined
  const lows = new Uint32Array(rows.length)
  // Stryker disable next-line EqualityOperator,UpdateOperator: a read past either end is undefined, which hands the rows to the general path, to the same buckets
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i]
    if (typeof row !== 'number' || row !== Math.floor(row)) return undefined
    // Stryker disable next-line ConditionalExpression,EqualityOperator: bailing out more often (a 0, or any row) hands the rows to the general path, which buckets them the same; bailing out less (a negative row, 2^32 and up) fails the bucket and error tests
    if (!(row >= 0 && row < LOW_BITS)) return undefined
    lows[i] = row
  }
  return lows
}

/**
 * The row indexes grouped by high word, buckets in ascending key order. Duplicates count once.
 * @throws DeletionVectorError (`InvalidArgument`, context `position` and `rowIndex`) on a value that
 * is not a number or bigint, not an integer, negative, an unsafe number, or above `MAX_DV_ROW_INDEX`.
 */
export function bucketRowIndexes(rows: Iterable<RowIndex>): RowIndexBucket[] {
  const lows = lowWordsOnly(rows)
  if (lows !== undefined) return lows.length === 0 ? [] : [{ key: 0, lows: sortedDistinct(lows) }]
  const byKey = new Map<number, number[]>()
  let position = 0
  for (const row of rows) {
    const [key, low] = splitRowIndex(row, position++)
    const lows = byKey.get(key)
    if (lows === undefined) byKey.set(key, [low])
    else lows.push(low)
  }
  return [...byKey.entries()].sort((a, b) => a[0] - b[0]).map(([key, words]) => ({ key, lows: sortedDistinct(Uint32Array.from(words)) }))
}
