// UPDATE's side of the expression contract (docs/row-level-plan.md §9; the expr engineer implements
// it in src/expr/). Until it lands this is an interim implementation with the contract's names and
// shapes: conditions are today's predicate language, SET values a column of the target's type or a
// literal. Replacing it is an import change (`../../expr/index.js`); plan.ts and execute.ts stay.

import type { DataType, Row, StructType, Value } from '@lake/parquet'
import { bindPredicate } from '../../expr/bind.js'
import { coerceLiteral } from '../../expr/coerce.js'
import { evaluatePredicate, valueAtPath } from '../../expr/evaluate.js'
import { parsePredicate } from '../../expr/parse.js'
import { PredicateError } from '../../expr/predicate-error.js'
import { predicateToSql } from '../../expr/print.js'
import { formatType } from '../../schema/format-type.js'

/** One relation an expression can see: `alias` (null: columns only unqualified) and its schema. */
export interface ScopeRelation {
  readonly alias: string | null
  readonly schema: StructType
}

/** What names resolve against (UPDATE: the target table only). */
export interface ExpressionScope {
  readonly relations: readonly ScopeRelation[]
}

/** Per-operation constants: `current_timestamp()` / `current_date()` are this one instant. */
export interface EvalContext {
  readonly nowMs: number
}

/** A checked, compiled value expression; `evaluate` gets one row per relation, in scope order. */
export interface CompiledExpression {
  readonly type: DataType
  readonly sql: string
  evaluate(rows: readonly (Row | undefined)[]): Value
}

/** A checked, compiled boolean expression (SQL three-valued). */
export interface CompiledCondition {
  readonly sql: string
  evaluate(rows: readonly (Row | undefined)[]): boolean | null
}

const EMPTY: Row = Object.create(null) as Row

function onlySchema(scope: ExpressionScope): StructType {
  return scope.relations[0]?.schema ?? { kind: 'struct', fields: [] }
}

/**
 * A boolean expression over the scope's (single) relation.
 * @throws PredicateError `InvalidPredicate` with `context.position`.
 */
export function compileCondition(text: string, scope: ExpressionScope, _context: EvalContext): CompiledCondition {
  const bound = bindPredicate(text, onlySchema(scope))
  return { sql: predicateToSql(bound), evaluate: (rows) => evaluatePredicate(bound, rows[0] ?? EMPTY) }
}

/**
 * A value assignable to a column of type `target`: a column of exactly that type, or a literal of it.
 * @throws PredicateError `InvalidPredicate` (`context.position`, `context.expression`) for anything else.
 */
export function compileAssignment(text: string, scope: ExpressionScope, _context: EvalContext, target: DataType): CompiledExpression {
  const parsed = parseOperand(text)
  if (parsed.kind === 'literal') {
    const value = coerceLiteral(parsed, target, 'SET target').value
    return { type: target, sql: text.trim(), evaluate: () => value }
  }
  const bound = bindPredicate(`${text} IS NULL`, onlySchema(scope))
  const column = bound.kind === 'isNull' ? bound.operand : undefined
  if (column?.kind !== 'column' || formatType(column.type) !== formatType(target)) {
    const found = column?.kind === 'column' ? formatType(column.type) : 'a non-column'
    throw new PredicateError(`cannot assign ${text.trim()} (${found}) to a column of type ${formatType(target)}: expected the same type`, 0, {
      context: { expression: text },
    })
  }
  const path = column.path
  return { type: target, sql: path.map((p) => `\`${p.replaceAll('`', '``')}\``).join('.'), evaluate: (rows) => valueAtPath(rows[0] ?? EMPTY, path) }
}

function parseOperand(text: string): Extract<ReturnType<typeof parsePredicate>, { kind: 'isNull' }>['operand'] {
  try {
    const parsed = parsePredicate(`${text} IS NULL`)
    if (parsed.kind === 'isNull' && !parsed.negated) return parsed.operand
  } catch (cause) {
    if (!(cause instanceof PredicateError)) throw cause
  }
  throw new PredicateError(`expected a column or a literal, found '${text}' (expressions need the expression language)`, 0, {
    context: { expression: text },
  })
}
