// MERGE's view of the expression language: conditions and assignments over two relations (target,
// source) and the analysis of the ON clause into equi-join keys and the rest. The one module of
// merge that depends on how expressions are compiled, so the language behind it can change alone.
//
// Interim implementation until the expression contract (issue 12 step 3) lands: the predicate
// language of `expr/` bound against one struct per alias (`target.id` is the path ['target', 'id']);
// names must be qualified by an alias; assignments are a column reference or a literal.

import type { DataType, Row, StructType, Value } from '@lake/parquet'
import type { BoundColumn, BoundOperand, BoundPredicate } from '../../expr/ast.js'
import { bindPredicate } from '../../expr/bind.js'
import { evaluatePredicate, valueAtPath } from '../../expr/evaluate.js'
import { predicateToSql } from '../../expr/print.js'
import { PredicateError } from '../../expr/predicate-error.js'
import { compileCoercer } from '../../rows/compile-coercer.js'
import { formatType } from '../../schema/format-type.js'
import { isAssignable } from '../../schema/type-assignability.js'

/** One relation expressions see: its alias and schema. Index 0 is the target, 1 the source. */
export interface MergeRelation {
  readonly alias: string
  readonly schema: StructType
}

/** The two relations of a MERGE, target first. */
export type MergeScope = readonly [MergeRelation, MergeRelation]

/** The rows an expression is evaluated on, in scope order (undefined: no row, its columns are NULL). */
export type MergeRows = readonly [Row | undefined, Row | undefined]

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

/** One `target-side = source-side` conjunct of ON: its sides and, when the target side is a top-level column, its name. */
export interface EquiKey {
  readonly target: RowExpression
  readonly source: RowExpression
  readonly targetColumn: string | undefined
}

/** The ON clause split by which relations each conjunct uses. */
export interface JoinAnalysis {
  readonly sql: string
  readonly keys: readonly EquiKey[]
  /** Conjuncts over target columns only, source only, and the rest (evaluated per candidate pair). */
  readonly targetOnly: readonly RowCondition[]
  readonly sourceOnly: readonly RowCondition[]
  readonly residual: readonly RowCondition[]
}

function combinedSchema(scope: MergeScope): StructType {
  return { kind: 'struct', fields: scope.map((r) => ({ name: r.alias, type: r.schema, nullable: true, metadata: {} })) }
}

function combinedRow(scope: MergeScope, rows: MergeRows): Row {
  const row: Record<string, Value> = Object.create(null) as Record<string, Value>
  scope.forEach((relation, i) => {
    row[relation.alias] = rows[i] ?? null
  })
  return row
}

function condition(scope: MergeScope, bound: BoundPredicate): RowCondition {
  return { sql: predicateToSql(bound), evaluate: (rows) => evaluatePredicate(bound, combinedRow(scope, rows)) }
}

/**
 * A condition over both relations.
 * @throws PredicateError `InvalidPredicate` (unknown column, type mismatch, syntax) before any I/O.
 */
export function mergeCondition(text: string, scope: MergeScope): RowCondition {
  return condition(scope, bindPredicate(text, combinedSchema(scope)))
}

function relationOf(scope: MergeScope, column: BoundColumn): number {
  const alias = (column.path[0] ?? '').toLowerCase()
  return scope.findIndex((r) => r.alias.toLowerCase() === alias)
}

function operandExpression(scope: MergeScope, operand: BoundOperand, sql: string): RowExpression {
  if (operand.kind === 'value') return { sql, type: operand.type, evaluate: () => operand.value }
  const relation = relationOf(scope, operand)
  const path = operand.path.slice(1)
  return { sql, type: operand.type, evaluate: (rows) => { const row = rows[relation]; return row === undefined ? null : valueAtPath(row, path) } }
}

/**
 * A value for a column of type `target`: a qualified column reference or a literal (coerced to `target`).
 * @throws PredicateError `InvalidPredicate` when the text is neither or its type cannot be stored in `target`.
 */
