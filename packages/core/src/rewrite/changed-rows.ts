// The rows a row-level change touches in a copy-on-write rewrite without row objects for the others
// (docs/row-level-plan.md §3, §4): only the affected rows (those the predicate's columns matched) become
// row objects, in the scan's shape (schema order, partition values included), and go through the
// operation's `RowChange` in file order (UPDATE: constraints, generated columns, change data images;
// DELETE with the change data feed: the `delete` rows). The rewritten file is then taken by position
// from the file's columns and the replacement rows' columns, so every row keeps its place. Loaded with
// `import()` only (Arrow code).

import type { ArrowColumn, ArrowRecordBatch, Row, Value } from '@lake/parquet'
import { arrowBatchToRows, batchOfColumns, rowsToArrow, takeColumn } from '../arrow-values.js'
import { setField } from '../parquet-values.js'
import type { Matched } from './columnar-match.js'
import { keptBatch } from './kept-columns.js'
import type { KeptLayout } from './kept-columns.js'
import type { RowChange } from './read-affected.js'

/** A file's rewrite: the batch it holds (undefined: no row stays), the rows changed and the rows kept as they were. */
export interface ChangedFile {
  readonly batch: ArrowRecordBatch | undefined
  /** Rows `change` deleted or replaced. */
  readonly affected: number
  /** Live rows written as they were. */
  readonly unchanged: number
}

const LEAVES = 0
const STAYS = 1
const REPLACED = 2

/** The affected rows as the row route reads them: schema order, partition values in place. */
function affectedRows(layout: KeptLayout, chunks: readonly ArrowColumn[][], affected: readonly number[], partitions: Row): Row[] {
  const data = arrowBatchToRows(keptBatch(layout, chunks, Int32Array.from(affected)))
  return data.map((values) => {
    const row: Record<string, Value> = {}
    for (const f of layout.rowFields) setField(row, f.name, (Object.hasOwn(partitions, f.name) ? partitions[f.name] : values[f.name]) ?? null)
    return row
  })
}

/**
 * Applies `change` to the affected rows of a file read as `chunks` (`physicalRows` rows) and takes the
 * rows of its rewrite, in file order.
 * @throws whatever `change` throws (a constraint violation, an expression error).
 */
export function changedFile(layout: KeptLayout, chunks: readonly ArrowColumn[][], physicalRows: number, matched: Matched, partitions: Row, change: RowChange): ChangedFile {
  const { affected, deleted } = matched
  const marks = new Uint8Array(affected.length)
  const replaced: Row[] = []
  affectedRows(layout, chunks, affected, partitions).forEach((row, j) => {
    const next = change(row)
    marks[j] = next === undefined ? STAYS : next === null ? LEAVES : REPLACED
    if (next != null) replaced.push(next)
  })
  const leaves = marks.reduce((n, m) => n + (m === LEAVES ? 1 : 0), 0)
  const positions = new Int32Array(physicalRows - (deleted?.length ?? 0) - leaves)
  let [d, a, r, next] = [0, 0, 0, 0]
  // Stryker disable next-line EqualityOperator: one more step writes past the end of the full array, which a typed array ignores
  for (let i = 0; i < physicalRows; i++) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: past its end `deleted[d]` is undefined, never `i`
    if (deleted !== undefined && d < deleted.length && deleted[d] === i) {
      d++
      continue
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: past its end `affected[a]` is undefined, never `i`
    const mark = a < affected.length && affected[a] === i ? marks[a++] : STAYS
    if (mark === STAYS) positions[next++] = i
    else if (mark === REPLACED) positions[next++] = physicalRows + r++
  }
  const changed = marks.reduce((n, m) => n + (m === STAYS ? 0 : 1), 0)
  const unchanged = positions.length - replaced.length
  if (positions.length === 0) return { batch: undefined, affected: changed, unchanged }
  // Stryker disable next-line ConditionalExpression: the columns of no rows are an empty chunk, which no position names
  const extra = replaced.length === 0 ? undefined : rowsToArrow(replaced, layout.dataSchema).data.children
  const columns = chunks.map((column, k) => takeColumn(extra === undefined ? column : [...column, extra[k] as ArrowColumn], positions))
  return { batch: batchOfColumns(layout.dataSchema, columns, positions.length), affected: changed, unchanged }
}
