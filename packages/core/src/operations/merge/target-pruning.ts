// Which target files a MERGE reads (docs/row-level-plan.md §5.2): for every equi-key whose target side
// is a top-level column of the source key's type, `column BETWEEN min AND max` of the source's key values
// (`IN (...)` for partition columns, decided exactly), judged per file by `expr/skipping.ts`; for integral
// keys a file must also hold one of the source's values between its min and max (binary search). Clauses
// WHEN NOT MATCHED BY SOURCE need every target row: no pruning. Pure.

import type { StructType, Value } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import type { BoundColumn, BoundPredicate, BoundValue } from '../../expr/ast.js'
import { bindPredicate } from '../../expr/bind.js'
import { compareValues } from '../../expr/compare.js'
import { predicateToSql } from '../../expr/print.js'
import { canSkipFile } from '../../expr/skipping.js'
import { parseFileStats, statsEntry, statsValue } from '../../expr/file-stats.js'
import { formatType } from '../../schema/format-type.js'
import type { JoinAnalysis } from './plan-expressions.js'
import { encodeKeyValue } from './source-hash.js'

/** Partition-column keys with at most this many distinct source values prune with `IN`, others with `BETWEEN`. */
const MAX_IN_VALUES = 1000

const INTEGRAL = new Set(['byte', 'short', 'integer', 'long'])

/** A file test beyond BETWEEN: some source key value lies in the file's [min, max] (integral keys, exact stats). */
type ValueTest = (stats: string | null | undefined) => boolean

/** The source's non-null values of one key: as values, or (a single integral key read as numbers) safe integers in ascending order. */
export type KeyValues = readonly Value[] | Float64Array

const SAFE = BigInt(Number.MAX_SAFE_INTEGER)
// Stryker disable next-line ArrowFunction,ConditionalExpression,EqualityOperator: a value taken for unsafe (at a bound, or any) goes through the exact comparisons of sortedValuesTest (the same files, only slower); values past the bounds taken for safe fail test/dml/merge-pruning.test.ts
const isSafeIntegral = (v: Value): boolean => (typeof v === 'number' ? Number.isSafeInteger(v) : typeof v === 'bigint' && v <= SAFE && v >= -SAFE)

/** The test for safe-integer numbers (`sorted`: ascending), stats compared as numbers (exact enough: see below). */
function sortedNumbersTest(column: BoundColumn, sorted: Float64Array): ValueTest {
  return (json) => {
    const stats = parseFileStats(json)
    if (stats === undefined) return true
    const min = statsValue(statsEntry(stats.minValues, column.physicalPath), column.type)
    const max = statsValue(statsEntry(stats.maxValues, column.physicalPath), column.type)
    // Stryker disable next-line ConditionalExpression: with one bound only, reading on tests the values on its side, which BETWEEN (judged first) has already kept
    if (typeof min !== 'number' && typeof min !== 'bigint' || typeof max !== 'number' && typeof max !== 'bigint') return true
    // Number() of a bound beyond ±2^53 rounds, but stays beyond every value here (all safe integers).
    const [low, high] = [Number(min), Number(max)]
    let [lo, hi] = [0, sorted.length]
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((sorted[mid] as number) < low) lo = mid + 1
      else hi = mid
    }
    return (sorted[lo] ?? Number.POSITIVE_INFINITY) <= high
  }
}

function sortedValuesTest(column: BoundColumn, values: KeyValues): ValueTest | undefined {
  if (column.type.kind !== 'primitive' || !INTEGRAL.has(column.type.name)) return undefined
  if (values instanceof Float64Array) return sortedNumbersTest(column, values)
  // Safe integers sort exactly as doubles.
  // Stryker disable next-line ConditionalExpression: the exact comparisons below decide the same files (only slower)
  if (values.every(isSafeIntegral)) return sortedNumbersTest(column, Float64Array.from(values, Number).sort())
  const sorted = [...values].sort((a, b) => compareValues(a, b, column.type))
  return (json) => {
    const stats = parseFileStats(json)
    if (stats === undefined) return true
    const min = statsValue(statsEntry(stats.minValues, column.physicalPath), column.type)
    const max = statsValue(statsEntry(stats.maxValues, column.physicalPath), column.type)
    // Stryker disable next-line ConditionalExpression: with one bound only, reading on tests the values on its side, which BETWEEN (judged first) has already kept
    if (min === undefined || max === undefined) return true
    let [lo, hi] = [0, sorted.length]
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (compareValues(sorted[mid] as Value, min, column.type) < 0) lo = mid + 1
      else hi = mid
    }
    const first = sorted[lo]
    // Stryker disable next-line ConditionalExpression: compareValues orders undefined (past the end) after every value: false either way
    return first !== undefined && compareValues(first, max, column.type) <= 0
  }
}

