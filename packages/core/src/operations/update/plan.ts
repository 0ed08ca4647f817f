// UPDATE's plan (docs/row-level-plan.md §4), pure over a snapshot: every SET value and the WHERE
// condition bound and type-checked against the table schema before any I/O, the constraints every
// new row must pass and its generated columns, the candidate files (partition values and min/max stats prune by WHERE), and
// whether old rows leave by deletion vectors or copy-on-write.

import type { StructField } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import { InvalidArgumentError } from '../../errors.js'
import { compileFilePredicate } from '../../expr/file-predicate.js'
import type { FilePredicate } from '../../expr/file-predicate.js'
import { PredicateError } from '../../expr/predicate-error.js'
import { candidateFiles } from '../../rewrite/candidates.js'
import type { RewriteMode } from '../../rewrite/file-outcome.js'
import { compileGeneratedColumns } from '../../rows/generated-columns.js'
import type { GeneratedColumnsApplier } from '../../rows/generated-columns.js'
import { bindConstraints } from '../../rows/row-constraints.js'
import type { BoundConstraint } from '../../rows/row-constraints.js'
import { expectedOneOf } from '../../schema/expected-columns.js'
import { findField } from '../../schema/find-field.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { compileAssignment, compileCondition } from '../../expr/expression.js'
import type { CompiledCondition, CompiledExpression, EvalContext, ExpressionScope } from '../../expr/expression.js'

/** What to change: `set` maps column names to SQL value expressions; `where` (SQL) picks the rows (absent: all). */
export interface UpdateSpec {
  readonly set: Readonly<Record<string, string>>
  readonly where?: string
}

/** One SET: the column (the schema's spelling) and its compiled value, cast to the column's type. */
export interface Assignment {
  readonly column: string
  readonly value: CompiledExpression
}

/** What an UPDATE will do before it reads any data. */
export interface UpdatePlan {
  readonly assignments: readonly Assignment[]
  /** Undefined: every row. */
  readonly condition: CompiledCondition | undefined
  /** The WHERE as a per-file test (pruning, conflict detection); undefined when absent or not expressible there. */
  readonly predicate: FilePredicate | undefined
  readonly mode: RewriteMode
  /** Files that may hold matching rows. */
  readonly read: readonly AddFile[]
  /** Invariants and CHECK constraints every new row must pass. */
  readonly constraints: readonly BoundConstraint[]
  /** Recomputes (or checks, when SET) the table's generated columns; undefined without any lake can compute. */
  readonly generated: GeneratedColumnsApplier | undefined
}

type PlanSnapshot = Pick<Snapshot, 'schema' | 'partitionColumns' | 'config' | 'files' | 'metadata'> & Partial<Pick<Snapshot, 'columnMappingMode'>>

/**
 * Plans an UPDATE.
 * @throws InvalidArgumentError (`context.column`) for an empty `set`, an unknown or repeated column, a
 *   value that is not SQL text; PredicateError `InvalidPredicate` (`context.position`) for a value or
 *   condition that does not parse, bind or fit the column's type; ProtocolError `UnsupportedFeature` for
 *   a constraint lake cannot evaluate.
 */
export function planUpdate(snapshot: PlanSnapshot, spec: UpdateSpec, context: EvalContext): UpdatePlan {
  const scope: ExpressionScope = { relations: [{ alias: null, schema: snapshot.schema }] }
  const assignments = targetColumns(snapshot.schema.fields, spec).map(([field, text]) => ({
    column: field.name,
    value: compileAssignment(text, scope, context, field.type),
  }))
  const condition = spec.where === undefined ? undefined : compileCondition(spec.where, scope, context)
  const predicate = spec.where === undefined ? undefined : filePredicate(spec.where, snapshot)
  const { whole, read } = candidateFiles(snapshot.files(), predicate)
  const mode: RewriteMode = snapshot.config.enableDeletionVectors ? 'deletionVectors' : 'copyOnWrite'
  const constraints = bindConstraints(snapshot.schema, snapshot.metadata.configuration)
  return { assignments, condition, predicate, mode, read: [...whole, ...read], constraints, generated: generatedColumns(snapshot) }
}

/** The generated-column applier; undefined when the table has none or one lake cannot compute (the feature check then refuses the table). */
function generatedColumns(snapshot: PlanSnapshot): GeneratedColumnsApplier | undefined {
  try {
    return compileGeneratedColumns(snapshot.schema)
  } catch (err) {
    if (err instanceof PredicateError) return undefined
    throw err
  }
}

/** The SET entries resolved to top-level fields: exact name first, else the one case-insensitive match. */
function targetColumns(fields: readonly StructField[], spec: UpdateSpec): [StructField, string][] {
  const set: unknown = spec.set
  if (typeof set !== 'object' || set === null) throw new InvalidArgumentError(`update: expected set to be an object of column → SQL expression, found ${set === null ? 'null' : typeof set}`)
  const entries = Object.entries(set)
  if (entries.length === 0) throw new InvalidArgumentError('update: expected at least one column in set, found none')
  const seen = new Set<string>()
  return entries.map(([name, text]) => {
    const field = findField(fields, name)
    if (field === undefined) {
      throw new InvalidArgumentError(`update: unknown column '${name}' in set: ${expectedOneOf(fields.map((f) => f.name))}`, { context: { column: name } })
    }
    if (seen.has(field.name)) throw new InvalidArgumentError(`update: column '${field.name}' is set twice: expected each column at most once`, { context: { column: field.name } })
    if (typeof text !== 'string') throw new InvalidArgumentError(`update: expected set.${name} to be SQL text, found ${typeof text}`, { context: { column: field.name } })
    seen.add(field.name)
    return [field, text]
  })
}

/** The WHERE as a file predicate, or undefined when the per-file language cannot express it (every file is then read). */
function filePredicate(where: string, snapshot: PlanSnapshot): FilePredicate | undefined {
  try {
    return compileFilePredicate(where, snapshot.schema, snapshot.partitionColumns, { columnMappingMode: snapshot.columnMappingMode })
  } catch (err) {
    if (err instanceof PredicateError) return undefined
    throw err
  }
}
