// Data skipping: decides from a file's stats and partition values that it cannot hold a row matching
// a predicate. Conservative: anything unknown (missing stats, truncated bounds) means "may match".

import type { DataType, Value } from '@lake/parquet'
import { parsePartitionValue } from '../partition/parse-partition-value.js'
import { parseTimestampMicros } from '../partition/temporal.js'
import type { BoundColumn, BoundOperand, BoundPredicate, CompareOp } from './ast.js'
import { compareStrings, compareValues } from './compare.js'
import { evaluatePredicate } from './evaluate.js'
import { parseFileStats, statsEntry, statsNullCount, statsValue } from './file-stats.js'
import type { FileStatistics } from './file-stats.js'

const NEGATED: Readonly<Record<CompareOp, CompareOp>> = { '=': '!=', '!=': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' }
const FLIPPED: Readonly<Record<CompareOp, CompareOp>> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' }
const TIMESTAMP_SLACK_MICROS = 999n // stats timestamps are truncated to milliseconds

/** What the stats say about one column's values in a file. */
interface Bounds {
  readonly min: Value | undefined
  readonly max: Value | undefined
  /** Every value is null (no min/max apply). */
  readonly allNull: boolean
  /** Whether some value is null; undefined when unknown. */
  readonly someNull: boolean | undefined
  /** min and max are the real extremes (not truncated prefixes or milliseconds). */
  readonly exact: boolean
}

/** Pushes NOT down to the leaves (valid under three-valued logic), so the result has no `not` nodes. */
export function toNegationNormalForm(p: BoundPredicate, negate = false): BoundPredicate {
  switch (p.kind) {
    case 'not':
      return toNegationNormalForm(p.operand, !negate)
    case 'const':
      return negate && p.value !== null ? { ...p, value: !p.value } : p
    case 'and':
    case 'or': {
      const kind = negate ? (p.kind === 'and' ? 'or' : 'and') : p.kind
      return { kind, left: toNegationNormalForm(p.left, negate), right: toNegationNormalForm(p.right, negate), pos: p.pos }
    }
    case 'compare':
      return negate ? { ...p, op: NEGATED[p.op] } : p
    case 'in':
    case 'isNull':
    case 'between':
    case 'like':
      return negate ? { ...p, negated: !p.negated } : p
  }
}

function isTruncatable(type: DataType): boolean {
  return type.kind === 'primitive' && (type.name === 'string' || type.name === 'timestamp' || type.name === 'timestamp_ntz')
}

class FileView {
  constructor(
    readonly stats: FileStatistics | undefined,
    readonly partitionValues: Readonly<Record<string, string | null>> | undefined,
  ) {}

  bounds(column: BoundColumn): Bounds {
    // Stryker disable next-line StringLiteral: a bound column's physical path is never empty
    const key = column.physicalPath[0] ?? ''
    if (column.physicalPath.length === 1 && this.partitionValues !== undefined && Object.hasOwn(this.partitionValues, key)) {
      // Stryker disable next-line StringLiteral: a partition column is top-level, so its path has one name
      const value = parsePartitionValue(this.partitionValues[key], column.type, column.path.join('.'))
      return { min: value ?? undefined, max: value ?? undefined, allNull: value === null, someNull: value === null, exact: true }
    }
    const stats = this.stats
    // Stryker disable next-line BooleanLiteral: without min and max, `exact` is never consulted
    if (stats === undefined) return { min: undefined, max: undefined, allNull: false, someNull: undefined, exact: false }
    const nullCount = statsNullCount(stats, column.physicalPath)
    return {
      min: statsValue(statsEntry(stats.minValues, column.physicalPath), column.type),
      max: statsValue(statsEntry(stats.maxValues, column.physicalPath), column.type),
      allNull: nullCount !== undefined && nullCount === stats.numRecords,
      someNull: nullCount === undefined ? undefined : nullCount > 0,
      exact: !isTruncatable(column.type),
    }
  }
}

/** Whether some value <= the true max could satisfy `value > lit` (strict) or `value >= lit`. */
function upperMayReach(b: Bounds, lit: Value, type: DataType, strict: boolean): boolean {
  const max = b.max
  if (max === undefined) return true // a NULL literal never gets here: mayCompare returns first
  if (!b.exact && typeof max === 'string' && typeof lit === 'string' && type.kind === 'primitive') {
    if (type.name === 'string') {
      // A truncated max bounds prefixes only: v >= lit implies prefix(v) >= prefix(lit), and prefix(v) <= max.
      const prefix = Array.from(lit).slice(0, Array.from(max).length).join('')
      return compareStrings(prefix, max) <= 0
    }
    const m = parseTimestampMicros(max)?.micros
    const l = parseTimestampMicros(lit)?.micros
    // Stryker disable next-line BooleanLiteral: stats values and literals reach here canonical, so both parse
    if (m === undefined || l === undefined) return true
    return strict ? m + TIMESTAMP_SLACK_MICROS > l : m + TIMESTAMP_SLACK_MICROS >= l
  }
  const c = compareValues(max, lit, type)
  return strict ? c > 0 : c >= 0
}

function lowerMayReach(b: Bounds, lit: Value, type: DataType, strict: boolean): boolean {
  if (b.min === undefined) return true
  const c = compareValues(b.min, lit, type)
  return strict ? c < 0 : c <= 0
}

function mayCompare(b: Bounds, op: CompareOp, lit: Value, type: DataType): boolean {
  if (lit === null || b.allNull) return false
  switch (op) {
    case '=':
      return lowerMayReach(b, lit, type, false) && upperMayReach(b, lit, type, false)
    case '<':
    case '<=':
      return lowerMayReach(b, lit, type, op === '<')
    case '>':
    case '>=':
      return upperMayReach(b, lit, type, op === '>')
    case '!=': {
      const { min, max } = b
      if (!b.exact || min === undefined || max === undefined) return true
      return compareValues(min, lit, type) !== 0 || compareValues(max, lit, type) !== 0
    }
  }
}

function mayMatch(p: BoundPredicate, file: FileView): boolean {
  switch (p.kind) {
    case 'const':
      return p.value === true
    case 'and':
      return mayMatch(p.left, file) && mayMatch(p.right, file)
    case 'or':
      return mayMatch(p.left, file) || mayMatch(p.right, file)
    case 'not':
      return mayMatch(toNegationNormalForm(p), file)
    case 'compare':
      return mayMatchCompare(p.op, p.left, p.right, file)
    case 'in':
      // `x NOT IN (..., NULL)` is never TRUE: `x != NULL` never may match, so every() is false.
      if (p.negated) return p.values.every((v) => mayMatchCompare('!=', p.operand, v, file))
      return p.values.some((v) => mayMatchCompare('=', p.operand, v, file))
    case 'isNull': {
      if (p.operand.kind === 'value') return evaluatePredicate(p, {}) === true
      if (p.operand.kind !== 'column') return true
      const b = file.bounds(p.operand)
      return p.negated ? !b.allNull : b.someNull !== false
    }
    case 'between':
      return p.negated
        ? mayMatchCompare('<', p.operand, p.low, file) || mayMatchCompare('>', p.operand, p.high, file)
        : mayMatchCompare('>=', p.operand, p.low, file) && mayMatchCompare('<=', p.operand, p.high, file)
    case 'like':
      return mayMatchLike(p, file)
  }
}

/** The literal prefix of a LIKE pattern (up to the first wildcard or escape), or '' when it has none. */
export function likePrefix(pattern: string, escape: string): string {
  let end = 0
  while (end < pattern.length && !'%_'.includes(pattern[end] as string) && pattern[end] !== escape) end++
  return pattern.slice(0, end)
}

/** `s LIKE 'abc%'` may match only when some value lies in ['abc', 'abd'). NOT LIKE and other patterns may always match. */
function mayMatchLike(p: BoundPredicate & { kind: 'like' }, file: FileView): boolean {
  if (p.negated || p.operand.kind !== 'column' || p.pattern.kind !== 'value' || typeof p.pattern.value !== 'string') return true
  const prefix = likePrefix(p.pattern.value, p.escape)
  const b = file.bounds(p.operand)
  if (prefix === '' || /[\uD800-\uDFFF]/.test(prefix)) return !b.allNull
  const last = prefix.charCodeAt(prefix.length - 1)
  const upper = last >= 0xd7ff ? undefined : prefix.slice(0, -1) + String.fromCharCode(last + 1)
  return mayCompare(b, '>=', prefix, p.operand.type) && (upper === undefined || mayCompare(b, '<', upper, p.operand.type))
}

function mayMatchCompare(op: CompareOp, left: BoundOperand, right: BoundOperand, file: FileView): boolean {
  if (left.kind === 'column') return right.kind === 'value' ? mayCompare(file.bounds(left), op, right.value, left.type) : true
  if (right.kind === 'column') return left.kind === 'value' ? mayCompare(file.bounds(right), FLIPPED[op], left.value, right.type) : true
  if (left.kind !== 'value' || right.kind !== 'value') return true
  return evaluatePredicate({ kind: 'compare', op, left, right, pos: 0 }, {}) === true
}

/**
 * True only when a file cannot contain a row for which `predicate` is TRUE, judged from its stats
 * (min/max/nullCount/numRecords, keyed by physical names) and partition values (exact). Missing
 * stats never skip; string maxima are treated as possibly truncated prefixes and timestamp maxima
 * as truncated to milliseconds.
 * @param stats parsed stats, or the add action's `stats` JSON string.
 * @throws PartitionValueError (`CorruptLog`) when a referenced partition value does not parse.
 */
export function canSkipFile(
  predicate: BoundPredicate,
  stats: FileStatistics | string | null | undefined,
  partitionValues?: Readonly<Record<string, string | null>>,
): boolean {
  const parsed = typeof stats === 'string' || stats === null ? parseFileStats(stats) : stats
  if (parsed?.numRecords === 0) return true
  return !mayMatch(toNegationNormalForm(predicate), new FileView(parsed, partitionValues))
}
