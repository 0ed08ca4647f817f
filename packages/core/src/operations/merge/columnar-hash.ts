// The columnar MERGE's hash of the source (docs/row-level-plan.md §5.7): built from the key column(s)
// alone, no row objects. One key maps to the first source row holding it; the rare keys held by more
// than one row are kept apart (a target row matching one of them is Spark's MultipleSourceRowsMatched,
// which the row route reports). Hash keys are those of the row route (source-hash.ts): a single
// integral key by value (safe bigints as numbers), a single string key itself, composite keys as the
// canonical text of their values. NULL keys never match.

import type { Value } from '@lake/parquet'
import { keyColumnValues } from '../../parquet-values.js'
import type { SourceColumns } from './columnar-source.js'
import type { JoinAnalysis } from './plan-expressions.js'
import { encodeKeyValue } from './source-hash.js'
import type { HashKey } from './source-hash.js'

/** The source hashed on its key column(s). */
export interface ColumnHash {
  /** Hash key → the first source row holding it. */
  readonly first: ReadonlyMap<HashKey, number>
  /** Hash key → every source row holding it, for keys held by more than one row. */
  readonly repeated: ReadonlyMap<HashKey, readonly number[]>
  /** Per equi-key, the non-null key values (for target pruning). */
  readonly keyValues: readonly (readonly Value[])[]
  /** The hash key of a target row's key values, or undefined when one is NULL. */
  hashKey(values: readonly Value[]): HashKey | undefined
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER)

const byValue = (v: Value): HashKey => (typeof v === 'bigint' ? (v <= SAFE && v >= -SAFE ? Number(v) : v) : (v as number | string))

function hashKeyOf(values: readonly Value[]): HashKey | undefined {
  if (values.length === 1) {
    const v = values[0] as Value
    return v === null ? undefined : byValue(v)
  }
  if (values.some((v) => v === null)) return undefined
  return values.map(encodeKeyValue).join('\u0001')
}

/**
 * The hash of `columns` on the join's keys, whose source sides are the table columns at `keyColumns`;
 * undefined when a key column is not of an integral or string type.
 */
export function hashColumns(columns: SourceColumns, join: JoinAnalysis, keyColumns: readonly number[]): ColumnHash | undefined {
  const keys = keyColumns.map((k) => keyColumnValues(columns.columns[k] ?? []))
  if (keys.some((k) => k === undefined)) return undefined
  const values = keys as (number | bigint | string | null)[][]
  const first = new Map<HashKey, number>()
  const repeated = new Map<HashKey, number[]>()
  const keyValues: Value[][] = join.keys.map(() => [])
  const row: Value[] = new Array<Value>(values.length)
  for (let i = 0; i < columns.length; i++) {
    for (let k = 0; k < values.length; k++) row[k] = (values[k] as Value[])[i] as Value
    const key = hashKeyOf(row)
    if (key === undefined) continue
    for (let k = 0; k < row.length; k++) keyValues[k]?.push(row[k] as Value)
    const seen = first.get(key)
    if (seen === undefined) first.set(key, i)
    else {
      const all = repeated.get(key)
      if (all === undefined) repeated.set(key, [seen, i])
      else all.push(i)
    }
  }
  return { first, repeated, keyValues, hashKey: hashKeyOf }
}
