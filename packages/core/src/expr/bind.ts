// Binds a parsed expression to a scope of relations: resolves column names case-insensitively (like
// Spark; `alias.col` qualified, unqualified when one relation has it), maps them to physical names under
// column mapping, types every node (type-rules.ts) and coerces literals to the type they are compared with.

import type { StructType } from '@lake/parquet'
import type { BoundExpression, BoundPredicate, Expression, Predicate } from './ast.js'
import { bindValueNode } from './bind-values.js'
import type { Binding } from './bind-support.js'
import { resolveColumn } from './resolve-column.js'
import { bindCompared } from './bind-compared.js'
import { literalValue } from './literal-type.js'
import { naturalValue } from './coerce.js'
import { evaluatePredicate } from './evaluate.js'
import type { ExpressionScope } from './scope.js'
import { parsePredicate } from './parse.js'
import { typeName } from './coerce.js'
import { PredicateError, inPredicate } from './predicate-error.js'
import { STRING, isVoid } from './type-rules.js'
import { expressionType } from './node-kinds.js'

/** Options of `bindPredicate`. */
export interface BindOptions {
  /** The table's `delta.columnMapping.mode`: with `name` or `id`, stats and files use physical names. */
  readonly columnMappingMode?: 'none' | 'name' | 'id'
  /** The operation's instant (ms) for `current_timestamp()` / `current_date()`; absent: they are refused. */
  readonly nowMs?: number
}

class Binder implements Binding {
  constructor(
    readonly scope: ExpressionScope,
    readonly now: Binding['now'],
  ) {}

  expr(e: Expression): BoundExpression {
    switch (e.kind) {
      case 'column':
        return resolveColumn(e, this.scope)
      case 'literal':
        return literalValue(e)
      case 'negate':
      case 'arith':
      case 'case':
      case 'cast':
      case 'call':
        return bindValueNode(this, e)
      default:
        return this.predicate(e)
    }
  }

  predicate(p: Predicate): BoundPredicate {
    switch (p.kind) {
      case 'const':
        return p
      case 'and':
      case 'or':
        return { kind: p.kind, left: this.predicate(p.left), right: this.predicate(p.right), pos: p.pos }
      case 'not':
        return { kind: 'not', operand: this.predicate(p.operand), pos: p.pos }
      case 'isNull':
        return { ...p, operand: p.operand.kind === 'literal' ? naturalValue(p.operand) : this.expr(p.operand) }
      case 'like':
        return { ...p, operand: this.stringOperand(p.operand, 'LIKE'), pattern: this.stringOperand(p.pattern, 'LIKE') }
      case 'compare': {
        const [left, right] = bindCompared(this, [p.left, p.right]) as [BoundExpression, BoundExpression]
        return this.fold({ ...p, left, right })
      }
      case 'in': {
        const [operand, ...values] = bindCompared(this, [p.operand, ...p.values]) as [BoundExpression, ...BoundExpression[]]
        return this.fold({ ...p, operand, values })
      }
      case 'between': {
        const [operand, low, high] = bindCompared(this, [p.operand, p.low, p.high]) as [BoundExpression, BoundExpression, BoundExpression]
        return this.fold({ ...p, operand, low, high })
      }
    }
  }

  /** An operand that must be a string (NULL too). */
  stringOperand(e: Expression, what: string): BoundExpression {
    const bound = this.expr(e)
    const type = expressionType(bound)
    if (isVoid(type)) return { kind: 'value', value: null, type: STRING, pos: bound.pos }
    if (type.kind !== 'primitive' || type.name !== 'string') {
      throw new PredicateError(`expected a string operand of ${what}, found ${typeName(type)}`, e.pos)
    }
    return bound
  }

  /** A comparison whose operands are all literals becomes a constant. */
  fold(p: BoundPredicate): BoundPredicate {
    const operands = p.kind === 'compare' ? [p.left, p.right] : p.kind === 'in' ? [p.operand, ...p.values] : p.kind === 'between' ? [p.operand, p.low, p.high] : []
    if (operands.length === 0 || operands.some((o) => o.kind !== 'value')) return p
    return { kind: 'const', value: evaluatePredicate(p, {}), pos: p.pos }
  }
}

/**
 * Binds a parsed expression to a scope.
 * @throws PredicateError (`InvalidPredicate`) naming the column or expression, the expected and found types and the position.
 */
export function bindInScope(e: Expression, scope: ExpressionScope): BoundExpression {
  return new Binder(scope, 'deferred').expr(e)
}

/**
 * Resolves a predicate (text or parsed) against a schema. Column names match case-insensitively
 * (an exact match wins); nested fields are `a.b`. Literals are coerced to the compared column's
 * type; comparisons without columns are folded to constants. `current_timestamp()` / `current_date()`
 * are the constant `options.nowMs`, refused without it.
 * @throws PredicateError (`InvalidPredicate`) naming the column, the expected and found types and the position.
 */
export function bindPredicate(predicate: Predicate | string, schema: StructType, options: BindOptions = {}): BoundPredicate {
  const scope: ExpressionScope = { relations: [{ alias: null, schema, columnMappingMode: options.columnMappingMode ?? 'none' }] }
  if (typeof predicate !== 'string') return new Binder(scope, options.nowMs ?? 'refused').predicate(predicate)
  return inPredicate(predicate, () => new Binder(scope, options.nowMs ?? 'refused').predicate(parsePredicate(predicate)))
}
