// The Merge command of the model-based DML test (docs/row-level-plan.md §11): random sources (keys with
// duplicates, NULL values), random clauses in Spark's order with random conditions, their SQL, and
// the model's result (the new rows and counts, or the MultipleSourceRowsMatched failure).

import fc from 'fast-check'
import { expect } from 'vitest'
import type { DeltaTable } from '../../src/index.js'
import { toRow } from './helpers.js'
import type { TestRow } from './helpers.js'

type Side = 'target' | 'source'

/** A condition over one side's `v` or `id`. */
export type MergeCond =
  | { readonly op: 'cmp'; readonly side: Side; readonly col: 'id' | 'v'; readonly cmp: '<' | '>=' | '='; readonly value: number }
  | { readonly op: 'isNull'; readonly side: Side; readonly not: boolean }

/** One clause of a model MERGE. */
export type ModelClause =
  | { readonly group: 'matched'; readonly action: 'updateSource' | 'updateAll' | 'increment' | 'delete'; readonly cond: MergeCond | undefined }
  | { readonly group: 'notMatched'; readonly action: 'insert'; readonly cond: MergeCond | undefined }
  | { readonly group: 'bySource'; readonly action: 'increment' | 'delete'; readonly cond: MergeCond | undefined }

/** The Merge command: its source rows and clauses (already in a legal order). */
export interface MergeCommand {
  readonly kind: 'merge'
  readonly source: readonly TestRow[]
  readonly clauses: readonly ModelClause[]
}

const P_VALUES = ['a', 'b', 'c']

const cond = (sides: readonly Side[]): fc.Arbitrary<MergeCond> =>
  fc.oneof(
    fc.record({ op: fc.constant('cmp' as const), side: fc.constantFrom(...sides), col: fc.constantFrom('id' as const, 'v' as const), cmp: fc.constantFrom('<' as const, '>=' as const, '=' as const), value: fc.integer({ min: 0, max: 30 }) }),
    fc.record({ op: fc.constant('isNull' as const), side: fc.constantFrom(...sides), not: fc.boolean() }),
  )
const maybe = (sides: readonly Side[]): fc.Arbitrary<MergeCond | undefined> => fc.option(cond(sides), { freq: 2, nil: undefined })

const clause: fc.Arbitrary<ModelClause> = fc.oneof(
  fc.record({ group: fc.constant('matched' as const), action: fc.constantFrom('updateSource' as const, 'updateAll' as const, 'increment' as const, 'delete' as const), cond: maybe(['target', 'source']) }),
  fc.record({ group: fc.constant('notMatched' as const), action: fc.constant('insert' as const), cond: maybe(['source']) }),
  fc.record({ group: fc.constant('bySource' as const), action: fc.constantFrom('increment' as const, 'delete' as const), cond: maybe(['target']) }),
)

/** Keeps, per group, the clauses up to the first unconditional one (Spark's rule), in Spark's group order. */
function legal(clauses: readonly ModelClause[]): ModelClause[] {
  const out: ModelClause[] = []
  for (const group of ['matched', 'notMatched', 'bySource'] as const) {
    for (const c of clauses.filter((x) => x.group === group)) {
      out.push(c)
      if (c.cond === undefined) break
    }
  }
  return out
}

const sourceRow: fc.Arbitrary<TestRow> = fc.record({
  id: fc.integer({ min: 0, max: 30 }),
  p: fc.constantFrom(...P_VALUES),
  v: fc.option(fc.integer({ min: 0, max: 30 }), { freq: 5, nil: null }),
})

const updateAll: ModelClause = { group: 'matched', action: 'updateAll', cond: undefined }
const matchedDelete: ModelClause = { group: 'matched', action: 'delete', cond: undefined }
const insertAll: ModelClause = { group: 'notMatched', action: 'insert', cond: undefined }

/** The plain upserts the CLI's `lake merge` produces (the columnar upsert route, operations/merge/columnar-route.ts). */
const plainUpsert: fc.Arbitrary<ModelClause[]> = fc.constantFrom([updateAll, insertAll], [updateAll], [insertAll], [matchedDelete, insertAll])

/** Plain upserts (the columnar route) of 0-8 random source rows (duplicate and new keys likely). */
export const upsertCommand: fc.Arbitrary<MergeCommand> = fc.record({
  kind: fc.constant('merge' as const),
  source: fc.array(sourceRow, { maxLength: 8 }),
  clauses: plainUpsert,
})

/** Random Merge commands: 0-8 source rows (duplicate keys likely), 1-4 random clauses or a plain upsert. */
export const mergeCommand: fc.Arbitrary<MergeCommand> = fc.record({
  kind: fc.constant('merge' as const),
  source: fc.array(sourceRow, { maxLength: 8 }),
  clauses: fc.oneof(fc.array(clause, { minLength: 1, maxLength: 4 }).map(legal), plainUpsert),
})

function condSql(c: MergeCond): string {
  return c.op === 'cmp' ? `${c.side}.${c.col} ${c.cmp} ${c.value}` : `${c.side}.v IS ${c.not ? 'NOT ' : ''}NULL`
}

function holds(c: MergeCond | undefined, t: TestRow | undefined, s: TestRow | undefined): boolean {
  if (c === undefined) return true
  const row = c.side === 'target' ? t : s
  if (c.op === 'isNull') return ((row?.v ?? null) === null) !== c.not
  const x = row?.[c.col] ?? null
  if (x === null) return false
  return c.cmp === '<' ? x < c.value : c.cmp === '>=' ? x >= c.value : x === c.value
}

