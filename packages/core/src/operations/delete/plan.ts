// DELETE's plan (docs/row-level-plan.md §3), pure over a snapshot: the predicate bound before any
// I/O, the files removed whole without reading (no predicate, or a partition-only one), the files
// to read row by row, and whether rows leave by deletion vectors or copy-on-write.

import type { AddFile } from '../../actions/types.js'
import { compileFilePredicate } from '../../expr/file-predicate.js'
import type { FilePredicate } from '../../expr/file-predicate.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { candidateFiles } from '../../rewrite/candidates.js'
import type { RewriteMode } from '../../rewrite/file-outcome.js'

/** What a DELETE will do before it reads any data. */
export interface DeletePlan {
  /** Undefined: delete every row. */
  readonly predicate: FilePredicate | undefined
  /** `deletionVectors` when the table has `delta.enableDeletionVectors=true`. */
  readonly mode: RewriteMode
  /** Files removed whole, decided from the log alone. */
  readonly whole: readonly AddFile[]
  /** Files that may hold matching rows: read with row indexes. */
  readonly read: readonly AddFile[]
}

/**
 * Plans a DELETE of the rows matching `predicate` (today's predicate language; absent: all rows).
 * @throws PredicateError `InvalidPredicate` naming the column or position.
 */
export function planDelete(snapshot: Pick<Snapshot, 'schema' | 'partitionColumns' | 'config' | 'files'> & Partial<Pick<Snapshot, 'columnMappingMode'>>, predicate?: string): DeletePlan {
  const compiled = predicate === undefined ? undefined : compileFilePredicate(predicate, snapshot.schema, snapshot.partitionColumns, { columnMappingMode: snapshot.columnMappingMode })
  const { whole, read } = candidateFiles(snapshot.files(), compiled)
  const mode: RewriteMode = snapshot.config.enableDeletionVectors ? 'deletionVectors' : 'copyOnWrite'
  return { predicate: compiled, mode, whole, read }
}
