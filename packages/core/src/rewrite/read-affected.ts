// Reads one candidate file of a row-level operation with physical row indexes and evaluates the
// predicate per row (SQL: only TRUE affects a row, NULL keeps it). Keeps the unaffected rows only
// for copy-on-write; with deletion vectors only indexes are held.

import type { Row } from '@lake/parquet'
import type { AddFile } from '../actions/types.js'
import type { Engine } from '../engine.js'
import type { BoundPredicate } from '../expr/ast.js'
import { evaluateRow } from '../expr/evaluate.js'
import { readScanFileIndexed } from '../scan/read-scan-file.js'
import type { FileReader } from '../scan/read-scan-file.js'
import type { FileReadResult, RewriteMode } from './file-outcome.js'

/** What `readAffected` found: the per-file result and the file's physical row count. */
export interface AffectedRead extends FileReadResult {
  /** Rows in the Parquet file, those hidden by its existing deletion vector included. */
  readonly physicalRows: number
  /** The affected rows themselves, kept only with `keepAffected` (for the change data feed). */
  readonly affectedRows: readonly Row[]
}

/** Options of `readAffected`. */
export interface ReadAffectedOptions {
  /** Keep the affected rows (default false: only their indexes). */
  readonly keepAffected?: boolean
}

/**
 * Reads every live row of `add` (through `reader`, compiled from a plan without filter) and collects
 * the physical indexes of the rows `predicate` is TRUE on.
 * @throws as `readScanFile`.
 */
export async function readAffected(
  engine: Engine,
  reader: FileReader,
  add: AddFile,
  predicate: BoundPredicate,
  mode: RewriteMode,
  signal?: AbortSignal,
  options: ReadAffectedOptions = {},
): Promise<AffectedRead> {
  const affected: number[] = []
  const affectedRows: Row[] = []
  const keptRows: Row[] = []
  let liveRows = 0
  for await (const batch of readScanFileIndexed(engine, reader, add, signal === undefined ? {} : { signal })) {
    liveRows += batch.rows.length
    batch.rows.forEach((row, i) => {
      if (evaluateRow(predicate, row)) {
        affected.push(batch.rowIndexes[i] as number)
        if (options.keepAffected === true) affectedRows.push(row)
      } else if (mode === 'copyOnWrite') keptRows.push(row)
    })
  }
  const physicalRows = liveRows + (add.deletionVector?.cardinality ?? 0)
  return { liveRows, affected, keptRows, physicalRows, affectedRows }
}
