// The runner and command generators of the model-based DML test (model.test.ts, docs/row-level-plan.md
// §11), shared by its local run and its S3 run (the repository's test/s3/dml-model.test.ts): random
// appends, deletes, updates (random predicates and SET lists) and merges (model-merge.ts) applied to a
// table in any store and to an in-memory model (an array of rows). After every step the table equals
// the model, the DELETE/UPDATE metrics count the model's deleted/updated rows, and at the end every
// earlier version equals the model then and, with the change data feed on, changes(a, b) equals the
// model's changes of versions a..b (model-changes.ts).

import fc from 'fast-check'
import { expect } from 'vitest'
import type { ObjectStore } from '@lake/storage'
import { DeltaTable } from '../../src/index.js'
import { createTable, newTable, rowsAt, sortRows, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'
import { ChangeModel } from './model-changes.js'
import { mergeCommand, mergeStep } from './model-merge.js'
import type { MergeCommand } from './model-merge.js'

type Pred =
  | { readonly op: 'cmp'; readonly col: 'id' | 'v'; readonly cmp: '<' | '>=' | '='; readonly value: number }
  | { readonly op: 'isNull'; readonly not: boolean }
  | { readonly op: 'pIn'; readonly values: readonly string[] }
  | { readonly op: 'and' | 'or'; readonly left: Pred; readonly right: Pred }
  | { readonly op: 'not'; readonly inner: Pred }

/** One SET of an UPDATE: a literal (null included) or a small expression over the row as it was. */
type SetItem =
  | { readonly col: 'id'; readonly value: number }
  | { readonly col: 'id'; readonly plus: number }
  | { readonly col: 'p'; readonly value: string | null }
  | { readonly col: 'p'; readonly upper: true }
  | { readonly col: 'v'; readonly value: number | null | 'v' }
  | { readonly col: 'v'; readonly plus: number }
  | { readonly col: 'v'; readonly coalesce: number }

export type Command =
  | { readonly kind: 'append'; readonly rows: readonly TestRow[] }
  | { readonly kind: 'delete'; readonly pred: Pred | undefined }
  | { readonly kind: 'update'; readonly set: readonly SetItem[]; readonly pred: Pred | undefined }
  | MergeCommand

const P_VALUES = ['a', 'b', 'c']

const leaf: fc.Arbitrary<Pred> = fc.oneof(
  fc.record({ op: fc.constant('cmp' as const), col: fc.constantFrom('id' as const, 'v' as const), cmp: fc.constantFrom('<' as const, '>=' as const, '=' as const), value: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ op: fc.constant('isNull' as const), not: fc.boolean() }),
  fc.record({ op: fc.constant('pIn' as const), values: fc.subarray(P_VALUES, { minLength: 1 }) }),
)
const pred: fc.Arbitrary<Pred> = fc.letrec<{ p: Pred }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ op: fc.constantFrom('and' as const, 'or' as const), left: tie('p'), right: tie('p') }),
    fc.record({ op: fc.constant('not' as const), inner: tie('p') }),
  ),
})).p

const row: fc.Arbitrary<TestRow> = fc.record({
  id: fc.integer({ min: 0, max: 30 }),
  p: fc.constantFrom(...P_VALUES),
  v: fc.option(fc.integer({ min: 0, max: 30 }), { freq: 5, nil: null }),
})
const small = fc.integer({ min: -3, max: 3 })
const setItem: fc.Arbitrary<SetItem> = fc.oneof(
  fc.record({ col: fc.constant('id' as const), value: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ col: fc.constant('id' as const), plus: small }),
  fc.record({ col: fc.constant('p' as const), value: fc.option(fc.constantFrom(...P_VALUES), { freq: 5, nil: null }) }),
  fc.record({ col: fc.constant('p' as const), upper: fc.constant(true as const) }),
  fc.record({ col: fc.constant('v' as const), value: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.constantFrom(null, 'v' as const)) }),
  fc.record({ col: fc.constant('v' as const), plus: small }),
  fc.record({ col: fc.constant('v' as const), coalesce: small }),
)
export const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), rows: fc.array(row, { minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('delete' as const), pred: fc.option(pred, { freq: 8, nil: undefined }) }),
  fc.record({
    kind: fc.constant('update' as const),
    set: fc.uniqueArray(setItem, { minLength: 1, maxLength: 3, selector: (item) => item.col }),
    pred: fc.option(pred, { freq: 8, nil: undefined }),
  }),
  mergeCommand,
)

function itemSql(item: SetItem): string {
  if ('plus' in item) return `${item.col} + (${item.plus})`
  if ('upper' in item) return 'upper(p)'
  if ('coalesce' in item) return `COALESCE(v, ${item.coalesce})`
  if (item.value === null) return 'NULL'
  return typeof item.value === 'number' ? String(item.value) : item.col === 'p' ? `'${item.value}'` : item.value
}

function setSql(items: readonly SetItem[]): Record<string, string> {
  return Object.fromEntries(items.map((item) => [item.col, itemSql(item)]))
}

