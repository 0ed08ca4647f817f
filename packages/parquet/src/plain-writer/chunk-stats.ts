// The Parquet statistics of a page or a column chunk, from the Arrow buffers of its rows: the null count, and
// the least and greatest value by the column's sort order (signed for integers, dates and timestamps,
// unsigned bytes for strings and binaries, false < true). Floating-point bounds leave NaN out (none when
// every value is NaN) and widen a zero bound to -0 (min) and +0 (max), as the Parquet spec asks, since
// -0 and +0 compare equal. One tight loop per layout finds the bounds' row indexes; only those values
// become JS values (as hyparquet-writer's footer writer takes them).

import type * as arrow from 'apache-arrow'
import type { Statistics } from 'hyparquet'
import type { PlainColumn } from './plain-column.js'
import { validityOf } from './page-body.js'
import { compareInt64 } from '../int64-words.js'

/** A run of rows [start, end) of one Arrow Data: a column chunk is one or more of them. */
export interface Segment {
  readonly data: arrow.Data
  readonly start: number
  readonly end: number
}

/** One bound of a column's values, as hyparquet-writer's footer writer takes it. */
export type Bound = number | bigint | boolean | Uint8Array
/** The least and the greatest value. */
export type Bounds = readonly [Bound, Bound]

/** Bit `at` of a bitmap (validity or boolean values) is set. */
const isValid = (bits: Uint8Array, at: number): boolean => ((bits[at >> 3] as number) & (1 << (at & 7))) !== 0

function compareBytes(bytes: Uint8Array, offsets: Int32Array, i: number, j: number): number {
  const s = offsets[i] as number
  const e = offsets[i + 1] as number
  const t = offsets[j] as number
  const f = offsets[j + 1] as number
  const n = Math.min(e - s, f - t)
  for (let k = 0; k < n; k++) {
    const d = (bytes[s + k] as number) - (bytes[t + k] as number)
    if (d !== 0) return d
  }
  return e - s - (f - t)
}

/** Row indexes of the least and greatest value of a segment ([-1, -1]: no value). */
type Winners = [number, number]

function bytesWinners({ data, start, end }: Segment): Winners {
  const validity = validityOf(data)
  const offsets = data.valueOffsets as Int32Array
  const bytes = data.values as Uint8Array
  // Stryker disable next-line UnaryOperator: max is set with min at the first value
  let [min, max] = [-1, -1]
  for (let i = start; i < end; i++) {
    if (validity !== undefined && !isValid(validity, data.offset + i)) continue
    if (min < 0) {
      min = max = i
      continue
    }
    // Stryker disable next-line EqualityOperator: an equal value is the same bound
    if (compareBytes(bytes, offsets, i, min) < 0) min = i
    // Stryker disable next-line EqualityOperator: an equal value is the same bound
    if (compareBytes(bytes, offsets, i, max) > 0) max = i
  }
  return [min, max]
}

function int64Winners({ data, start, end }: Segment): Winners {
  const validity = validityOf(data)
  const values = data.values as BigInt64Array
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2)
  // Stryker disable next-line UnaryOperator: max is set with min at the first value
  let [min, max] = [-1, -1]
  for (let i = start; i < end; i++) {
    if (validity !== undefined && !isValid(validity, data.offset + i)) continue
    if (min < 0) {
      min = max = i
      continue
    }
    // Stryker disable next-line EqualityOperator: an equal value is the same bound
    if (compareInt64(words, i, min) < 0) min = i
    // Stryker disable next-line EqualityOperator: an equal value is the same bound
    if (compareInt64(words, i, max) > 0) max = i
  }
  return [min, max]
}

