// MERGE's plan (docs/row-level-plan.md §5), pure over the target's snapshot and the source's schema:
// the ON clause split into hash keys and filters, the clauses compiled in order, the output schema
// (evolved with schemaMode 'merge'), DV or copy-on-write, and Spark's commitInfo parameters.
// Every expression is bound here, before any data is read.

import type { StructType } from '@lake/parquet'
import type { Metadata, Protocol } from '../../actions/types.js'
import { MergeError } from '../../errors.js'
import { upgradeProtocol } from '../../features/index.js'
import type { RewriteMode } from '../../rewrite/file-outcome.js'
import { mergeSchemas } from '../../schema/schema-evolution.js'
import { assignColumnMapping } from '../../schema/assign-column-mapping.js'
import { serializeSchema } from '../../schema/serialize-schema.js'
import { validateSchema } from '../../schema/validate-schema.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { compileAssignments, compileStar } from './plan-assignments.js'
import type { CompiledProducer, RowProducer } from './plan-assignments.js'
import { allowsMultipleMatches, checkClauseOrder, clauseShape, isInsertOnly } from './plan-clauses.js'
import type { ClauseAction, ClauseGroup, MergeClause } from './plan-clauses.js'
import { analyzeJoin, mergeCondition, targetColumnsOf } from './plan-expressions.js'
import type { JoinAnalysis, MergeScope, RowCondition } from './plan-expressions.js'
import type { EvalContext } from '../../expr/expression.js'

/** What a MERGE is asked to do. */
export interface MergeSpec {
  readonly on: string
  readonly sourceAlias: string
  readonly targetAlias: string
  readonly schemaMode?: 'merge' | undefined
  readonly clauses: readonly MergeClause[]
}

/** A clause ready to run: its condition (absent: always) and the row it writes (update, insert). */
export interface CompiledClause {
  readonly index: number
  readonly group: ClauseGroup
  readonly action: ClauseAction
  readonly condition: RowCondition | undefined
  readonly produce: RowProducer | undefined
  /** Top-level target columns the condition reads, and those the produced row reads (expressions, kept columns). */
  readonly reads: { readonly condition: readonly string[]; readonly produce: readonly string[] }
}

/** Spark's `{"predicate"?, "actionType"}` entry of matchedPredicates and friends. */
export interface ClauseDescription {
  readonly predicate?: string
  readonly actionType: ClauseAction
}

/** The target as the plan needs it (a Snapshot fits). */
export type MergeTarget = Pick<Snapshot, 'schema' | 'partitionColumns' | 'metadata' | 'protocol' | 'config' | 'columnMappingMode'>

/** A planned MERGE. */
export interface MergePlan {
  readonly scope: MergeScope
  readonly join: JoinAnalysis
  readonly matched: readonly CompiledClause[]
  readonly notMatched: readonly CompiledClause[]
  readonly notMatchedBySource: readonly CompiledClause[]
  /** The schema rows are written with: the table's, or the evolved one. */
  readonly schema: StructType
  /** Set when schemaMode 'merge' adds columns: the metadata (and protocol, if it must rise) to commit. */
  readonly metadata: Metadata | undefined
  readonly protocol: Protocol | undefined
  readonly mode: RewriteMode
  readonly insertOnly: boolean
  readonly multipleMatchesAllowed: boolean
  readonly parameters: Readonly<Record<string, unknown>>
}

const NO_COLUMNS: StructType = { kind: 'struct', fields: [] }

/** The scope a clause group binds in: WHEN NOT MATCHED sees only the source, BY SOURCE only the target (Spark). */
function groupScope(scope: MergeScope, group: ClauseGroup): MergeScope {
  if (group === 'notMatched') return [{ ...scope[0], schema: NO_COLUMNS }, scope[1]]
  if (group === 'notMatchedBySource') return [scope[0], { ...scope[1], schema: NO_COLUMNS }]
  return scope
}

function compileClause(clause: MergeClause, index: number, fullScope: MergeScope, context: EvalContext, output: StructType, evolving: boolean): CompiledClause {
  const { group, action } = clauseShape(clause)
  const scope = groupScope(fullScope, group)
  const condition = clause.condition === undefined ? undefined : mergeCondition(clause.condition, scope, context)
  let produced: CompiledProducer | undefined
  if (clause.kind === 'matchedUpdate' || clause.kind === 'notMatchedBySourceUpdate') produced = compileAssignments(clause.set, scope, context, output, 'target', index)
  else if (clause.kind === 'notMatchedInsert') produced = compileAssignments(clause.values, scope, context, output, 'null', index)
  else if (clause.kind === 'matchedUpdateAll') produced = compileStar(fullScope, output, 'target', evolving, index)
  else if (clause.kind === 'notMatchedInsertAll') produced = compileStar(fullScope, output, 'null', evolving, index)
  const reads = { condition: clause.condition === undefined ? [] : targetColumnsOf(clause.condition, scope), produce: produced?.targetColumns ?? [] }
  return { index, group, action, condition, produce: produced?.produce, reads }
}

