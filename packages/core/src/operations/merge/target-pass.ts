// MERGE's pass over the target (docs/row-level-plan.md §5.3): candidate files streamed one by one with
// row indexes, decoding only the columns the pass needs (target-reads.ts); each target row probes the
// source hash, the first clause whose condition is TRUE acts (update: the post-image to the sink and
// the row's index out of the file; delete: the index out), matched source rows are marked for the
// insert phase. A post-image that needs columns the first read did not decode is built in a second
// read of that file. Per file: untouched, whole remove, DV bits, or (copy-on-write) its untouched
// rows copied through the sink.

import type { Row } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import { MergeError } from '../../errors.js'
import type { DecidedFile } from '../../rewrite/apply-outcomes.js'
import { fileOutcome } from '../../rewrite/file-outcome.js'
import { readScanFileIndexed } from '../../scan/read-scan-file.js'
import type { FileReader } from '../../scan/read-scan-file.js'
import type { ChangeCause, MergeChangeSink } from './change-sink.js'
import { firstClause } from './plan.js'
import type { CompiledClause, MergePlan } from './plan.js'
import { describeKey } from './source-hash.js'
import type { SourceHash } from './source-hash.js'

/** What the pass shares across files. */
export interface TargetPass {
  readonly engine: Engine
  readonly plan: MergePlan
  readonly hash: SourceHash
  /** Reads the columns every row needs (the probe); `imageReader` those of deferred post-images. */
  readonly reader: FileReader
  readonly imageReader: FileReader
  /** Indexes of the update clauses whose post-images wait for the second read. */
  readonly deferred: ReadonlySet<number>
  readonly sink: MergeChangeSink
  /** 1 at the index of every source row that matched a target row. */
  readonly matchedSource: Uint8Array
  /** Insert-only MERGE: only mark matched source rows, change nothing. */
  readonly probeOnly: boolean
  readonly signal: AbortSignal | undefined
}

function multipleMatches(pass: TargetPass, row: Row, count: number): MergeError {
  const key = describeKey(row, pass.plan.join)
  const message =
    `MERGE cannot update or delete target row (${key}): expected at most one matching source row, found ${count}; ` +
    `deduplicate the source on the ON condition (${pass.plan.join.sql})`
  return new MergeError('MultipleSourceRowsMatched', message, { context: { key, matches: count, on: pass.plan.join.sql } })
}

/** The source rows matching target `row`: same key, matchable, and every other ON conjunct TRUE. */
function matchesOf(pass: TargetPass, row: Row): readonly number[] {
  const { join } = pass.plan
  if (!join.targetOnly.every((c) => c.evaluate([row, undefined]) === true)) return []
  const candidates = join.keys.length === 0 ? pass.hash.matchable : pass.hash.probe(row)
  if (join.residual.length === 0) return candidates
  return candidates.filter((i) => join.residual.every((c) => c.evaluate([row, pass.hash.rows[i]]) === true))
}

/** An update whose post-image waits for the second read of its file. */
interface DeferredUpdate {
  readonly rowIndex: number
  readonly clause: CompiledClause
  readonly source: Row | undefined
  readonly sourceRow: number | undefined
  readonly cause: ChangeCause
}

/**
 * Applies the matched or not-matched-by-source clauses to one target row; true when the row leaves
 * its file. An update of a deferred clause goes to `deferred` instead of the sink.
 */
async function actOn(pass: TargetPass, row: Row, matches: readonly number[], rowIndex: number, deferred: DeferredUpdate[]): Promise<boolean> {
  const { plan, sink } = pass
  for (const i of matches) pass.matchedSource[i] = 1
  if (pass.probeOnly) return false
  if (matches.length > 1 && !plan.multipleMatchesAllowed) throw multipleMatches(pass, row, matches.length)
  const sourceRow = matches[0]
  const source = sourceRow === undefined ? undefined : pass.hash.rows[sourceRow]
  const clauses: readonly CompiledClause[] = matches.length === 0 ? plan.notMatchedBySource : plan.matched
  const clause = firstClause(clauses, [row, source])
  if (clause === undefined) return false
  const cause = matches.length === 0 ? 'notMatchedBySource' : 'matched'
  if (clause.action === 'delete') await sink.delete(row, cause)
  else if (pass.deferred.has(clause.index)) deferred.push({ rowIndex, clause, source, sourceRow, cause })
  else if (clause.produce !== undefined) await sink.update(row, clause.produce([row, source]), cause, sourceRow)
  return true
}

/**
 * The second read of a file: the deferred post-images (sorted by row index, as the first read found
 * them), each from its row read with every column its clause needs. Data files never change, so the
 * read meets every deferred row index.
 */
async function updateDeferred(pass: TargetPass, file: AddFile, deferred: readonly DeferredUpdate[]): Promise<void> {
  let next = 0
  for await (const batch of readScanFileIndexed(pass.engine, pass.imageReader, file, pass.signal === undefined ? {} : { signal: pass.signal })) {
    for (const [i, row] of batch.rows.entries()) {
      const update = deferred[next]
      if (update === undefined || batch.rowIndexes[i] !== update.rowIndex) continue
      next++
      if (update.clause.produce !== undefined) await pass.sink.update(row, update.clause.produce([row, update.source]), update.cause, update.sourceRow)
    }
    if (next === deferred.length) return
  }
}

/**
 * Reads one candidate file and decides its outcome; copy-on-write copies of untouched rows go to the
 * sink (the returned outcome is then `removeWhole`: the copies are already written).
 * @throws MergeError `MultipleSourceRowsMatched`; errors of the read and of the sink.
 */
export async function passFile(pass: TargetPass, file: AddFile): Promise<DecidedFile> {
  const affected: number[] = []
  const kept: Row[] = []
  const deferred: DeferredUpdate[] = []
  let liveRows = 0
  const copyOnWrite = pass.plan.mode === 'copyOnWrite' && !pass.probeOnly
  for await (const batch of readScanFileIndexed(pass.engine, pass.reader, file, pass.signal === undefined ? {} : { signal: pass.signal })) {
    liveRows += batch.rows.length
    for (const [i, row] of batch.rows.entries()) {
      const rowIndex = batch.rowIndexes[i] as number
      if (await actOn(pass, row, matchesOf(pass, row), rowIndex, deferred)) affected.push(rowIndex)
      else if (copyOnWrite) kept.push(row)
    }
  }
  if (deferred.length > 0) await updateDeferred(pass, file, deferred)
  const physicalRows = liveRows + (file.deletionVector?.cardinality ?? 0)
  const outcome = fileOutcome({ liveRows, affected, keptRows: kept }, pass.plan.mode)
  if (outcome.kind !== 'rewrite') return { file, outcome, physicalRows }
  await pass.sink.copy(outcome.keptRows)
  return { file, outcome: { kind: 'removeWhole' }, physicalRows }
}