/** The value of one SET item on the row as it was. */
function itemValue(item: SetItem, r: TestRow): number | string | null {
  if ('plus' in item) return item.col === 'id' ? r.id + item.plus : r.v === null ? null : r.v + item.plus
  if ('upper' in item) return r.p === null ? null : r.p.toUpperCase()
  if ('coalesce' in item) return r.v ?? item.coalesce
  return item.value === 'v' ? r.v : item.value
}

/** The row after the SET list (every value from the row as it was). */
function applySet(r: TestRow, items: readonly SetItem[]): TestRow {
  let next = r
  for (const item of items) next = { ...next, [item.col]: itemValue(item, r) }
  return next
}

function sql(p: Pred): string {
  switch (p.op) {
    case 'cmp':
      return `${p.col} ${p.cmp} ${p.value}`
    case 'isNull':
      return `v IS ${p.not ? 'NOT ' : ''}NULL`
    case 'pIn':
      return `p IN (${p.values.map((v) => `'${v}'`).join(', ')})`
    case 'and':
    case 'or':
      return `(${sql(p.left)}) ${p.op.toUpperCase()} (${sql(p.right)})`
    case 'not':
      return `NOT (${sql(p.inner)})`
  }
}

/** SQL three-valued evaluation: true, false or null (unknown). */
function evaluate(p: Pred, r: TestRow): boolean | null {
  switch (p.op) {
    case 'cmp': {
      const x = r[p.col]
      if (x === null) return null
      return p.cmp === '<' ? x < p.value : p.cmp === '>=' ? x >= p.value : x === p.value
    }
    case 'isNull':
      return (r.v === null) !== p.not
    case 'pIn':
      return r.p === null ? null : p.values.includes(r.p)
    case 'and': {
      const [a, b] = [evaluate(p.left, r), evaluate(p.right, r)]
      return a === false || b === false ? false : a === null || b === null ? null : true
    }
    case 'or': {
      const [a, b] = [evaluate(p.left, r), evaluate(p.right, r)]
      return a === true || b === true ? true : a === null || b === null ? null : false
    }
    case 'not': {
      const a = evaluate(p.inner, r)
      return a === null ? null : !a
    }
  }
}

interface ModelState {
  readonly versions: TestRow[][]
  model: TestRow[]
  readonly feed: ChangeModel
}

async function step(table: DeltaTable, c: Command, state: ModelState): Promise<void> {
  const { versions, feed } = state
  if (c.kind === 'append') {
    await table.write(c.rows.map(toRow))
    state.model = [...state.model, ...c.rows]
    versions.push(state.model)
    feed.record(versions.length - 1, c.rows.map((r) => ['insert', r] as const))
  } else if (c.kind === 'update') {
    const matches = (r: TestRow): boolean => c.pred === undefined || evaluate(c.pred, r) === true
    const result = await table.update({ set: setSql(c.set), ...(c.pred === undefined ? {} : { where: sql(c.pred) }) })
    expect(result.metrics.numUpdatedRows).toBe(state.model.filter(matches).length)
    const updated = state.model.filter(matches)
    state.model = state.model.map((r) => (matches(r) ? applySet(r, c.set) : r))
    if (result.version !== undefined) versions.push(state.model)
    const images = updated.flatMap((r) => [['update_preimage', r] as const, ['update_postimage', applySet(r, c.set)] as const])
    if (result.version !== undefined) feed.record(result.version, images)
    expect(result.version === undefined).toBe(result.metrics.numUpdatedRows === 0)
  } else if (c.kind === 'merge') {
    const merged = await mergeStep(table, state.model, c)
    state.model = [...merged.rows]
    if (merged.committed) versions.push(state.model)
    if (merged.version !== undefined) feed.record(merged.version, merged.changes)
  } else {
    const deleted = state.model.filter((r) => c.pred === undefined || evaluate(c.pred, r) === true)
    const result = await table.delete(c.pred === undefined ? undefined : sql(c.pred))
    expect(result.metrics.numDeletedRows).toBe(deleted.length)
    state.model = state.model.filter((r) => !deleted.includes(r))
    if (result.version !== undefined) versions.push(state.model)
    if (result.version !== undefined) feed.record(result.version, deleted.map((r) => ['delete', r] as const))
    if (deleted.length > 0) expect(result.version).toBe(versions.length - 1)
    if (result.version === undefined) expect(deleted).toEqual([])
  }
}

/** Runs `commands` on a new table (in memory, or in `store()`; with extra table properties) and on the model; asserts after every step and at the end. */
export async function run(dv: boolean, partitioned: boolean, cdf: boolean, commands: readonly Command[], store?: () => ObjectStore, configuration?: Record<string, string>): Promise<void> {
  const options = { dv, partitioned, cdf, ...(configuration === undefined ? {} : { configuration }) }
  const engine = store === undefined ? (await newTable(options)).engine : await createTable(store(), options)
  const state: ModelState = { versions: [[]], model: [], feed: new ChangeModel() }
  for (const c of commands) {
    await step(await DeltaTable.open(engine), c, state)
    expect(await rowsAt(engine)).toEqual(sortRows(state.model))
  }
  for (const [version, rows] of state.versions.entries()) expect(await rowsAt(engine, version)).toEqual(sortRows(rows))
  if (cdf) await state.feed.check(engine, state.versions.length - 1)
}
