// The scope an expression binds in (aliased relations) and the per-operation evaluation context.

import type { Row, StructType } from '@lake/parquet'

/** One relation an expression can see: `alias` (null: columns only unqualified) and its schema. */
export interface ScopeRelation {
  readonly alias: string | null
  readonly schema: StructType
  /** The table's `delta.columnMapping.mode`: with `name` or `id`, bound columns carry physical names. */
  readonly columnMappingMode?: 'none' | 'name' | 'id'
}

/** What names resolve against; unqualified names resolve when exactly one relation has the column. */
export interface ExpressionScope {
  readonly relations: readonly ScopeRelation[]
}

/** Per-operation constants: `current_timestamp()` / `current_date()` are this one instant (ms since epoch, from engine.now()). */
export interface EvalContext {
  readonly nowMs: number
}

/** Rows of the scope's relations, in scope order (undefined = no row: its columns are NULL). */
export type ScopeRows = readonly (Row | undefined)[]
