// When a MERGE writes its new rows with the columnar writer (docs/row-level-plan.md §5, "columnar
// upsert route"): the plain upsert the CLI produces (`WHEN MATCHED THEN UPDATE SET *`, `WHEN MATCHED
// THEN DELETE`, `WHEN NOT MATCHED THEN INSERT *`, none with a condition), with deletion vectors or
// copy-on-write, no change data feed, no schema evolution, no column mapping. Everything else writes rows
// as before. Rows are typed and checked by the change sink on both routes: only the encoding differs.
// Of those, the MERGEs `columnarKeys` accepts run on the columnar executor (no row objects at all).

import type { DataType, StructType } from '@lake/parquet'
import { generationExpression } from '../../rows/generated-columns.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import type { MergeClause } from './plan-clauses.js'
import type { MergePlan, MergeSpec } from './plan.js'

const UPSERT_KINDS: ReadonlySet<MergeClause['kind']> = new Set(['matchedUpdateAll', 'matchedDelete', 'notMatchedInsertAll'])

/** Which writer a MERGE's new rows go through. */
export type MergeWriteRoute = 'columnar' | 'rows'

/** The route of a MERGE planned as `plan` over `snapshot` (the writer may still refuse the schema: then rows). */
export function mergeWriteRoute(spec: MergeSpec, plan: MergePlan, snapshot: Pick<Snapshot, 'columnMappingMode' | 'config'>): MergeWriteRoute {
  const plainUpsert = isPlainUpsert(spec)
  const sameTable = plan.metadata === undefined && plan.protocol === undefined && snapshot.columnMappingMode === 'none'
  return plainUpsert && sameTable && !snapshot.config.enableChangeDataFeed ? 'columnar' : 'rows'
}

/** Unconditional `whenMatchedUpdateAll` / `whenMatchedDelete` / `whenNotMatchedInsertAll` clauses only: the MERGEs either columnar part can run. */
export function isPlainUpsert(spec: Pick<MergeSpec, 'clauses'>): boolean {
  return spec.clauses.length > 0 && spec.clauses.every((c) => UPSERT_KINDS.has(c.kind) && c.condition === undefined)
}

const INTEGRAL: ReadonlySet<string> = new Set(['byte', 'short', 'integer', 'long'])
/** The primitive types `BatchBuilder` (@lake/parquet) builds columns of. */
const FLAT: ReadonlySet<string> = new Set([...INTEGRAL, 'float', 'double', 'boolean', 'string', 'date', 'timestamp', 'timestamp_ntz'])

/** `integral` or `string` for key columns of those types, else undefined. */
function keyClass(type: DataType | undefined): 'integral' | 'string' | undefined {
  if (type?.kind !== 'primitive') return undefined
  return INTEGRAL.has(type.name) ? 'integral' : type.name === 'string' ? 'string' : undefined
}

function indexIn(schema: StructType, name: string): number {
  const exact = schema.fields.findIndex((f) => f.name === name)
  const lower = name.toLowerCase()
  return exact >= 0 ? exact : schema.fields.findIndex((f) => f.name.toLowerCase() === lower)
}

/**
 * For a MERGE on the columnar route that the columnar executor runs whole (columnar-execute.ts), the
 * table columns holding the source side of each equality key; undefined otherwise. It needs: ON only
 * equalities of plain columns of integral or string types (both sides the same kind), a table with
 * flat columns the column builders cover, no constraints or invariants, no generated columns,
 * unpartitioned, and a codec with `encodeBatch`.
 */
export function columnarKeys(plan: MergePlan, target: ColumnarTarget): readonly number[] | undefined {
  const { join, schema } = plan
  if (join.keys.length === 0 || join.targetOnly.length + join.sourceOnly.length + join.residual.length > 0) return undefined
  if (target.partitionColumns.length > 0 || !target.encodesBatches || target.constraints > 0) return undefined
  if (schema.fields.some((f) => generationExpression(f) !== undefined || !FLAT.has(f.type.kind === 'primitive' ? f.type.name : ''))) return undefined
  const source = plan.scope[1].schema
  const slots: number[] = []
  for (const key of join.keys) {
    if (key.targetColumn === undefined || key.sourceColumn === undefined) return undefined
    const kind = keyClass(schema.fields[indexIn(schema, key.targetColumn)]?.type)
    const slot = indexIn(schema, key.sourceColumn)
    if (kind === undefined || slot < 0 || kind !== keyClass(source.fields[indexIn(source, key.sourceColumn)]?.type) || kind !== keyClass(schema.fields[slot]?.type)) return undefined
    slots.push(slot)
  }
  return slots
}

/** What `columnarKeys` needs of the table beyond the plan. */
export interface ColumnarTarget {
  readonly partitionColumns: readonly string[]
  /** The engine's codec has `encodeBatch`. */
  readonly encodesBatches: boolean
  /** How many constraints and invariants the table has. */
  readonly constraints: number
}
