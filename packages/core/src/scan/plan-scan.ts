// Scan planning, pure: resolves the projection and the filter against the snapshot's schema, then
// keeps the live files that partition pruning and stats-based skipping cannot rule out.

import type { StructField, StructType } from '@lake/parquet'
import type { AddFile } from '../actions/types.js'
import { InvalidArgumentError } from '../errors.js'
import type { BoundPredicate } from '../expr/ast.js'
import { bindPredicate } from '../expr/bind.js'
import { evaluateRow } from '../expr/evaluate.js'
import { isPartitionOnly, referencedColumns } from '../expr/referenced-columns.js'
import { canSkipFile } from '../expr/skipping.js'
import { checkPartitionValues, parsePartitionValues } from '../partition/parse-partition-value.js'
import type { PartitionColumn } from '../partition/parse-partition-value.js'
import type { ColumnMappingMode } from '../schema/column-mapping.js'
import { physicalName } from '../schema/column-mapping.js'
import { resolveColumnNames } from '../schema/find-field.js'

/** What a scan needs from a snapshot (a `Snapshot` fits). */
export interface ScanSource {
  readonly schema: StructType
  readonly partitionColumns: readonly string[]
  readonly columnMappingMode: ColumnMappingMode
  files(): readonly AddFile[]
}

/** Options of `planScan` (and `scan`). */
export interface PlanScanOptions {
  /** Top-level columns to return, matched case-insensitively; default all, in schema order. */
  readonly columns?: readonly string[]
  /** A predicate (text, or bound with `bindPredicate`): only rows for which it is TRUE are returned. */
  readonly filter?: string | BoundPredicate
}

/** A planned scan: which files to read, which columns to fetch and return, and how much was skipped. */
export interface ScanPlan {
  readonly files: readonly AddFile[]
  readonly predicate: BoundPredicate | undefined
  /** Returned columns (schema spelling), in output order. */
  readonly outputColumns: readonly string[]
  /** Columns every row is built with before projection: output plus filter columns, schema order. */
  readonly rowFields: readonly StructField[]
  /** Fields of `rowFields` stored in data files (not partition columns). */
  readonly dataFields: readonly StructField[]
  readonly partitionColumns: readonly PartitionColumn[]
  readonly columnMappingMode: ColumnMappingMode
  readonly totalFiles: number
  readonly prunedByPartition: number
  readonly skippedByStats: number
}

function partitionColumnsOf(source: ScanSource): PartitionColumn[] {
  return source.partitionColumns.map((name) => {
    const field = source.schema.fields.find((f) => f.name === name)
    if (field === undefined) throw new InvalidArgumentError(`partition column '${name}' is not in the schema`)
    return { name, physicalName: physicalName(field, source.columnMappingMode), type: field.type }
  })
}

/**
 * Plans a scan: binds the filter (`InvalidPredicate` on errors), prunes files whose partition values
 * fail a partition-only filter, and skips files whose stats prove no row can match. Pure.
 * @throws PredicateError `InvalidPredicate`; InvalidArgumentError for an unknown column.
 */
export function planScan(source: ScanSource, options: PlanScanOptions = {}): ScanPlan {
  const { schema, columnMappingMode } = source
  const predicate =
    options.filter === undefined ? undefined : typeof options.filter === 'string' ? bindPredicate(options.filter, schema, { columnMappingMode }) : options.filter
  const outputColumns = options.columns === undefined ? schema.fields.map((f) => f.name) : resolveColumnNames(schema.fields, options.columns)
  const needed = new Set([...outputColumns, ...(predicate === undefined ? [] : referencedColumns(predicate).map((p) => p[0] ?? ''))])
  const rowFields = schema.fields.filter((f) => needed.has(f.name))
  const partitionColumns = partitionColumnsOf(source)
  const partitionNames = new Set(source.partitionColumns)
  const partitionOnly = predicate !== undefined && isPartitionOnly(predicate, source.partitionColumns)
  const files: AddFile[] = []
  let prunedByPartition = 0
  let skippedByStats = 0
  const all = source.files()
  for (const add of all) {
    // Before pruning or skipping: a corrupt add must fail every scan, not only those that read it.
    checkPartitionValues(add.partitionValues, partitionColumns, add.path)
    if (predicate !== undefined && partitionOnly) {
      if (!evaluateRow(predicate, parsePartitionValues(add.partitionValues, partitionColumns, add.path))) {
        prunedByPartition++
        continue
      }
    } else if (predicate !== undefined && canSkipFile(predicate, add.stats, add.partitionValues)) {
      skippedByStats++
      continue
    }
    files.push(add)
  }
  return {
    files,
    predicate,
    outputColumns,
    rowFields,
    dataFields: rowFields.filter((f) => !partitionNames.has(f.name)),
    partitionColumns,
    columnMappingMode,
    totalFiles: all.length,
    prunedByPartition,
    skippedByStats,
  }
}
