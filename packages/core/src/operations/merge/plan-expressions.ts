// MERGE's view of the expression language (docs/expressions.md): conditions and assignments over two
// relations (target, source) and the analysis of the ON clause into equi-join keys and the rest. The
// one module of merge that knows how expressions are bound and compiled. Pure.

import type { DataType, StructType, Value } from '@lake/parquet'
import type { BoundExpression } from '../../expr/ast.js'
import { bindExpression, compileAssignment, compileBound, compileCondition, referencedRelations, splitConjuncts } from '../../expr/expression.js'
import { visitNodes } from '../../expr/referenced-columns.js'
import type { EvalContext, ExpressionScope, ScopeRows } from '../../expr/expression.js'

/** One relation expressions see: its alias and schema. Index 0 is the target, 1 the source. */
export interface MergeRelation {
  readonly alias: string
  readonly schema: StructType
}

/** The two relations of a MERGE, target first. */
export type MergeScope = readonly [MergeRelation, MergeRelation]

/** The rows an expression is evaluated on, in scope order (undefined: no row, its columns are NULL). */
export type MergeRows = ScopeRows

/** A compiled boolean expression (SQL three-valued). */
export interface RowCondition {
  readonly sql: string
  evaluate(rows: MergeRows): boolean | null
}

/** A compiled value expression of a known type. */
export interface RowExpression {
  readonly sql: string
  readonly type: DataType
  evaluate(rows: MergeRows): Value
}

/** One `target-side = source-side` conjunct of ON: its sides and, for a side that is a top-level column, its name. */
export interface EquiKey {
  readonly target: RowExpression
  readonly source: RowExpression
  readonly targetColumn: string | undefined
  readonly sourceColumn: string | undefined
}

/** The ON clause split by which relations each conjunct uses. */
export interface JoinAnalysis {
  readonly sql: string
  readonly keys: readonly EquiKey[]
  /** Conjuncts over target columns only, source only, and the rest (evaluated per candidate pair). */
  readonly targetOnly: readonly RowCondition[]
  readonly sourceOnly: readonly RowCondition[]
  readonly residual: readonly RowCondition[]
  /** The target's top-level columns ON reads (what an insert-only MERGE projects the target to). */
  readonly targetColumns: readonly string[]
}

function expressionScope(scope: MergeScope): ExpressionScope {
  return { relations: scope.map((r) => ({ alias: r.alias, schema: r.schema })) }
}

/**
 * A condition over both relations.
 * @throws PredicateError `InvalidPredicate` (unknown column, type mismatch, not boolean, syntax) before any I/O.
 */
export function mergeCondition(text: string, scope: MergeScope, context: EvalContext): RowCondition {
  return compileCondition(text, expressionScope(scope), context)
}

/**
 * A value for a column of type `target` (Spark's store-assignment rules, cast to `target`).
 * @throws PredicateError `InvalidPredicate` when the text does not bind or its type cannot be stored in `target`.
 */
export function mergeAssignment(text: string, scope: MergeScope, context: EvalContext, target: DataType): RowExpression {
  return compileAssignment(text, expressionScope(scope), context, target)
}

/** The top-level target columns (schema spelling) an expression over the MERGE scope reads. @throws as `mergeCondition`. */
export function targetColumnsOf(text: string, scope: MergeScope): string[] {
  return topLevelTargetColumns(bindExpression(text, expressionScope(scope)))
}

function topLevelTargetColumns(bound: BoundExpression): string[] {
  const columns = new Set<string>()
  visitNodes(bound, (node: BoundExpression) => {
    if (node.kind === 'column' && node.relation === 0 && node.path[0] !== undefined) columns.add(node.path[0])
  })
  return [...columns]
}

function equiKey(e: BoundExpression, context: EvalContext): EquiKey | undefined {
  if (e.kind !== 'compare' || e.op !== '=') return undefined
  const [l, r] = [referencedRelations(e.left), referencedRelations(e.right)]
  const only = (s: ReadonlySet<number>, i: number): boolean => s.size === 1 && s.has(i)
  let sides: [BoundExpression, BoundExpression] | undefined
  if (only(l, 0) && only(r, 1)) sides = [e.left, e.right]
  else if (only(l, 1) && only(r, 0)) sides = [e.right, e.left]
  if (sides === undefined) return undefined
  const [t, s] = sides
  const column = (side: BoundExpression): string | undefined => (side.kind === 'column' && side.path.length === 1 ? side.path[0] : undefined)
  return { target: compileBound(t, context), source: compileBound(s, context), targetColumn: column(t), sourceColumn: column(s) }
}

/**
 * Binds the ON clause and splits it into equi-join keys, target-only, source-only and residual conjuncts.
 * @throws PredicateError `InvalidPredicate` before any I/O (also when ON is not boolean).
 */
export function analyzeJoin(text: string, scope: MergeScope, context: EvalContext): JoinAnalysis {
  const whole = compileCondition(text, expressionScope(scope), context)
  const bound = bindExpression(text, expressionScope(scope))
  const keys: EquiKey[] = []
  const targetOnly: RowCondition[] = []
  const sourceOnly: RowCondition[] = []
  const residual: RowCondition[] = []
  for (const c of splitConjuncts(bound)) {
    const key = equiKey(c, context)
    const used = referencedRelations(c)
    const condition = compileBound(c, context) as RowCondition
    if (key !== undefined) keys.push(key)
    else if (used.size === 1 && used.has(0)) targetOnly.push(condition)
    else if (used.size === 1 && used.has(1)) sourceOnly.push(condition)
    else residual.push(condition)
  }
  return { sql: whole.sql, keys, targetOnly, sourceOnly, residual, targetColumns: topLevelTargetColumns(bound) }
}
