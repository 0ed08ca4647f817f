// The insert phase of a MERGE (docs/row-level-plan.md §5.4-5): source rows that matched no target row
// go through the WHEN NOT MATCHED clauses, first TRUE condition wins. An insert-only MERGE (Spark's
// InsertOnlyMergeExecutor) runs the target pass only to mark matched source rows: no target file
// changes, and the commit holds adds only.

import type { MergeChangeSink } from './change-sink.js'
import { firstClause } from './plan.js'
import type { MergePlan } from './plan.js'
import type { SourceHash } from './source-hash.js'

/** Inserts the rows of the source no target row matched, per the not-matched clauses. */
export async function insertUnmatched(plan: MergePlan, hash: SourceHash, matchedSource: Uint8Array, sink: MergeChangeSink): Promise<void> {
  if (plan.notMatched.length === 0) return
  for (const [i, row] of hash.rows.entries()) {
    if (matchedSource[i] === 1) continue
    const clause = firstClause(plan.notMatched, [undefined, row])
    if (clause?.produce !== undefined) await sink.insert(clause.produce([undefined, row]), i)
  }
}

/** What the transaction is told the MERGE will do, for the feature check (change data feed, deletion vectors). */
export function mergeIntent(insertOnly: boolean, deletionVectors: boolean): { removesData: boolean; rewritesRows: boolean; writesChangeData: boolean; writesDeletionVectors: boolean } {
  return { removesData: !insertOnly, rewritesRows: !insertOnly, writesChangeData: true, writesDeletionVectors: !insertOnly && deletionVectors }
}