function describe(clauses: readonly CompiledClause[], group: ClauseGroup): ClauseDescription[] {
  return clauses
    .filter((c) => c.group === group)
    .map((c) => (c.condition === undefined ? { actionType: c.action } : { predicate: c.condition.sql, actionType: c.action }))
}

function evolve(target: MergeTarget, source: StructType, spec: MergeSpec): { schema: StructType; metadata?: Metadata; protocol?: Protocol } {
  const star = spec.clauses.some((c) => c.kind === 'matchedUpdateAll' || c.kind === 'notMatchedInsertAll')
  if (spec.schemaMode !== 'merge' || !star) return { schema: target.schema }
  const merged = mergeSchemas(target.schema, source)
  if (!merged.changed) return { schema: target.schema }
  validateSchema(merged.schema, target.partitionColumns)
  const { schema, configuration } = assignColumnMapping(merged.schema, target.columnMappingMode, target.metadata.configuration, target.schema)
  const metadata: Metadata = { ...target.metadata, schemaString: serializeSchema(schema), configuration }
  const protocol = upgradeProtocol(target.protocol, schema, configuration)
  return { schema, metadata, ...(protocol === undefined ? {} : { protocol }) }
}

function checkAliases(spec: MergeSpec): void {
  if (spec.sourceAlias === '' || spec.targetAlias === '' || spec.sourceAlias.toLowerCase() === spec.targetAlias.toLowerCase()) {
    const message = `MERGE aliases: expected two different non-empty names, found target '${spec.targetAlias}' and source '${spec.sourceAlias}'`
    throw new MergeError('InvalidArgument', message, { context: { targetAlias: spec.targetAlias, sourceAlias: spec.sourceAlias } })
  }
}

/**
 * Plans a MERGE of a source with schema `source` into `target`; `context` fixes `current_timestamp()`.
 * @throws MergeError `InvalidArgument` (clause order, aliases, unknown or missing columns); PredicateError
 *   `InvalidPredicate` for an expression that does not bind; SchemaError when schemaMode 'merge' meets
 *   an incompatible source column.
 */
export function planMerge(target: MergeTarget, source: StructType, spec: MergeSpec, context: EvalContext): MergePlan {
  checkClauseOrder(spec.clauses)
  checkAliases(spec)
  const evolved = evolve(target, source, spec)
  const scope: MergeScope = [
    { alias: spec.targetAlias, schema: target.schema },
    { alias: spec.sourceAlias, schema: source },
  ]
  const join = analyzeJoin(spec.on, scope, context)
  const evolving = spec.schemaMode === 'merge'
  const compiled = spec.clauses.map((clause, i) => compileClause(clause, i, scope, context, evolved.schema, evolving))
  const parameters = {
    predicate: [join.sql],
    matchedPredicates: describe(compiled, 'matched'),
    notMatchedPredicates: describe(compiled, 'notMatched'),
    notMatchedBySourcePredicates: describe(compiled, 'notMatchedBySource'),
  }
  return {
    scope,
    join,
    matched: compiled.filter((c) => c.group === 'matched'),
    notMatched: compiled.filter((c) => c.group === 'notMatched'),
    notMatchedBySource: compiled.filter((c) => c.group === 'notMatchedBySource'),
    schema: evolved.schema,
    metadata: evolved.metadata,
    protocol: evolved.protocol,
    mode: target.config.enableDeletionVectors ? 'deletionVectors' : 'copyOnWrite',
    insertOnly: isInsertOnly(spec.clauses),
    multipleMatchesAllowed: allowsMultipleMatches(spec.clauses),
    parameters,
  }
}

/** The first clause of `clauses` whose condition is TRUE on `rows` (SQL: NULL is not TRUE). */
export function firstClause(clauses: readonly CompiledClause[], rows: Parameters<RowCondition['evaluate']>[0]): CompiledClause | undefined {
  return clauses.find((c) => c.condition === undefined || c.condition.evaluate(rows) === true)
}
