// The columnar MERGE's hash of the source (docs/row-level-plan.md §5.7): built from the key column(s)
// alone, no row objects (a single integral key: a NumberTable of typed arrays). One key maps to the first source row holding it; the rare keys held by more
// than one row are kept apart (a target row matching one of them is Spark's MultipleSourceRowsMatched,
// which the row route reports). Hash keys are those of the row route (source-hash.ts): a single
// integral key by value (safe bigints as numbers), a single string key itself, composite keys as the
// canonical text of their values. NULL keys never match.

import type { Value } from '@lake/parquet'
import { integerKeyNumbers, keyColumnValues } from '../../arrow-values.js'
import type { SourceColumns } from './columnar-source.js'
import { NumberTable } from './number-table.js'
import type { JoinAnalysis } from './plan-expressions.js'
import type { KeyValues } from './target-pruning.js'
import { encodeKeyValue } from './source-hash.js'
import type { HashKey } from './source-hash.js'

/** The source rows matching a target row's key values: none, one (its index), or several. */
export type KeyMatches = number | readonly number[] | undefined

/** The source hashed on its key column(s). */
export interface ColumnHash {
  /** Distinct non-null keys (0: no source row can match). */
  readonly size: number
  /** Per equi-key, the non-null key values (for target pruning). */
  readonly keyValues: readonly KeyValues[]
  /** The source rows whose keys equal `values` (a target row's; a NULL matches none). */
  lookup(values: readonly Value[]): KeyMatches
  /**
   * A single key's lookups for a whole column of target values, in one loop: per value, the one source
   * row holding it, `NO_MATCH`, or `REPEATED` (a key of several source rows: `lookup` lists them).
   * Undefined when the hash has no such loop (composite and string keys).
   */
  readonly lookupColumn?: (column: readonly Value[]) => Int32Array
}

/** `lookupColumn`: no source row holds the value. */
export const NO_MATCH = -1
/** `lookupColumn`: several source rows hold the value. */
// Stryker disable next-line UnaryOperator: any value taken for REPEATED only goes to `lookup`, which finds the same rows
export const REPEATED = -2

/** The least integer the NumberTable can hold (integerKeyNumbers reads int64 values in [-2^53, 2^53)). */
const TABLE_MIN = -(2n ** 53n)

/** A bigint as a number when it is a safe integer (as source-hash.ts keys it), else itself. */
function byValue(v: Value): HashKey {
  if (typeof v !== 'bigint') return v as number | string
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : v
}

function hashKeyOf(values: readonly Value[]): HashKey | undefined {
  // Stryker disable next-line ConditionalExpression,BlockStatement: one key through the composite encoding below matches the same rows (only slower)
  if (values.length === 1) {
    const v = values[0] as Value
    return v === null ? undefined : byValue(v)
  }
  if (values.some((v) => v === null)) return undefined
  // Stryker disable next-line StringLiteral: encodeKeyValue's encodings are prefix-free, so the keys need no separator to stay apart
  return values.map(encodeKeyValue).join('\u0001')
}

/** Adds source row `i` under `key`. */
function put(first: Map<HashKey | undefined, number>, repeated: Map<HashKey | undefined, number[]>, key: HashKey, i: number): void {
  const seen = first.get(key)
  if (seen === undefined) first.set(key, i)
  else {
    const all = repeated.get(key)
    if (all === undefined) repeated.set(key, [seen, i])
    else all.push(i)
  }
}

/** True when `keys` are ascending (equal neighbours allowed): a NaN (NULL) anywhere but alone makes them not. */
function ascending(keys: Float64Array): boolean {
  // Stryker disable next-line EqualityOperator,UpdateOperator,ConditionalExpression: an answer "not ascending" (for ties, or always) only sorts the keys again, the same keys
  for (let i = 1; i < keys.length; i++) if (!((keys[i - 1] as number) <= (keys[i] as number))) return false
  // Stryker disable next-line BooleanLiteral: as above
  return true
}

