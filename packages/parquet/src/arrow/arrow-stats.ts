// Delta stats straight from canonical Arrow buffers (no per-value JS objects; the NOT NULL checks are in non-null.ts):
// tight loops over typed arrays find each column's min/max index, and only those values are turned
// into JS values for `ColumnStats` (which applies Spark's truncation and outward rounding). apache-arrow
// slices the value and offset buffers of a sliced Data: only validity bitmaps use `data.offset`.

import * as arrow from 'apache-arrow'
import type { StatsAllocator } from '../encode-values.js'
import { isStored } from '../schema-to-parquet.js'
import type { ColumnStats, StatValue } from '../stats.js'
import type { DataType, StructField } from '../types.js'
import type { ColumnSummary } from '../plain-writer/write-plain.js'
import { checkNested, ownValidity, requireNonNull } from './non-null.js'
import type { Valid } from './non-null.js'
import { compareInt64, LITTLE_ENDIAN } from '../int64-words.js'


function compareBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart)
  for (let k = 0; k < n; k++) {
    const d = (a[aStart + k] as number) - (b[bStart + k] as number)
    if (d !== 0) return d
  }
  return aEnd - aStart - (bEnd - bStart)
}

const TEXT = new TextDecoder()

/**
 * The length of the common prefix of `bytes[aStart, aEnd)` and `bytes[bStart, bEnd)`. Only how often
 * `between` answers depends on it, not what it answers (it checks a value's first `p` bytes against
 * both bounds), so any length is safe.
 */
// Stryker disable all: as said above, a wrong length gives the same bounds (only slower or faster)
function prefixLength(bytes: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart)
  let k = 0
  while (k < n && bytes[aStart + k] === bytes[bStart + k]) k++
  return k
}
// Stryker restore all

/**
 * Whether `bytes[s, e)` is certainly no new bound, read from its first `p + 1` bytes, where `p` is the
 * common prefix length of the min and the max: every string between them starts with that prefix, and
 * its next byte strictly between theirs puts it strictly between them. False when unsure. Right for
 * any `p`: a value that starts with the max's first `p` bytes and then a smaller byte is below the
 * max, and one that starts with the min's first `p` bytes (or the whole min) and then a greater byte
 * (or any byte, past the min's end) is above the min.
 */
function between(bytes: Uint8Array, s: number, e: number, minStart: number, minEnd: number, maxStart: number, maxEnd: number, p: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: returning false more often only skips the shortcut (the compares below give the same bounds)
  if (e - s < p || maxEnd - maxStart <= p) return false
  // Stryker disable next-line all: with the true common prefix the min's and the max's first p bytes are equal, so either check alone suffices; failing more often only skips the shortcut
  for (let k = 0; k < p; k++) if (bytes[s + k] !== bytes[minStart + k] || bytes[s + k] !== bytes[maxStart + k]) return false
  if (e - s === p) {
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: answering false (unsure) for a value equal to the min only skips the shortcut
    return minEnd - minStart === p // equal to the min
  }
  const c = bytes[s + p] as number
  // Stryker disable next-line ConditionalExpression,LogicalOperator,ArithmeticOperator: each of these answers false (unsure) more often, or true only for a value above a min that is exactly the prefix
  return c < (bytes[maxStart + p] as number) && (minEnd - minStart === p || c > (bytes[minStart + p] as number))
}

/**
 * Min and max string by UTF-8 bytes (= code point order); only the two winners are decoded. Most
 * values are told apart from the bounds by their shared prefix and one byte (`between`); the others
 * are compared with the min, then (when not below it) with the max.
 */