/** Applies the model clauses through the table's MERGE builder. */
export function buildMerge<B extends MergeBuilderLike<B>>(builder: B, clauses: readonly ModelClause[]): B {
  return clauses.reduce((b, c) => {
    const condition = c.cond === undefined ? {} : { condition: condSql(c.cond) }
    if (c.group === 'notMatched') return b.whenNotMatchedInsertAll(condition)
    if (c.group === 'matched') {
      if (c.action === 'delete') return b.whenMatchedDelete(condition)
      if (c.action === 'updateAll') return b.whenMatchedUpdateAll(condition)
      return b.whenMatchedUpdate({ set: { v: c.action === 'updateSource' ? 'source.v' : 'target.v + 1' }, ...condition })
    }
    return c.action === 'delete' ? b.whenNotMatchedBySourceDelete(condition) : b.whenNotMatchedBySourceUpdate({ set: { v: 'target.v + 1' }, ...condition })
  }, builder)
}

/** The builder methods the model uses. */
export interface MergeBuilderLike<B> {
  whenMatchedUpdate(c: { set: Record<string, string>; condition?: string }): B
  whenMatchedDelete(c: { condition?: string }): B
  whenMatchedUpdateAll(c: { condition?: string }): B
  whenNotMatchedInsertAll(c: { condition?: string }): B
  whenNotMatchedBySourceUpdate(c: { set: Record<string, string>; condition?: string }): B
  whenNotMatchedBySourceDelete(c: { condition?: string }): B
}

/** What the model says a MERGE does. */
export type ModelMergeResult =
  | { readonly kind: 'fails' }
  | { readonly kind: 'ok'; readonly rows: TestRow[]; readonly inserted: number; readonly updated: number; readonly deleted: number; readonly changes: ModelChange[] }

/** One change of the model's MERGE, as the change data feed records it. */
export type ModelChange = readonly ['insert' | 'delete' | 'update_preimage' | 'update_postimage', TestRow]

function act(c: ModelClause, t: TestRow, s: TestRow | undefined): TestRow | undefined {
  if (c.action === 'delete') return undefined
  if (c.action === 'updateSource') return { ...t, v: s?.v ?? null }
  if (c.action === 'updateAll') return s === undefined ? t : { id: t.id, p: s.p, v: s.v }
  return { ...t, v: t.v === null ? null : t.v + 1 }
}

/** Runs a MERGE on the model's rows (Spark's semantics). */
export function modelMerge(rows: readonly TestRow[], command: MergeCommand): ModelMergeResult {
  const matched = command.clauses.filter((c) => c.group === 'matched')
  const multipleAllowed = matched.length === 0 || (matched.length === 1 && matched[0]?.action === 'delete' && matched[0].cond === undefined)
  const used = new Set<number>()
  const out: TestRow[] = []
  const changes: ModelChange[] = []
  let [updated, deleted] = [0, 0]
  for (const t of rows) {
    const matches = command.source.flatMap((s, i) => (s.id === t.id ? [i] : []))
    if (matches.length > 1 && !multipleAllowed) return { kind: 'fails' }
    matches.forEach((i) => used.add(i))
    const s = matches.length === 0 ? undefined : command.source[matches[0] as number]
    const group = matches.length === 0 ? 'bySource' : 'matched'
    const clause = command.clauses.find((c) => c.group === group && holds(c.cond, t, s))
    const next = clause === undefined ? t : act(clause, t, s)
    if (clause !== undefined && next === undefined) deleted++
    else if (clause !== undefined) updated++
    if (clause !== undefined) changes.push(...(next === undefined ? [['delete', t] as const] : [['update_preimage', t] as const, ['update_postimage', next] as const]))
    if (next !== undefined) out.push(next)
  }
  const inserts = command.source.filter((s, i) => !used.has(i) && command.clauses.find((c) => c.group === 'notMatched' && holds(c.cond, undefined, s)) !== undefined)
  changes.push(...inserts.map((r) => ['insert', r] as const))
  return { kind: 'ok', rows: [...out, ...inserts], inserted: inserts.length, updated, deleted, changes }
}

/**
 * One Merge step of the model test: runs it on `table` and the model and checks they agree (a
 * duplicate-key failure must be MultipleSourceRowsMatched and leave the version unchanged).
 * Returns the new model rows and whether a version was committed.
 */
export async function mergeStep(table: DeltaTable, model: readonly TestRow[], command: MergeCommand): Promise<{ rows: readonly TestRow[]; committed: boolean; version?: number; changes: readonly ModelChange[] }> {
  const expected = modelMerge(model, command)
  const run = buildMerge(table.merge(command.source.map(toRow), { on: 'target.id = source.id' }), command.clauses).execute()
  if (expected.kind === 'fails') {
    await expect(run).rejects.toMatchObject({ code: 'MultipleSourceRowsMatched' })
    expect((await table.refresh()).version).toBe(table.version)
    return { rows: model, committed: false, changes: [] }
  }
  const result = await run
  expect(result.metrics).toMatchObject({ numTargetRowsInserted: expected.inserted, numTargetRowsUpdated: expected.updated, numTargetRowsDeleted: expected.deleted })
  const changed = expected.inserted + expected.updated + expected.deleted > 0
  expect(result.version).toBe(changed ? table.version + 1 : undefined)
  return { rows: expected.rows, committed: changed, ...(result.version === undefined ? {} : { version: result.version }), changes: expected.changes }
}
