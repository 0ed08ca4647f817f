// MERGE's pass over the target (docs/row-level-plan.md §5.3): candidate files streamed one by one with
// row indexes; each target row probes the source hash, the first clause whose condition is TRUE acts
// (update: the post-image to the sink and the row's index out of the file; delete: the index out),
// matched source rows are marked for the insert phase. Per file: untouched, whole remove, DV bits, or
// (copy-on-write) its untouched rows copied through the sink.

import type { Row } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import { MergeError } from '../../errors.js'
import type { DecidedFile } from '../../rewrite/apply-outcomes.js'
import { fileOutcome } from '../../rewrite/file-outcome.js'
import { readScanFileIndexed } from '../../scan/read-scan-file.js'
import type { FileReader } from '../../scan/read-scan-file.js'
import type { MergeChangeSink } from './change-sink.js'
import { firstClause } from './plan.js'
import type { CompiledClause, MergePlan } from './plan.js'
import { describeKey, targetKey } from './source-hash.js'
import type { SourceHash } from './source-hash.js'

/** What the pass shares across files. */
export interface TargetPass {
  readonly engine: Engine
  readonly plan: MergePlan
  readonly hash: SourceHash
  readonly reader: FileReader
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
  let candidates: readonly number[]
  if (join.keys.length === 0) candidates = pass.hash.matchable
  else {
    const key = targetKey(row, join)
    candidates = key === undefined ? [] : (pass.hash.buckets.get(key) ?? [])
  }
  if (join.residual.length === 0) return candidates
  return candidates.filter((i) => join.residual.every((c) => c.evaluate([row, pass.hash.rows[i]]) === true))
}

/** Applies the matched or not-matched-by-source clauses to one target row; true when the row leaves its file. */
async function actOn(pass: TargetPass, row: Row, matches: readonly number[]): Promise<boolean> {
  const { plan, sink } = pass
  for (const i of matches) pass.matchedSource[i] = 1
  if (pass.probeOnly) return false
  if (matches.length > 1 && !plan.multipleMatchesAllowed) throw multipleMatches(pass, row, matches.length)
  const source = matches.length === 0 ? undefined : pass.hash.rows[matches[0] as number]
  const clauses: readonly CompiledClause[] = matches.length === 0 ? plan.notMatchedBySource : plan.matched
  const clause = firstClause(clauses, [row, source])
  if (clause === undefined) return false
  const cause = matches.length === 0 ? 'notMatchedBySource' : 'matched'
  if (clause.action === 'delete') await sink.delete(row, cause)
  else if (clause.produce !== undefined) await sink.update(row, clause.produce([row, source]), cause)
  return true
}

/**
 * Reads one candidate file and decides its outcome; copy-on-write copies of untouched rows go to the
 * sink (the returned outcome is then `removeWhole`: the copies are already written).
 * @throws MergeError `MultipleSourceRowsMatched`; errors of the read and of the sink.
 */
export async function passFile(pass: TargetPass, file: AddFile): Promise<DecidedFile> {
  const affected: number[] = []
  const kept: Row[] = []
  let liveRows = 0
  const copyOnWrite = pass.plan.mode === 'copyOnWrite' && !pass.probeOnly
  for await (const batch of readScanFileIndexed(pass.engine, pass.reader, file, pass.signal === undefined ? {} : { signal: pass.signal })) {
    liveRows += batch.rows.length
    for (const [i, row] of batch.rows.entries()) {
      if (await actOn(pass, row, matchesOf(pass, row))) affected.push(batch.rowIndexes[i] as number)
      else if (copyOnWrite) kept.push(row)
    }
  }
  const physicalRows = liveRows + (file.deletionVector?.cardinality ?? 0)
  const outcome = fileOutcome({ liveRows, affected, keptRows: kept }, pass.plan.mode)
  if (outcome.kind !== 'rewrite') return { file, outcome, physicalRows }
  await pass.sink.copy(outcome.keptRows)
  return { file, outcome: { kind: 'removeWhole' }, physicalRows }
}