function stringBounds(data: arrow.Data, valid: Valid, stats: ColumnStats): void {
  const offsets = data.valueOffsets as Int32Array
  const bytes = data.values as Uint8Array
  let min = -1
  // Stryker disable next-line UnaryOperator: max is set with min at the first value
  let max = -1
  let p = 0
  // Stryker disable next-line EqualityOperator: past the last row the offsets are undefined, and compare as neither below the min nor above the max
  for (let i = 0; i < data.length; i++) {
    if (valid !== null && !valid(i)) continue
    const s = offsets[i] as number
    const e = offsets[i + 1] as number
    if (min < 0) {
      min = max = i
      // Stryker disable next-line ArithmeticOperator: any prefix length is safe (see prefixLength)
      p = e - s
      continue
    }
    const minStart = offsets[min] as number
    const minEnd = offsets[min + 1] as number
    const maxStart = offsets[max] as number
    const maxEnd = offsets[max + 1] as number
    // Stryker disable next-line ConditionalExpression: without the shortcut every value is compared, giving the same bounds
    if (between(bytes, s, e, minStart, minEnd, maxStart, maxEnd, p)) continue
    // Stryker disable next-line EqualityOperator: an equal value is the same bound
    const below = compareBytes(bytes, s, e, bytes, minStart, minEnd) < 0
    // Stryker disable next-line EqualityOperator: an equal value is the same bound
    const above = compareBytes(bytes, s, e, bytes, maxStart, maxEnd) > 0
    if (below) min = i
    else if (above) max = i
    else continue
    p = prefixLength(bytes, offsets[min] as number, offsets[min + 1] as number, offsets[max] as number, offsets[max + 1] as number)
  }
  for (const i of min < 0 ? [] : [min, max]) {
    stats.add(TEXT.decode(bytes.subarray(offsets[i] as number, offsets[i + 1] as number)))
  }
}

function decimalAt(words: Uint32Array, i: number): bigint {
  const b = i * 4
  return BigInt.asIntN(128, (BigInt(words[b + 3] as number) << 96n) | (BigInt(words[b + 2] as number) << 64n) | (BigInt(words[b + 1] as number) << 32n) | BigInt(words[b] as number))
}

/** Signed 128-bit comparison of two little-endian 4-word values. */
function compareDecimal(words: Uint32Array, i: number, j: number): number {
  const hi = ((words[i * 4 + 3] as number) | 0) - ((words[j * 4 + 3] as number) | 0)
  if (hi !== 0) return hi
  for (let w = 2; w >= 0; w--) {
    const d = (words[i * 4 + w] as number) - (words[j * 4 + w] as number)
    if (d !== 0) return d
  }
  return 0
}

function decimalBounds(data: arrow.Data, valid: Valid, stats: ColumnStats): void {
  const words = data.values as Uint32Array
  let min = -1
  let max = -1
  for (let i = 0; i < data.length; i++) {
    if (valid !== null && !valid(i)) continue
    // Stryker disable next-line EqualityOperator: an equal value is the same bound
    if (min < 0 || compareDecimal(words, i, min) < 0) min = i
    // Stryker disable next-line EqualityOperator: an equal value is the same bound
    if (max < 0 || compareDecimal(words, i, max) > 0) max = i
  }
  if (min >= 0) {
    stats.add(decimalAt(words, min))
    stats.add(decimalAt(words, max))
  }
}

/** Indexes of the min and max int64 (first of equals), compared word by word; [-1, -1] when all null. */
function int64Bounds(values: BigInt64Array, length: number, valid: Valid): [number, number] {
  const words = new Int32Array(values.buffer, values.byteOffset, length * 2)
  let min = -1
  // Stryker disable next-line UnaryOperator: max is set with min at the first value
  let max = -1
  // Stryker disable next-line EqualityOperator: past the last row the words are undefined and compare as NaN: neither below nor above
  for (let i = 0; i < length; i++) {
    if (valid !== null && !valid(i)) continue
    if (min < 0) {
      min = max = i
      continue
    }
    // Stryker disable next-line EqualityOperator: an equal value is the same bound
    if (compareInt64(words, i, min) < 0) min = i
    // Stryker disable next-line EqualityOperator: an equal value is the same bound (a new min is below the max: never above it)
    if (compareInt64(words, i, max) > 0) max = i
  }
  return [min, max]
}

