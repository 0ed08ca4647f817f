// Row-wise enforcement of invariants and CHECK constraints with the expression language of
// `src/expr/`: bind and compile once per schema, evaluate per row; false or null fails the write. Pure.

import type { Row, StructType } from '@lake/parquet'
import { LakeError } from '@lake/storage'
import type { BoundPredicate } from '../expr/ast.js'
import { bindPredicate } from '../expr/bind.js'
import { compileNode } from '../expr/compile.js'
import { bindExpression } from '../expr/expression.js'
import { PredicateError } from '../expr/predicate-error.js'
import { canGenerate, generationExpression } from './generated-columns.js'
import { ProtocolError } from '../errors.js'
import { collectConstraints } from '../schema/constraints.js'
import type { RowConstraint } from '../schema/constraints.js'

/** A constraint bound to the table schema, ready to evaluate. */
export interface BoundConstraint {
  readonly constraint: RowConstraint
  readonly predicate: BoundPredicate
  /** The predicate compiled to closures: true, false or null (unknown) for a row. */
  readonly evaluate: (row: Row) => boolean | null
}

/** A row fails an invariant or CHECK constraint (code `ConstraintViolation`). */
export class ConstraintViolationError extends LakeError {
  constructor(constraint: RowConstraint, row: number, result: false | null) {
    const what = constraint.kind === 'invariant' ? `invariant on column '${constraint.name}'` : `CHECK constraint '${constraint.name}'`
    super('ConstraintViolation', `row ${row} violates ${what}: expected (${constraint.expression}) to be true, found ${String(result)}`, {
      context: { constraint: constraint.name, expression: constraint.expression, row },
    })
  }
}

/**
 * The `canEvaluate` callback of `canWrite` for `schema`: true when the expression parses and binds
 * against the schema (CHECK constraints and invariants are then checked to be boolean when bound; a
 * generation expression must also be assignable to its column).
 */
export function constraintEvaluator(schema: StructType): (expression: string) => boolean {
  const generated = new Map(schema.fields.flatMap((f) => (generationExpression(f) === undefined ? [] : [[generationExpression(f), f] as const])))
  return (expression) => {
    const field = generated.get(expression)
    if (field !== undefined && canGenerate(schema, field, expression)) return true
    try {
      bindExpression(expression, { relations: [{ alias: null, schema }] })
      return field === undefined
    } catch (err) {
      if (err instanceof PredicateError) return false
      throw err
    }
  }
}

/**
 * Binds every constraint of the table (schema invariants, `delta.constraints.*`).
 * @throws ProtocolError `UnsupportedFeature` naming a constraint the predicate language cannot express.
 */
export function bindConstraints(schema: StructType, configuration: Readonly<Record<string, string>>): BoundConstraint[] {
  return collectConstraints(schema, configuration).map((constraint) => {
    try {
      const predicate = bindPredicate(constraint.expression, schema)
      const compiled = compileNode(predicate, { nowMs: Number.NaN })
      return { constraint, predicate, evaluate: (row: Row) => compiled([row]) as boolean | null }
    } catch (cause) {
      if (!(cause instanceof PredicateError)) throw cause
      throw new ProtocolError('UnsupportedFeature', `cannot write: lake cannot evaluate ${constraint.kind} '${constraint.name}' (${constraint.expression})`, {
        context: { feature: constraint.kind === 'invariant' ? 'invariants' : 'checkConstraints', constraint: constraint.name },
        cause,
      })
    }
  })
}

/**
 * Checks every row against every bound constraint (rows hold canonical values, logical names).
 * @param firstRow - index of `rows[0]` in the whole input, for messages
 * @throws ConstraintViolationError at the first row where a constraint is false or null.
 */
export function enforceConstraints(rows: readonly Row[], constraints: readonly BoundConstraint[], firstRow = 0): void {
  if (constraints.length === 0) return
  rows.forEach((row, i) => {
    for (const { constraint, evaluate } of constraints) {
      const result = evaluate(row)
      if (result !== true) throw new ConstraintViolationError(constraint, firstRow + i, result)
    }
  })
}
