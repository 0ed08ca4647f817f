// The columnar MERGE's pass over the target (docs/row-level-plan.md §5.7): each candidate file is read
// with its key column(s) only, each target row's key probes the source's column hash, and the matched
// rows go straight into the file's deletion-vector row indexes; for an update, the matched source
// row's index is recorded (the post-image is that source row). No clause is evaluated: the executor
// runs only for unconditional plain upserts. A target row matched by more than one source row (outside
// an only-delete MERGE) stops the pass: the row route then reports Spark's error naming the key.

import type { Value } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import type { DecidedFile } from '../../rewrite/apply-outcomes.js'
import { fileOutcome } from '../../rewrite/file-outcome.js'
import { readScanFileIndexed } from '../../scan/read-scan-file.js'
import type { FileReader } from '../../scan/read-scan-file.js'
import type { ColumnHash } from './columnar-hash.js'
import { probeKeyColumns } from './columnar-keys.js'
import type { KeyColumns, KeyRead } from './columnar-keys.js'
import type { MergePlan } from './plan.js'

/** What the pass shares across files, and what it found so far. */
export interface ColumnarPass {
  readonly engine: Engine
  readonly plan: MergePlan
  readonly hash: ColumnHash
  readonly reader: FileReader
  /** The key columns read as columns; undefined: rows are read and the keys evaluated on them. */
  readonly keyColumns: KeyColumns | undefined
  readonly signal: AbortSignal | undefined
  /** 1 at the index of every source row that matched a target row. */
  readonly matchedSource: Uint8Array
  /** Per updated target row (file order), the source row of its post-image. */
  readonly updates: number[]
  deleted: number
}

/** A target row matched by several source rows where that is an error: the row route reports it. */
export const MULTIPLE_MATCHES = Symbol('multiple matches')

/**
 * Probes one candidate file's keys and decides its outcome (DV row indexes, a whole remove, or untouched).
 * @param keyRead the file's key columns being read (`readKeyColumns`) when the pass reads columns
 *   (`pass.keyColumns`); without it the file's rows are read here.
 * @returns MULTIPLE_MATCHES when a target row matches several source rows and that is an error.
 */
export async function passColumnarFile(pass: ColumnarPass, file: AddFile, keyRead?: Promise<KeyRead>): Promise<DecidedFile | typeof MULTIPLE_MATCHES> {
  const { plan } = pass
  const keys = plan.join.keys
  const clause = plan.insertOnly ? undefined : plan.matched[0]
  const affected: number[] = []
  /** Records one target row's matches; false when it matched several source rows where that is an error. */
  const record = (matches: number | readonly number[], rowIndex: number): boolean => {
    if (typeof matches === 'number') pass.matchedSource[matches] = 1
    else for (const i of matches) pass.matchedSource[i] = 1
    if (clause === undefined) return true
    if (typeof matches !== 'number' && !plan.multipleMatchesAllowed) return false
    affected.push(rowIndex)
    if (clause.action === 'delete') pass.deleted++
    else pass.updates.push(typeof matches === 'number' ? matches : (matches[0] as number))
    return true
  }
  let liveRows = 0
  if (pass.keyColumns !== undefined && keyRead !== undefined) {
    const read = probeKeyColumns(await keyRead, pass.keyColumns, pass.hash, record)
    if (read === undefined) return MULTIPLE_MATCHES
    liveRows = read
  } else {
    // Stryker disable next-line ArrayDeclaration: a buffer the loop below fills whole for every row
    const values: Value[] = new Array<Value>(keys.length)
    for await (const batch of readScanFileIndexed(pass.engine, pass.reader, file, { signal: pass.signal })) {
      liveRows += batch.rows.length
      // Stryker disable next-line EqualityOperator: a row past the end is undefined, whose key columns are NULL: it matches nothing
      for (let r = 0; r < batch.rows.length; r++) {
        const row = batch.rows[r] as (typeof batch.rows)[number]
        for (let k = 0; k < keys.length; k++) values[k] = (keys[k] as (typeof keys)[number]).target.evaluate([row, undefined])
        const matches = pass.hash.lookup(values)
        if (matches !== undefined && !record(matches, batch.rowIndexes[r] as number)) return MULTIPLE_MATCHES
      }
    }
  }
  const physicalRows = liveRows + (file.deletionVector?.cardinality ?? 0)
  // The matched rows as deletion-vector row indexes in either mode: copy-on-write rewrites them afterwards (columnar-copy-on-write.ts).
  return { file, outcome: fileOutcome({ liveRows, affected, keptRows: [] }, 'deletionVectors'), physicalRows }
}