/** Indexes of the min and max number (first of equals, so -0 and 0 keep their order), or NaN's index as both. */
function floatBounds(values: Exclude<NumericArray, BigInt64Array>, length: number, valid: Valid): [number, number] {
  let min = -1
  // Stryker disable next-line UnaryOperator: max is set with min at the first value
  let max = -1
  // Stryker disable next-line EqualityOperator: past the last row the value is undefined: neither below nor above
  for (let i = 0; i < length; i++) {
    if (valid !== null && !valid(i)) continue
    const v = values[i] as number
    if (v !== v) return [i, i]
    if (min < 0) {
      min = max = i
      continue
    }
    if (v < (values[min] as number)) min = i
    // Stryker disable next-line EqualityOperator: an equal value is the same bound, and a max of -0 after 0 is written as 0 all the same (JSON has no -0)
    if (v > (values[max] as number)) max = i
  }
  return [min, max]
}

type NumericArray = BigInt64Array | Int32Array | Int16Array | Int8Array | Float64Array | Float32Array

function numberBounds(data: arrow.Data, valid: Valid, stats: ColumnStats): void {
  const values = data.values as NumericArray
  const int64 = values instanceof BigInt64Array
  const [min, max] = int64 && LITTLE_ENDIAN ? int64Bounds(values, data.length, valid) : floatBounds(values as Exclude<NumericArray, BigInt64Array>, data.length, valid)
  // Stryker disable next-line ConditionalExpression: with no value both indexes are -1, whose undefined values leave the bounds as they are
  if (min < 0) return
  const low = values[min] as number | bigint
  // Stryker disable next-line ConditionalExpression: the max index of a NaN is the NaN's too, so adding both adds NaN twice: the same stats
  if (low !== low) return stats.add(Number.NaN) // NaN: no bounds for the column
  stats.add(low as StatValue)
  stats.add(values[max] as StatValue)
}

function countNulls(data: arrow.Data, valid: Valid): number {
  if (valid === null) return 0
  let n = 0
  for (let i = 0; i < data.length; i++) if (!valid(i)) n++
  return n
}

/** Fills the stats of one leaf column (null count and, for min/max types, the bounds). */
function leafStats(data: arrow.Data, type: DataType, valid: Valid, stats: ColumnStats): void {
  stats.nullCount += countNulls(data, valid)
  if (type.kind === 'decimal') return decimalBounds(data, valid, stats)
  if (type.kind !== 'primitive') return
  if (type.name === 'string') return stringBounds(data, valid, stats)
  // Stryker disable next-line ConditionalExpression: boolean and binary stats keep no bounds (ColumnStats.add ignores their values)
  if (type.name !== 'boolean' && type.name !== 'binary') numberBounds(data, valid, stats)
}

/**
 * Checks one canonical column (`data` of `field`'s canonical Arrow type) against the field's
 * nullability and collects its stats from `allocator` in Delta's depth-first leaf order.
 * @throws ParquetError naming the column of a null where the schema forbids one.
 */
export function columnStats(data: arrow.Data, field: StructField, path: readonly string[], allocator: StatsAllocator, parent: Valid = null): void {
  const column = path.join('.')
  requireNonNull(data, field.nullable, parent, column)
  const valid = ownValidity(data, parent)
  if (field.type.kind !== 'struct') {
    checkNested(data, field.type, column)
    const stats = allocator.allocate(path, field.type)
    if (stats !== undefined) leafStats(data, field.type, valid, stats)
    return
  }
  field.type.fields.filter(f => isStored(f.type)).forEach((child, k) => {
    columnStats(data.children[k] as arrow.Data, child, [...path, child.name], allocator, valid)
  })
}


/**
 * The stats of one flat canonical column from the plain writer's summary of it (its null count and
 * bounds, found while it wrote the column): only the two bounds become stat values. Floating-point
 * columns are read again: the writer's bounds leave NaN out, where Delta stats then have none.
 */
export function summaryStats(data: arrow.Data, field: StructField, summary: ColumnSummary, allocator: StatsAllocator): void {
  const stats = allocator.allocate([field.name], field.type)
  if (stats === undefined) return
  const type = field.type
  // Stryker disable next-line ConditionalExpression: the plain writer takes primitive columns only; for any other the stats of the values are the same
  if (type.kind !== 'primitive' || type.name === 'float' || type.name === 'double') return leafStats(data, type, ownValidity(data, null), stats)
  stats.nullCount += summary.nulls
  for (const bound of summary.bounds ?? []) stats.add(bound instanceof Uint8Array ? TEXT.decode(bound) : (bound as StatValue))
}