/** The files to read and what the MERGE declares it read. */
export interface TargetCandidates {
  readonly files: readonly AddFile[]
  /** Undefined: the whole table was read (no pruning predicate). */
  readonly predicate: { readonly sql: string; readonly matchesFile: (partitionValues: Readonly<Record<string, string | null>>, stats: string | null | undefined) => boolean } | undefined
}

/** The target layout pruning needs. */
export interface PruningTarget {
  readonly schema: StructType
  readonly partitionColumns: readonly string[]
  readonly columnMappingMode: 'none' | 'name' | 'id'
}

function boundColumn(target: PruningTarget, name: string): BoundColumn | undefined {
  const probe = bindPredicate(`\`${name.replaceAll('`', '``')}\` IS NULL`, target.schema, { columnMappingMode: target.columnMappingMode })
  return probe.kind === 'isNull' && probe.operand.kind === 'column' ? probe.operand : undefined
}

/** The least and greatest of `values` (not empty). */
function numberRange(values: readonly number[]): [number, number] {
  let [min, max] = [values[0] as number, values[0] as number]
  for (const v of values) {
    // Stryker disable next-line EqualityOperator: of equal values either is the bound
    if (v < min) min = v
    // Stryker disable next-line EqualityOperator: as above
    if (v > max) max = v
  }
  return [min, max]
}

function keyPredicate(column: BoundColumn, keyValues: KeyValues, isPartition: boolean): BoundPredicate {
  if (keyValues.length === 0) return { kind: 'const', value: false, pos: 0 }
  const value = (v: Value): BoundValue => ({ kind: 'value', value: v, type: column.type, pos: 0 })
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: the general path below finds the same least and greatest of these ascending numbers (only slower)
  if (keyValues instanceof Float64Array && !isPartition) return { kind: 'between', operand: column, low: value(keyValues[0] as number), high: value(keyValues[keyValues.length - 1] as number), negated: false, pos: 0 }
  const values: readonly Value[] = keyValues instanceof Float64Array ? Array.from(keyValues) : keyValues
  if (isPartition) {
    const distinct = [...new Map(values.map((v) => [encodeKeyValue(v), v])).values()]
    if (distinct.length <= MAX_IN_VALUES) return { kind: 'in', operand: column, values: distinct.map(value), negated: false, pos: 0 }
  }
  let [min, max] = [values[0] as Value, values[0] as Value]
  // Stryker disable next-line ConditionalExpression,MethodExpression,ArrowFunction: numbers through the compareValues loop below (or mixed with bigints through numberRange) give the same bounds (only slower)
  if (values.every((v) => typeof v === 'number')) [min, max] = numberRange(values as readonly number[])
  else {
    for (const v of values) {
      // Stryker disable next-line EqualityOperator: of equal values either is the bound
      if (compareValues(v, min, column.type) < 0) min = v
      // Stryker disable next-line EqualityOperator: as above
      if (compareValues(v, max, column.type) > 0) max = v
    }
  }
  return { kind: 'between', operand: column, low: value(min), high: value(max), negated: false, pos: 0 }
}

/**
 * The candidate files of a MERGE and its read predicate.
 * @param keyValues per equi-key of `join`, the source's non-null key values
 * @param options.wholeTable true when a clause needs every target row (WHEN NOT MATCHED BY SOURCE);
 *   `anyMatchable` false when no source row can match (then no file is read)
 */
export function mergeCandidates(files: readonly AddFile[], target: PruningTarget, join: JoinAnalysis, keyValues: readonly KeyValues[], options: { readonly wholeTable: boolean; readonly anyMatchable: boolean }): TargetCandidates {
  const { wholeTable, anyMatchable } = options
  if (wholeTable) return { files, predicate: undefined }
  const parts: BoundPredicate[] = anyMatchable ? [] : [{ kind: 'const', value: false, pos: 0 }]
  const tests: ValueTest[] = []
  join.keys.forEach((key, i) => {
    if (key.targetColumn === undefined || !anyMatchable) return
    const column = boundColumn(target, key.targetColumn)
    if (column === undefined || formatType(column.type) !== formatType(key.source.type)) return
    const values = keyValues[i] as KeyValues
    const isPartition = target.partitionColumns.includes(key.targetColumn)
    parts.push(keyPredicate(column, values, isPartition))
    const test = isPartition ? undefined : sortedValuesTest(column, values)
    if (test !== undefined) tests.push(test)
  })
  if (parts.length === 0) return { files, predicate: undefined }
  const predicate = parts.reduce((left, right): BoundPredicate => ({ kind: 'and', left, right, pos: 0 }))
  const matchesFile = (partitionValues: Readonly<Record<string, string | null>>, stats: string | null | undefined): boolean =>
    !canSkipFile(predicate, stats, partitionValues) && tests.every((test) => test(stats))
  return { files: files.filter((f) => matchesFile(f.partitionValues, f.stats)), predicate: { sql: predicateToSql(predicate), matchesFile } }
}
