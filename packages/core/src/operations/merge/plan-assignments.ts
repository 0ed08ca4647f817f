// How a MERGE clause builds the row it writes: SET / VALUES assignments compiled per column, and
// updateAll / insertAll mapping columns by name (Spark's `UPDATE SET *` / `INSERT *`). Pure.

import type { Row, StructField, StructType, Value } from '@lake/parquet'
import { setField } from '../../parquet-values.js'
import { MergeError } from '../../errors.js'
import type { Assignments } from './plan-clauses.js'
import { mergeAssignment, targetColumnsOf } from './plan-expressions.js'
import type { MergeRows, MergeScope, RowExpression } from './plan-expressions.js'
import type { EvalContext } from '../../expr/expression.js'

/** The value of column `name` in `row` (own properties only: column names are data); missing is null. */
export function columnValue(row: Row | undefined, name: string): Value {
  return row !== undefined && Object.hasOwn(row, name) ? (row[name] ?? null) : null
}

/** Builds the new target row of a clause from the rows it acts on. */
export type RowProducer = (rows: MergeRows) => Row

/** A clause's row builder and the target columns it reads (its expressions' and the columns it keeps). */
export interface CompiledProducer {
  readonly produce: RowProducer
  /** Top-level target columns (schema spelling) the produced row depends on. */
  readonly targetColumns: readonly string[]
}

function findField(schema: StructType, name: string): StructField | undefined {
  const lower = name.toLowerCase()
  return schema.fields.find((f) => f.name === name) ?? schema.fields.find((f) => f.name.toLowerCase() === lower)
}

function unknownColumn(name: string, schema: StructType, clause: number): MergeError {
  const names = schema.fields.map((f) => f.name).join(', ')
  return new MergeError('InvalidArgument', `clause ${clause} assigns column '${name}': expected one of the target's columns (${names}), found no such column`, {
    context: { clause, column: name },
  })
}

/**
 * Compiles explicit assignments against the output schema. `base` says where unassigned columns come
 * from: the target row (update), or nowhere (insert: left out, so typing makes them NULL and computes
 * generated columns).
 * @throws MergeError `InvalidArgument` for an unknown or repeated column; PredicateError for a bad expression.
 */
export function compileAssignments(assignments: Assignments, scope: MergeScope, context: EvalContext, output: StructType, base: 'target' | 'null', clause: number): CompiledProducer {
  const compiled = new Map<string, RowExpression>()
  const reads = new Set<string>()
  for (const [name, text] of Object.entries(assignments)) {
    const field = findField(output, name)
    if (field === undefined) throw unknownColumn(name, output, clause)
    if (compiled.has(field.name)) {
      throw new MergeError('InvalidArgument', `clause ${clause} assigns column '${field.name}' twice: expected each column once`, { context: { clause, column: field.name } })
    }
    compiled.set(field.name, mergeAssignment(text, scope, context, field.type))
    for (const column of targetColumnsOf(text, scope)) reads.add(column)
  }
  if (base === 'target') for (const f of output.fields) if (!compiled.has(f.name) && findField(scope[0].schema, f.name) !== undefined) reads.add(f.name)
  const produce: RowProducer = (rows) => {
    const row: Record<string, Value> = {}
    for (const field of output.fields) {
      const expression = compiled.get(field.name)
      if (expression !== undefined) setField(row, field.name, expression.evaluate(rows))
      else if (base === 'target') setField(row, field.name, columnValue(rows[0], field.name))
    }
    return row
  }
  return { produce, targetColumns: [...reads] }
}

/**
 * updateAll / insertAll: every output column from the source column of the same name (case-insensitive).
 * A column the source lacks keeps the target's value (update) or is left out (insert: NULL, or computed
 * when generated) when `evolving`;
 * otherwise it is an error, as in Spark without schema evolution.
 * @throws MergeError `InvalidArgument` naming the missing column.
 */
export function compileStar(scope: MergeScope, output: StructType, base: 'target' | 'null', evolving: boolean, clause: number): CompiledProducer {
  const source = scope[1].schema
  const pairs = output.fields.map((field) => {
    const from = findField(source, field.name)
    if (from === undefined && !evolving && findField(scope[0].schema, field.name) !== undefined) {
      const message =
        `clause ${clause} (${base === 'target' ? 'updateAll' : 'insertAll'}) needs source column '${field.name}': ` +
        `expected every target column in the source, found none named so (use schemaMode 'merge' to keep missing columns)`
      throw new MergeError('InvalidArgument', message, { context: { clause, column: field.name } })
    }
    return { name: field.name, from: from?.name }
  })
  const produce: RowProducer = (rows) => {
    const row: Record<string, Value> = {}
    const [target, src] = rows
    for (const { name, from } of pairs) {
      if (from !== undefined) setField(row, name, columnValue(src, from))
      else if (base === 'target') setField(row, name, columnValue(target, name))
    }
    return row
  }
  const kept = base === 'target' ? pairs.filter((p) => p.from === undefined && findField(scope[0].schema, p.name) !== undefined) : []
  return { produce, targetColumns: kept.map((p) => p.name) }
}
