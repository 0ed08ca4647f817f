// File predicates: a SQL predicate bound to a table's schema, with the test that tells whether a data
// file (by its partition values and stats) may hold matching rows. replaceWhere, optimize's `where`
// and conflict detection decide per file with it, without reading the file.

import type { StructType } from '@lake/parquet'
import { parsePartitionValues } from '../partition/index.js'
import { physicalName } from '../schema/column-mapping.js'
import type { ColumnMappingMode } from '../schema/column-mapping.js'
import { bindPredicate } from './bind.js'
import type { BoundPredicate } from './ast.js'
import { evaluateRow } from './evaluate.js'
import { predicateToSql } from './print.js'
import { isPartitionOnly } from './referenced-columns.js'
import { canSkipFile } from './skipping.js'

/** May a file with these partition values (as in its add action) and stats JSON hold matching rows? */
export type FileMatcher = (partitionValues: Readonly<Record<string, string | null>>, stats: string | null | undefined) => boolean

/** A predicate bound to a table's schema, with its per-file test. */
export interface FilePredicate {
  /** The predicate as SQL text (for commitInfo). */
  readonly text: string
  readonly predicate: BoundPredicate
  /** Only partition columns are referenced: a file matches whole or not at all. */
  readonly partitionOnly: boolean
  /** Partition-only: exact, from the partition values; otherwise: false only when stats rule the file out. */
  readonly matchesFile: FileMatcher
}

/** Options of `compileFilePredicate`. */
export interface FilePredicateOptions {
  /** The operation's `engine.now()`: the value of `current_timestamp()` / `current_date()`; without it they are refused. */
  readonly nowMs?: number
  /** The table's column mapping mode: partition values and stats are keyed by physical names unless `none`. */
  readonly columnMappingMode?: ColumnMappingMode
}

/**
 * Parses and binds a predicate against the table schema and builds its per-file test.
 * @throws PredicateError `InvalidPredicate` naming the column or position.
 */
export function compileFilePredicate(text: string, schema: StructType, partitionColumns: readonly string[], options: FilePredicateOptions = {}): FilePredicate {
  const mode = options.columnMappingMode ?? 'none'
  const predicate = bindPredicate(text, schema, { columnMappingMode: mode, ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }) })
  const partitionOnly = isPartitionOnly(predicate, partitionColumns)
  const types = partitionColumns.flatMap((name) => {
    const field = schema.fields.find((f) => f.name === name)
    return field === undefined ? [] : [{ name, physicalName: physicalName(field, mode), type: field.type }]
  })
  const matchesFile: FileMatcher = partitionOnly
    ? (values) => evaluateRow(predicate, parsePartitionValues(values, types))
    : (values, stats) => !canSkipFile(predicate, stats, values)
  return { text: predicateToSql(predicate), predicate, partitionOnly, matchesFile }
}
