// The clauses `lake merge` builds from its options (pure): --when-matched update-all | delete |
// 'update:col = expr, ...' (with --when-matched-condition), --when-not-matched insert-all | none,
// --when-not-matched-by-source delete | none.

import { UsageError } from '../usage-error.js'

/** One clause for the core MergeBuilder. */
export type CliMergeClause =
  | { readonly kind: 'matchedUpdateAll' | 'matchedDelete'; readonly condition?: string }
  | { readonly kind: 'matchedUpdate'; readonly set: Readonly<Record<string, string>>; readonly condition?: string }
  | { readonly kind: 'notMatchedInsertAll' }
  | { readonly kind: 'notMatchedBySourceDelete' }

/** Splits `text` at commas outside quotes and parentheses. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote: string | undefined
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quote !== undefined) {
      if (c === quote) quote = undefined
    } else if (c === "'" || c === '"' || c === '`') quote = c
    else if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

/**
 * `col = expr, col2 = expr2` as assignments (column → SQL expression).
 * @throws UsageError for a part without `=` or a column named twice.
 */
export function parseAssignments(text: string): Record<string, string> {
  const set: Record<string, string> = Object.create(null) as Record<string, string>
  for (const part of splitTopLevel(text)) {
    const eq = part.indexOf('=')
    const column = eq <= 0 ? '' : part.slice(0, eq).trim().replace(/^`(.*)`$/, '$1')
    const expression = eq <= 0 ? '' : part.slice(eq + 1).trim()
    if (column === '' || expression === '') throw new UsageError(`--when-matched update: expected 'column = expression', found '${part}'`, "e.g. --when-matched 'update:v = source.v, updated = current_timestamp()'")
    if (Object.hasOwn(set, column)) throw new UsageError(`--when-matched update: column '${column}' is assigned twice`, 'assign each column once')
    set[column] = expression
  }
  if (Object.keys(set).length === 0) throw new UsageError("--when-matched update: expected at least one 'column = expression', found none", "e.g. --when-matched 'update:v = source.v'")
  return set
}

/** What the options ask for. */
export interface MergeClauseOptions {
  readonly whenMatched?: string | undefined
  readonly whenMatchedCondition?: string | undefined
  readonly whenNotMatched?: string | undefined
  readonly whenNotMatchedBySource?: string | undefined
}

function matchedClause(value: string, condition: string | undefined): CliMergeClause {
  const cond = condition === undefined ? {} : { condition }
  if (value === 'update-all') return { kind: 'matchedUpdateAll', ...cond }
  if (value === 'delete') return { kind: 'matchedDelete', ...cond }
  if (value.startsWith('update:')) return { kind: 'matchedUpdate', set: parseAssignments(value.slice('update:'.length)), ...cond }
  throw new UsageError(`--when-matched: expected update-all, delete or 'update:col = expr,...', found '${value}'`, "the upsert is --when-matched update-all --when-not-matched insert-all")
}

/**
 * The clauses, in Spark's order: matched, not matched, not matched by source.
 * @throws UsageError for unknown values, a condition without --when-matched, or no clause at all.
 */
export function mergeClauses(options: MergeClauseOptions): CliMergeClause[] {
  const clauses: CliMergeClause[] = []
  if (options.whenMatched !== undefined) clauses.push(matchedClause(options.whenMatched, options.whenMatchedCondition))
  else if (options.whenMatchedCondition !== undefined) throw new UsageError('--when-matched-condition needs --when-matched', 'add --when-matched update-all, delete or update:...')
  if (options.whenNotMatched === 'insert-all') clauses.push({ kind: 'notMatchedInsertAll' })
  else if (options.whenNotMatched !== undefined && options.whenNotMatched !== 'none') throw new UsageError(`--when-not-matched: expected insert-all or none, found '${options.whenNotMatched}'`, 'use insert-all or none')
  if (options.whenNotMatchedBySource === 'delete') clauses.push({ kind: 'notMatchedBySourceDelete' })
  else if (options.whenNotMatchedBySource !== undefined && options.whenNotMatchedBySource !== 'none') throw new UsageError(`--when-not-matched-by-source: expected delete or none, found '${options.whenNotMatchedBySource}'`, 'use delete or none')
  if (clauses.length === 0) throw new UsageError('lake merge: expected at least one clause, found none', 'give --when-matched, --when-not-matched insert-all or --when-not-matched-by-source delete')
  return clauses
}
