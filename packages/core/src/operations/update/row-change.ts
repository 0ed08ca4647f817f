// UPDATE's change of one live row: rows the WHERE is TRUE on get their SET values (every value
// computed from the row as it was, SQL) and recomputed generated columns (a SET one must equal its
// expression), then the new row is checked (types and NOT NULL as any write, invariants and CHECK
// constraints) before anything is written. The pre-image and the
// post-image of each updated row meet at one point, the sink (the change data feed's hook).

import type { Row, StructType } from '@lake/parquet'
import { setField } from '../../parquet-values.js'
import type { RowChange } from '../../rewrite/read-affected.js'
import { createRowCoercer } from '../../rows/coerce-rows.js'
import { enforceConstraints } from '../../rows/row-constraints.js'
import type { UpdatePlan } from './plan.js'

/** Receives each updated row as it was (`preImage`) and as it will be written (`postImage`). */
export type UpdateImageSink = (preImage: Row, postImage: Row) => void

/**
 * The `RowChange` of `plan` over a table with `schema`.
 * @throws (from the returned function) SchemaError `SchemaMismatch` for a null in a NOT NULL column,
 *   ConstraintViolationError for a violated invariant or CHECK constraint, WriteError
 *   `ConstraintViolation` for a SET generated column that differs from its expression; `row` counts updated rows.
 */
export function updateChange(plan: Pick<UpdatePlan, 'assignments' | 'condition' | 'constraints' | 'generated'>, schema: StructType, partitionColumns: readonly string[], sink?: UpdateImageSink): RowChange {
  const coerce = createRowCoercer(schema, { partitionColumns })
  const { assignments, condition, constraints, generated } = plan
  const setColumns = new Set(assignments.map((a) => a.column))
  const isSet = (column: string): boolean => setColumns.has(column)
  let updated = 0
  return (row) => {
    if (condition !== undefined && condition.evaluate([row]) !== true) return undefined
    const next: Row = Object.assign(Object.create(null) as Row, row)
    for (const { column, value } of assignments) setField(next, column, value.evaluate([row]))
    const postImage = coerce(generated === undefined ? next : generated(next, isSet, updated), updated)
    enforceConstraints([postImage], constraints, updated)
    updated += 1
    sink?.(row, postImage)
    return postImage
  }
}
