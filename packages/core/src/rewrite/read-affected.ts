// Reads one candidate file of a row-level operation with physical row indexes and decides each live
// row (DELETE: the predicate is TRUE → the row goes; UPDATE: the row is replaced by its new values).
// Copy-on-write keeps the rows the rewritten file will hold (copied and replacement rows, in file
// order); with deletion vectors only indexes and the replacement rows are held.

import type { Row } from '@lake/parquet'
import type { AddFile } from '../actions/types.js'
import type { Engine } from '../engine.js'
import type { BoundPredicate } from '../expr/ast.js'
import { evaluateRow } from '../expr/evaluate.js'
import { readScanFileIndexed } from '../scan/read-scan-file.js'
import type { FileReader } from '../scan/read-scan-file.js'
import type { FileReadResult, RewriteMode } from './file-outcome.js'

/**
 * What happens to one live row: `undefined` keeps it as it is, `null` deletes it, a row replaces it
 * (the old row leaves the file, the new one is written).
 */
export type RowChange = (row: Row) => Row | null | undefined

/** What `readAffected` found: the per-file result and the file's physical row count. */
export interface AffectedRead extends FileReadResult {
  /** Rows in the Parquet file, those hidden by its existing deletion vector included. */
  readonly physicalRows: number
  /** Replacement rows to write as new files (deletion-vector mode; copy-on-write keeps them in `keptRows`). */
  readonly newRows: readonly Row[]
  /** Live rows kept unchanged. */
  readonly unchangedRows: number
}

/** The `RowChange` of a DELETE: rows `predicate` is TRUE on are deleted (NULL keeps the row, SQL). */
export function deleteWhere(predicate: BoundPredicate): RowChange {
  return (row) => (evaluateRow(predicate, row) ? null : undefined)
}

/**
 * Reads every live row of `add` (through `reader`, compiled from a plan without filter), applies
 * `change` to each and collects the physical indexes of the rows that leave the file.
 * @throws as `readScanFile`, and whatever `change` throws (e.g. a constraint violation).
 */
export async function readAffected(
  engine: Engine,
  reader: FileReader,
  add: AddFile,
  change: RowChange,
  mode: RewriteMode,
  signal?: AbortSignal,
): Promise<AffectedRead> {
  const affected: number[] = []
  const keptRows: Row[] = []
  const newRows: Row[] = []
  let liveRows = 0
  for await (const batch of readScanFileIndexed(engine, reader, add, signal === undefined ? {} : { signal })) {
    liveRows += batch.rows.length
    batch.rows.forEach((row, i) => {
      const next = change(row)
      if (next !== undefined) affected.push(batch.rowIndexes[i] as number)
      const kept = next === undefined ? row : next
      if (kept === null) return
      if (mode === 'copyOnWrite') keptRows.push(kept)
      else if (next !== undefined) newRows.push(kept)
    })
  }
  const physicalRows = liveRows + (add.deletionVector?.cardinality ?? 0)
  return { liveRows, affected, keptRows, physicalRows, newRows, unchangedRows: liveRows - affected.length }
}