function numberWinners({ data, start, end }: Segment): Winners {
  const validity = validityOf(data)
  const values = data.values as Int32Array | Int16Array | Int8Array | Float64Array | Float32Array
  // Stryker disable next-line UnaryOperator: max is set with min at the first value
  let [min, max] = [-1, -1]
  for (let i = start; i < end; i++) {
    const v = values[i] as number
    if (v !== v || (validity !== undefined && !isValid(validity, data.offset + i))) continue // NaN, NULL
    if (min < 0) {
      min = max = i
      continue
    }
    // Stryker disable next-line EqualityOperator: an equal value is the same bound (-0 and 0 are widened alike below)
    if (v < (values[min] as number)) min = i
    // Stryker disable next-line EqualityOperator: an equal value is the same bound (-0 and 0 are widened alike below)
    if (v > (values[max] as number)) max = i
  }
  return [min, max]
}

function booleanWinners({ data, start, end }: Segment): Winners {
  const validity = validityOf(data)
  const bits = data.values as Uint8Array
  // Stryker disable next-line UnaryOperator: max is set with min at the first value
  let [min, max] = [-1, -1]
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator,ArithmeticOperator: stopping once false and true are both seen only saves reading the rest
  for (let i = start; i < end && (min < 0 || isValid(bits, data.offset + min) || !isValid(bits, data.offset + max)); i++) {
    if (validity !== undefined && !isValid(validity, data.offset + i)) continue
    const value = isValid(bits, data.offset + i)
    if (min < 0) min = max = i
    else if (value) max = i
    else min = i
  }
  return [min, max]
}

/** The value of row `i` of `data`, as the footer writer takes it. */
function valueAt(data: arrow.Data, column: PlainColumn, i: number): Bound {
  switch (column.layout.kind) {
    case 'bytes': {
      const offsets = data.valueOffsets as Int32Array
      return (data.values as Uint8Array).subarray(offsets[i] as number, offsets[i + 1] as number)
    }
    case 'boolean': return isValid(data.values as Uint8Array, data.offset + i)
    default: return (data.values as BigInt64Array | Float64Array)[i] as number | bigint
  }
}

function winnersOf(segment: Segment, column: PlainColumn): Winners {
  const layout = column.layout
  if (layout.kind === 'bytes') return bytesWinners(segment)
  if (layout.kind === 'boolean') return booleanWinners(segment)
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,BooleanLiteral: numberWinners orders bigints too (only slower)
  return layout.kind === 'fixed' && layout.width === 8 && !column.float ? int64Winners(segment) : numberWinners(segment)
}

/** Orders two bounds of one column (bytes unsigned, numbers and booleans as values). */
export function compareBounds(a: Bound, b: Bound): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length)
    for (let k = 0; k < n; k++) {
      const d = (a[k] as number) - (b[k] as number)
      if (d !== 0) return d
    }
    return a.length - b.length
  }
  return a < b ? -1 : a > b ? 1 : 0
}

/** The least and greatest value of rows [start, end) of `data` (NULL and NaN left out), zero bounds of floats widened; undefined when there is none. */
export function rangeBounds(data: arrow.Data, column: PlainColumn, start: number, end: number): Bounds | undefined {
  const [min, max] = winnersOf({ data, start, end }, column)
  if (min < 0) return undefined
  let [low, high] = [valueAt(data, column, min), valueAt(data, column, max)]
  // Stryker disable next-line ConditionalExpression: a zero of an integer column is written as 0 either way (and bigints have no -0)
  if (column.float) {
    if (low === 0) low = -0
    if (high === 0) high = 0
  }
  return [low, high]
}

/** The bounds of two runs of one column together. */
export function foldBounds(a: Bounds | undefined, b: Bounds | undefined): Bounds | undefined {
  if (a === undefined || b === undefined) return a ?? b
  // Stryker disable next-line EqualityOperator: of equal bounds either is the bound
  return [compareBounds(b[0], a[0]) < 0 ? b[0] : a[0], compareBounds(b[1], a[1]) > 0 ? b[1] : a[1]]
}

/** A column chunk's statistics: its null count and bounds. */
export function chunkStatistics(bounds: Bounds | undefined, nulls: number): Statistics {
  const stats: Statistics = { null_count: BigInt(nulls) }
  return bounds === undefined ? stats : { ...stats, min_value: bounds[0], max_value: bounds[1] }
}