export function mergeAssignment(text: string, scope: MergeScope, target: DataType): RowExpression {
  const probe: StructType = { kind: 'struct', fields: [...combinedSchema(scope).fields, { name: '\u0000assigned', type: target, nullable: true, metadata: {} }] }
  const bound = bindPredicate(`\`\u0000assigned\` = ${text}`, probe)
  if (bound.kind !== 'compare' || bound.op !== '=' || (bound.right.kind === 'column' && bound.right.path[0] === '\u0000assigned')) {
    throw new PredicateError(`expected a column reference or a literal in '${text}'`, 0, { context: { expression: text } })
  }
  const operand = bound.right
  const expression = operandExpression(scope, operand, text.trim())
  if (formatType(operand.type) === formatType(target)) return expression
  if (!isAssignable(target, operand.type)) {
    throw new PredicateError(`cannot store ${formatType(operand.type)} '${text}' in a ${formatType(target)} column`, 0, { context: { expression: text } })
  }
  const coerce = compileCoercer(target, text)
  return { sql: expression.sql, type: target, evaluate: (rows) => coerce(expression.evaluate(rows), 0) }
}

function conjuncts(p: BoundPredicate): BoundPredicate[] {
  return p.kind === 'and' ? [...conjuncts(p.left), ...conjuncts(p.right)] : [p]
}

function relationsOf(scope: MergeScope, p: BoundPredicate): Set<number> {
  const used = new Set<number>()
  const visit = (o: BoundOperand): void => {
    if (o.kind === 'column') used.add(relationOf(scope, o))
  }
  const walk = (n: BoundPredicate): void => {
    if (n.kind === 'compare') [n.left, n.right].forEach(visit)
    else if (n.kind === 'and' || n.kind === 'or') [n.left, n.right].forEach(walk)
    else if (n.kind === 'not') walk(n.operand)
    else if (n.kind === 'in') [n.operand, ...n.values].forEach(visit)
    else if (n.kind === 'isNull') visit(n.operand)
    else if (n.kind === 'between') [n.operand, n.low, n.high].forEach(visit)
  }
  walk(p)
  return used
}

function equiKey(scope: MergeScope, p: BoundPredicate): EquiKey | undefined {
  if (p.kind !== 'compare' || p.op !== '=' || p.left.kind !== 'column' || p.right.kind !== 'column') return undefined
  const [l, r] = [relationOf(scope, p.left), relationOf(scope, p.right)]
  if (l === r) return undefined
  const [t, s] = l === 0 ? [p.left, p.right] : [p.right, p.left]
  const sql = (c: BoundColumn): string => c.path.join('.')
  return {
    target: operandExpression(scope, t, sql(t)),
    source: operandExpression(scope, s, sql(s)),
    targetColumn: t.path.length === 2 ? t.path[1] : undefined,
  }
}

/**
 * Binds the ON clause and splits it into equi-join keys, target-only, source-only and residual conjuncts.
 * @throws PredicateError `InvalidPredicate` before any I/O.
 */
export function analyzeJoin(text: string, scope: MergeScope): JoinAnalysis {
  const bound = bindPredicate(text, combinedSchema(scope))
  const keys: EquiKey[] = []
  const targetOnly: RowCondition[] = []
  const sourceOnly: RowCondition[] = []
  const residual: RowCondition[] = []
  for (const c of conjuncts(bound)) {
    const key = equiKey(scope, c)
    const used = relationsOf(scope, c)
    if (key !== undefined) keys.push(key)
    else if (used.size === 1 && used.has(0)) targetOnly.push(condition(scope, c))
    else if (used.size === 1 && used.has(1)) sourceOnly.push(condition(scope, c))
    else residual.push(condition(scope, c))
  }
  return { sql: predicateToSql(bound), keys, targetOnly, sourceOnly, residual }
}
