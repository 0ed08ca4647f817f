// The expression contract shared by filters, DML (UPDATE SET, MERGE conditions and values) and
// constraints: scopes of aliased relations, compile-once closures evaluated per row (docs/expressions.md).

import type { DataType, Value } from '@lake/parquet'
import type { BoundExpression } from './ast.js'
import { bindInScope } from './bind.js'
import { compileNode } from './compile.js'
import { assignmentCast } from './cast-rules.js'
import { expressionType } from './node-kinds.js'
import { visitNodes } from './referenced-columns.js'
import { parseExpression } from './parse.js'
import { PredicateError, namingExpression } from './predicate-error.js'
import { ExpressionError, withExpression } from './expression-error.js'
import { expressionToSql } from './print.js'
import { typeName } from './coerce.js'
import type { EvalContext, ExpressionScope, ScopeRows } from './scope.js'

export type { EvalContext, ExpressionScope, ScopeRelation, ScopeRows } from './scope.js'

/** A checked, compiled expression. `evaluate` gets one row per relation, in scope order. */
export interface CompiledExpression {
  readonly type: DataType
  /** Canonical SQL text (for commitInfo). */
  readonly sql: string
  evaluate(rows: ScopeRows): Value
}

/** A compiled boolean expression: NULL (unknown) is not TRUE. */
export interface CompiledCondition {
  readonly sql: string
  evaluate(rows: ScopeRows): boolean | null
}

/** Parses and binds an expression against a scope, without compiling (for planners that analyze structure). */
export function bindExpression(text: string, scope: ExpressionScope): BoundExpression {
  return namingExpression(text, () => bindInScope(parseExpression(text), scope))
}

/** Compiles a bound expression to a closure; `context` fixes `current_timestamp()` / `current_date()`. */
export function compileBound(e: BoundExpression, context: EvalContext): CompiledExpression {
  const sql = expressionToSql(e)
  const compiled = compileNode(e, context)
  const evaluate = (rows: ScopeRows): Value => {
    try {
      return compiled(rows)
    } catch (err) {
      throw err instanceof ExpressionError ? withExpression(err, sql) : err
    }
  }
  return { type: expressionType(e), sql, evaluate }
}

/**
 * Parses, binds (types checked) and compiles an expression.
 * @throws PredicateError `InvalidPredicate` with `context.position` and the expression text, before any I/O.
 */
export function compileExpression(text: string, scope: ExpressionScope, context: EvalContext): CompiledExpression {
  return compileBound(bindExpression(text, scope), context)
}

/**
 * Like compileExpression, then checks the result is assignable to `target` (Spark's store-assignment
 * rules) and casts to it.
 * @throws PredicateError `InvalidPredicate` when the type cannot be stored in `target`.
 */
export function compileAssignment(text: string, scope: ExpressionScope, context: EvalContext, target: DataType): CompiledExpression {
  const bound = bindExpression(text, scope)
  const cast = assignmentCast(bound, target)
  if (cast === undefined) {
    throw new PredicateError(`cannot assign '${text}' of type ${typeName(expressionType(bound))} to a column of type ${typeName(target)}`, bound.pos, {}, text)
  }
  return compileBound(cast, context)
}

/**
 * A boolean expression (SQL three-valued: NULL is not TRUE).
 * @throws PredicateError `InvalidPredicate` when the expression is not boolean.
 */
export function compileCondition(text: string, scope: ExpressionScope, context: EvalContext): CompiledCondition {
  const compiled = compileExpression(text, scope, context)
  if (compiled.type.kind !== 'primitive' || (compiled.type.name !== 'boolean' && compiled.type.name !== 'void')) {
    throw new PredicateError(`expected a boolean condition, found '${compiled.sql}' of type ${typeName(compiled.type)}`, 0, {}, text)
  }
  const evaluate = compiled.evaluate as (rows: ScopeRows) => boolean | null
  return { sql: compiled.sql, evaluate }
}

/** The conjuncts of `a AND b AND ...` (a non-AND expression is its own single conjunct). */
export function splitConjuncts(e: BoundExpression): BoundExpression[] {
  return e.kind === 'and' ? [...splitConjuncts(e.left), ...splitConjuncts(e.right)] : [e]
}

/** The indexes of the scope relations whose columns an expression reads. */
export function referencedRelations(e: BoundExpression): ReadonlySet<number> {
  const out = new Set<number>()
  visitNodes(e, (node) => {
    if (node.kind === 'column') out.add(node.relation)
  })
  return out
}
