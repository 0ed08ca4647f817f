// File predicates: a SQL predicate bound to a table's schema, with the test that tells whether a data
// file (by its partition values and stats) may hold matching rows. replaceWhere, optimize's `where`
// and conflict detection decide per file with it, without reading the file.

import type { StructType } from '@lake/parquet'
import { parsePartitionValues } from '../partition/index.js'
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

/**
 * Parses and binds a predicate against the table schema and builds its per-file test. `nowMs` (the
 * operation's `engine.now()`) is the value of `current_timestamp()` / `current_date()`; without it they are refused.
 * @throws PredicateError `InvalidPredicate` naming the column or position.
 */
export function compileFilePredicate(text: string, schema: StructType, partitionColumns: readonly string[], nowMs?: number): FilePredicate {
  const predicate = bindPredicate(text, schema, nowMs === undefined ? {} : { nowMs })
  const partitionOnly = isPartitionOnly(predicate, partitionColumns)
  const types = partitionColumns.flatMap((name) => {
    const field = schema.fields.find((f) => f.name === name)
    return field === undefined ? [] : [{ name, physicalName: name, type: field.type }]
  })
  const matchesFile: FileMatcher = partitionOnly
    ? (values) => evaluateRow(predicate, parsePartitionValues(values, types))
    : (values, stats) => !canSkipFile(predicate, stats, values)
  return { text: predicateToSql(predicate), predicate, partitionOnly, matchesFile }
}
