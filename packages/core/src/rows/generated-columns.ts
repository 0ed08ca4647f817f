// Generated columns (PROTOCOL.md#Generated Columns, field metadata `delta.generationExpression`):
// Spark's rule on write: a row without the column gets the expression's value; a row that gives one
// must give exactly that value (NULL-safe equal), else the write fails. Compiled once per schema.

import type { Row, StructField, StructType, Value } from '@lake/parquet'
import { WriteError } from '../errors.js'
import { compareValues } from '../expr/compare.js'
import { compileAssignment } from '../expr/expression.js'
import type { CompiledExpression } from '../expr/expression.js'
import { describeValue } from './describe-value.js'
import { parseExpression } from '../expr/parse.js'
import { PredicateError } from '../expr/predicate-error.js'
import { isDeterministic } from '../expr/referenced-columns.js'

const GENERATION_KEY = 'delta.generationExpression'
const NO_TIME = { nowMs: Number.NaN }

/** One generated top-level column with its compiled expression. */
interface GeneratedColumn {
  readonly field: StructField
  readonly expression: string
  readonly compiled: CompiledExpression
}

/** Fills or checks the generated columns of a coerced row; `given` tells which columns the input had. */
export type GeneratedColumnsApplier = (row: Row, given: (column: string) => boolean, index: number) => Row

/** The generation expression of a field, if it has one. */
export function generationExpression(field: StructField): string | undefined {
  const value = field.metadata[GENERATION_KEY]
  return typeof value === 'string' ? value : undefined
}

/** True when lake can compute the generation expression for `field` in `schema` (it parses, binds, and is assignable). */
export function canGenerate(schema: StructType, field: StructField, expression: string): boolean {
  try {
    compileGenerated(schema, field, expression)
    return true
  } catch (err) {
    if (err instanceof PredicateError) return false
    throw err
  }
}

/**
 * The compiled generation expression of `field`, cast to its type.
 * @throws PredicateError when it does not bind, is not assignable or is not deterministic (Spark's rule).
 */
function compileGenerated(schema: StructType, field: StructField, expression: string): CompiledExpression {
  if (!isDeterministic(parseExpression(expression))) {
    throw new PredicateError(`generated column '${field.name}': expected a deterministic expression, found ${expression}`, 0, { context: { column: field.name } })
  }
  return compileAssignment(expression, { relations: [{ alias: null, schema }] }, NO_TIME, field.type)
}

function sameValue(a: Value, b: Value, field: StructField): boolean {
  if (a === null || b === null) return a === b
  return compareValues(a, b, field.type) === 0
}

function violation(column: GeneratedColumn, given: Value, expected: Value, index: number): WriteError {
  const name = column.field.name
  return new WriteError(
    'ConstraintViolation',
    `row ${index} violates generated column '${name}': expected ${name} = (${column.expression}) = ${describeValue(expected)}, found ${describeValue(given)}`,
    { context: { column: name, expression: column.expression, row: index } },
  )
}

/**
 * Compiles the generated columns of `schema` (undefined when it has none). Expressions are bound
 * against the whole row.
 * @throws PredicateError `InvalidPredicate` for an expression lake cannot compute.
 */
export function compileGeneratedColumns(schema: StructType): GeneratedColumnsApplier | undefined {
  const columns: GeneratedColumn[] = schema.fields.flatMap((field) => {
    const expression = generationExpression(field)
    return expression === undefined ? [] : [{ field, expression, compiled: compileGenerated(schema, field, expression) }]
  })
  if (columns.length === 0) return undefined
  return (row, given, index) => {
    const rows = [row]
    for (const column of columns) {
      const name = column.field.name
      const expected = column.compiled.evaluate(rows)
      if (!given(name)) (row as Record<string, Value>)[name] = expected
      else if (!sameValue(row[name] ?? null, expected, column.field)) throw violation(column, row[name] ?? null, expected, index)
    }
    return row
  }
}
