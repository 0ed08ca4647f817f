// The clauses of a MERGE as the caller gives them (Spark's WHEN MATCHED / WHEN NOT MATCHED [BY
// TARGET] / WHEN NOT MATCHED BY SOURCE), and the checks on their order. Pure.

import { MergeError } from '../../errors.js'

/** Column name → SQL expression (`{ v: 'source.v + 1' }`). */
export type Assignments = Readonly<Record<string, string>>

/** One clause, in the order given. `condition` is a SQL boolean expression over target and source. */
export type MergeClause =
  | { readonly kind: 'matchedUpdate'; readonly set: Assignments; readonly condition?: string }
  | { readonly kind: 'matchedUpdateAll'; readonly condition?: string }
  | { readonly kind: 'matchedDelete'; readonly condition?: string }
  | { readonly kind: 'notMatchedInsert'; readonly values: Assignments; readonly condition?: string }
  | { readonly kind: 'notMatchedInsertAll'; readonly condition?: string }
  | { readonly kind: 'notMatchedBySourceUpdate'; readonly set: Assignments; readonly condition?: string }
  | { readonly kind: 'notMatchedBySourceDelete'; readonly condition?: string }

/** Which rows a clause acts on: matched pairs, source rows without a match, target rows without a match. */
export type ClauseGroup = 'matched' | 'notMatched' | 'notMatchedBySource'

/** What a clause does to its row. */
export type ClauseAction = 'update' | 'delete' | 'insert'

/** The group and action of a clause kind. */
export function clauseShape(clause: MergeClause): { readonly group: ClauseGroup; readonly action: ClauseAction } {
  switch (clause.kind) {
    case 'matchedUpdate':
    case 'matchedUpdateAll':
      return { group: 'matched', action: 'update' }
    case 'matchedDelete':
      return { group: 'matched', action: 'delete' }
    case 'notMatchedInsert':
    case 'notMatchedInsertAll':
      return { group: 'notMatched', action: 'insert' }
    case 'notMatchedBySourceUpdate':
      return { group: 'notMatchedBySource', action: 'update' }
    case 'notMatchedBySourceDelete':
      return { group: 'notMatchedBySource', action: 'delete' }
  }
}

const GROUP_NAMES: Readonly<Record<ClauseGroup, string>> = {
  matched: 'WHEN MATCHED',
  notMatched: 'WHEN NOT MATCHED',
  notMatchedBySource: 'WHEN NOT MATCHED BY SOURCE',
}

/**
 * Checks Spark's rules on clauses: at least one, and within each group an unconditional clause only last.
 * @throws MergeError `InvalidArgument` naming the clause (`context.clause`, its 0-based index).
 */
export function checkClauseOrder(clauses: readonly MergeClause[]): void {
  if (clauses.length === 0) {
    throw new MergeError('InvalidArgument', 'MERGE needs at least one WHEN clause, found none', { context: { clauses: 0 } })
  }
  const unconditional = new Map<ClauseGroup, number>()
  clauses.forEach((clause, index) => {
    const { group } = clauseShape(clause)
    const earlier = unconditional.get(group)
    if (earlier !== undefined) {
      const message =
        `${GROUP_NAMES[group]} clause ${index} follows clause ${earlier}, which has no condition: ` +
        `expected an unconditional ${GROUP_NAMES[group]} clause to be the last of its kind, found one before another`
      throw new MergeError('InvalidArgument', message, { context: { clause: index, unconditional: earlier } })
    }
    if (clause.condition === undefined) unconditional.set(group, index)
  })
}

/** True when the MERGE only inserts (Spark's InsertOnlyMergeExecutor): every clause is a WHEN NOT MATCHED insert. */
export function isInsertOnly(clauses: readonly MergeClause[]): boolean {
  return clauses.every((c) => clauseShape(c).group === 'notMatched')
}

/** Spark's exception to the multiple-match rule: the only matched clause is an unconditional delete. */
export function allowsMultipleMatches(clauses: readonly MergeClause[]): boolean {
  const matched = clauses.filter((c) => clauseShape(c).group === 'matched')
  return matched.length === 0 || (matched.length === 1 && matched[0]?.kind === 'matchedDelete' && matched[0].condition === undefined)
}
