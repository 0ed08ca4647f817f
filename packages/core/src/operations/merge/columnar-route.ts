// When a MERGE writes its new rows with the columnar writer (docs/row-level-plan.md §5, "columnar
// upsert route"): the plain upsert the CLI produces (`WHEN MATCHED THEN UPDATE SET *`, `WHEN MATCHED
// THEN DELETE`, `WHEN NOT MATCHED THEN INSERT *`, none with a condition), deletion vectors on (or
// insert-only), no change data feed, no schema evolution, no column mapping. Everything else writes rows
// as before. Rows are typed and checked by the change sink on both routes: only the encoding differs.

import type { Snapshot } from '../../snapshot/snapshot.js'
import type { MergeClause } from './plan-clauses.js'
import type { MergePlan, MergeSpec } from './plan.js'

const UPSERT_KINDS: ReadonlySet<MergeClause['kind']> = new Set(['matchedUpdateAll', 'matchedDelete', 'notMatchedInsertAll'])

/** Which writer a MERGE's new rows go through. */
export type MergeWriteRoute = 'columnar' | 'rows'

/** The route of a MERGE planned as `plan` over `snapshot` (the writer may still refuse the schema: then rows). */
export function mergeWriteRoute(spec: MergeSpec, plan: MergePlan, snapshot: Pick<Snapshot, 'columnMappingMode' | 'config'>): MergeWriteRoute {
  const plainUpsert = spec.clauses.length > 0 && spec.clauses.every((c) => UPSERT_KINDS.has(c.kind) && c.condition === undefined)
  const rewritesNothing = plan.mode === 'deletionVectors' || plan.insertOnly
  const sameTable = plan.metadata === undefined && plan.protocol === undefined && snapshot.columnMappingMode === 'none'
  return plainUpsert && rewritesNothing && sameTable && !snapshot.config.enableChangeDataFeed ? 'columnar' : 'rows'
}