/** A single integral key read as numbers (no bigints made) into a NumberTable; undefined when its values are not all safe integers. */
function hashIntegers(columns: SourceColumns, keyColumn: number): ColumnHash | undefined {
  const numbers = integerKeyNumbers(columns.columns[keyColumn] ?? [])
  if (numbers === undefined) return undefined
  const table = new NumberTable(numbers)
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a NaN (NULL) key, or the undefined one past the end, put in the table is never looked up (lookup answers NaN first) and only counts in `size`; pruning by the sorted non-null keys still reads no file for them
  for (let i = 0; i < numbers.length; i++) if (numbers[i] === numbers[i]) table.add(i) // NaN: a NULL key
  // The non-null keys ascending, for target pruning (a typed array sorts NaN last); keys that come ascending (ETL batches
  // often do) are not copied and sorted again.
  const sorted = ascending(numbers) ? numbers : numbers.slice().sort()
  let count = sorted.length
  // Stryker disable next-line all: NaN left at the end only makes the declared read range's upper bound NaN: its text (kept, never read) changes, and pruning and conflict checks then test files against the sorted keys alone, which find the same
  while (count > 0 && Number.isNaN(sorted[count - 1])) count--
  const values = sorted.subarray(0, count)
  const lookup = (key: readonly Value[]): KeyMatches => {
    const n = tableKey(key[0] as Value)
    // Stryker disable next-line ConditionalExpression: table.first(NaN) finds an empty slot (NaN equals no key): NO_MATCH too
    const first = n !== n ? NO_MATCH : table.first(n)
    return first < 0 ? undefined : (table.repeated.get(n) ?? first)
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: asking the Map for every matched value finds the same REPEATED keys (only slower)
  const repeats = table.repeated.size > 0
  const lookupColumn = (column: readonly Value[]): Int32Array => {
    const found = new Int32Array(column.length)
    // Stryker disable next-line EqualityOperator: the value past the end is undefined (NaN, NO_MATCH), stored nowhere
    for (let i = 0; i < column.length; i++) {
      const n = tableKey(column[i] as Value)
      // Stryker disable next-line ConditionalExpression: as in lookup
      const first = n !== n ? NO_MATCH : table.first(n)
      // first is NO_MATCH (-1, the table's empty slot) when no row holds n; a key of several rows is in the table too.
      // Stryker disable next-line ConditionalExpression,LogicalOperator: a value taken for REPEATED only goes to `lookup`, which finds the same rows (only slower)
      found[i] = repeats && table.repeated.has(n) ? REPEATED : first
    }
    return found
  }
  return { size: table.size, keyValues: [values], lookup, lookupColumn }
}

/** A target key value as the NumberTable keys it: NaN for NULL and for values the table cannot hold. */
function tableKey(v: Value): number {
  // A bigint below TABLE_MIN could round to TABLE_MIN itself; one above 2^53 - 1 rounds to >= 2^53, never in the table.
  if (typeof v === 'bigint') return v >= TABLE_MIN ? Number(v) : Number.NaN
  return typeof v === 'number' ? v : Number.NaN
}

/**
 * The hash of `columns` on the join's keys, whose source sides are the table columns at `keyColumns`;
 * undefined when a key column is not of an integral or string type.
 */
export function hashColumns(columns: SourceColumns, join: JoinAnalysis, keyColumns: readonly number[]): ColumnHash | undefined {
  // Stryker disable next-line ConditionalExpression: without the typed-array table one integral key goes through the Map below, matching the same rows (only slower)
  const integers = keyColumns.length === 1 ? hashIntegers(columns, keyColumns[0] as number) : undefined
  // Stryker disable next-line ConditionalExpression: as above, the Map path holds integral keys too
  if (integers !== undefined) return integers
  const keys = keyColumns.map((k) => keyColumnValues(columns.columns[k] ?? []))
  // Stryker disable next-line all: unreachable, columnarKeys admits integral and string keys only, whose canonical columns (Int, Utf8) keyColumnValues reads
  if (keys.some((k) => k === undefined)) return undefined
  const values = keys as (number | bigint | string | null)[][]
  const first = new Map<HashKey | undefined, number>()
  const repeated = new Map<HashKey | undefined, number[]>()
  const keyValues: Value[][] = join.keys.map(() => [])
  // Stryker disable next-line ArrayDeclaration: a buffer the loop below fills whole for every row
  const row: Value[] = new Array<Value>(values.length)
  for (let i = 0; i < columns.length; i++) {
    for (let k = 0; k < values.length; k++) row[k] = (values[k] as Value[])[i] as Value
    const key = hashKeyOf(row)
    if (key === undefined) continue
    for (let k = 0; k < row.length; k++) (keyValues[k] as Value[]).push(row[k] as Value)
    put(first, repeated, key, i)
  }
  // A NULL in the key hashes to undefined, never put in the maps: it matches nothing.
  const lookup = (key: readonly Value[]): KeyMatches => {
    const hashed = hashKeyOf(key)
    return repeated.get(hashed) ?? first.get(hashed)
  }
  return { size: first.size, keyValues, lookup }
}
