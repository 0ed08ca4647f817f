// Delta per-file statistics (§Per-file Statistics): per-column null counts and min/max bounds in their
// JSON form, nested like the schema, for the first N leaf columns. Bounds only ever widen, never narrow.

import { decimalOfNumber, jsonNumberBound } from './decimal.js'
import { floorDiv, formatDate, formatTimestamp } from './temporal.js'
import { truncateMaxString, truncateMinString } from './string-bounds.js'
import { setField } from './object-template.js'
import type { DataType, FileStats } from './types.js'

/** Delta Spark's `dataSkippingStringPrefixLength`: strings in stats keep this many UTF-16 units. */
export const STATS_STRING_PREFIX_LENGTH = 32
/** Delta's default `dataSkippingNumIndexedCols`. */
export const DEFAULT_STATS_COLUMN_LIMIT = 32

const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n
const MICROS_PER_MILLI = 1000n

/** A physical value as the encoder sees it: number, bigint (long, decimal, timestamp micros) or string. */
export type StatValue = number | bigint | string

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff
}

function compareCodePoints(a: string, b: string): number {
  // UTF-8 byte order == code point order; UTF-16 `<` misorders surrogates against U+E000..U+FFFF.
  if (a === b) return 0
  const length = Math.min(a.length, b.length)
  let start = 0
  while (start < length && a.charCodeAt(start) === b.charCodeAt(start)) start++
  if (start === length) return a.length - b.length
  const x = a.charCodeAt(start)
  const y = b.charCodeAt(start)
  if (!isSurrogate(x) && !isSurrogate(y)) return x - y
  // A surrogate differs: compare whole code points from the start of the pair it belongs to.
  if (start > 0 && isSurrogate(a.charCodeAt(start - 1)) && a.charCodeAt(start - 1) <= 0xdbff) start--
  for (let i = start; i < length; i++) {
    const x = a.codePointAt(i) as number
    const y = b.codePointAt(i) as number
    if (x !== y) return x - y
    if (x > 0xffff) i++
  }
  return a.length - b.length
}

function compare(a: StatValue, b: StatValue): number {
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b)
  return a < b ? -1 : a > b ? 1 : 0
}

/** True when Delta keeps min/max for the type (numeric, string, date, timestamps). */
export function hasMinMax(type: DataType): boolean {
  if (type.kind === 'decimal') return true
  if (type.kind !== 'primitive') return false
  return type.name !== 'boolean' && type.name !== 'binary' && type.name !== 'void'
}

/** Null count and running min/max of one column of one file. */
export class ColumnStats {
  readonly type: DataType
  nullCount = 0
  #min: StatValue | undefined
  #max: StatValue | undefined
  #hasNaN = false
  readonly #tracksBounds: boolean

  constructor(type: DataType) {
    this.type = type
    this.#tracksBounds = hasMinMax(type)
  }

  /** Count one null. */
  addNull(): void {
    this.nullCount++
  }

  /** Fold one non-null physical value into the bounds. */
  add(value: StatValue): void {
    if (!this.#tracksBounds) return
    if (typeof value === 'number' && Number.isNaN(value)) {
      this.#hasNaN = true
      return
    }
    if (this.#min === undefined || compare(value, this.#min) < 0) this.#min = value
    if (this.#max === undefined || compare(value, this.#max) > 0) this.#max = value
  }

  /** The JSON lower bound, or undefined when there is none (no values, NaN, not representable). */
  minJson(): unknown {
    return this.#hasNaN || this.#min === undefined ? undefined : toJsonBound(this.type, this.#min, 'min')
  }

  /** The JSON upper bound, or undefined when there is none. */
  maxJson(): unknown {
    return this.#hasNaN || this.#max === undefined ? undefined : toJsonBound(this.type, this.#max, 'max')
  }
}

function toJsonBound(type: DataType, value: StatValue, bound: 'min' | 'max'): unknown {
  if (type.kind === 'decimal') {
    if (typeof value !== 'bigint') return undefined
    const x = jsonNumberBound({ unscaled: value, scale: type.scale }, bound)
    // Readers parse the stat as decimal(p,s): an outward-rounded bound must still fit p-s integer digits.
    return x !== undefined && Math.abs(x) < 10 ** (type.precision - type.scale) ? x : undefined
  }
  if (type.kind !== 'primitive') return undefined
  switch (type.name) {
    case 'long':
      return typeof value === 'bigint' ? longBound(value, bound) : undefined
    case 'float':
    case 'double':
    case 'byte':
    case 'short':
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined
    case 'string':
      return typeof value === 'string' ? stringBound(value, bound) : undefined
    case 'date':
      return typeof value === 'number' ? formatDate(value) : undefined
    case 'timestamp':
    case 'timestamp_ntz':
      return typeof value === 'bigint' ? timestampBound(value, type.name === 'timestamp', bound) : undefined
    default:
      return undefined
  }
}

function longBound(value: bigint, bound: 'min' | 'max'): number | undefined {
  if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(value)
  // Beyond 2^53 round outward; readers parse the JSON text as a long, so that text must fit a long.
  const x = jsonNumberBound({ unscaled: value, scale: 0 }, bound)
  if (x === undefined) return undefined
  const printed = decimalOfNumber(x)
  if (printed.scale > 0) return undefined
  const exact = printed.unscaled * 10n ** BigInt(-printed.scale)
  return exact >= LONG_MIN && exact <= LONG_MAX ? x : undefined
}

function stringBound(value: string, bound: 'min' | 'max'): string | undefined {
  return bound === 'min'
    ? truncateMinString(value, STATS_STRING_PREFIX_LENGTH)
    : truncateMaxString(value, STATS_STRING_PREFIX_LENGTH)
}

function timestampBound(micros: bigint, utc: boolean, bound: 'min' | 'max'): string {
  // Stats keep milliseconds: floor the min, and round the max up when micros are cut (as Delta Spark).
  let millis = floorDiv(micros, MICROS_PER_MILLI)
  if (bound === 'max' && millis * MICROS_PER_MILLI !== micros) millis += 1n
  return formatTimestamp(millis * MICROS_PER_MILLI, utc, 3)
}

/** One stats column and its path of field names (physical names) from the top level. */
export interface StatsColumn {
  readonly path: readonly string[]
  readonly stats: ColumnStats
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) {
    const child = Object.hasOwn(node, key) ? node[key] : undefined
    if (typeof child === 'object' && child !== null) {
      node = child as Record<string, unknown>
    } else {
      const created: Record<string, unknown> = {}
      setField(node, key, created)
      node = created
    }
  }
  setField(node, path[path.length - 1] as string, value)
}

/** Assemble Delta's stats JSON object from the collected columns (in schema order). */
export function buildFileStats(numRecords: number, columns: readonly StatsColumn[]): FileStats {
  const minValues: Record<string, unknown> = {}
  const maxValues: Record<string, unknown> = {}
  const nullCount: Record<string, unknown> = {}
  for (const { path, stats } of columns) {
    setPath(nullCount, path, stats.nullCount)
    const min = stats.minJson()
    if (min !== undefined) setPath(minValues, path, min)
    const max = stats.maxJson()
    if (max !== undefined) setPath(maxValues, path, max)
  }
  return { numRecords, minValues, maxValues, nullCount }
}
