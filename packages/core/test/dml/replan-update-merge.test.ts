// UPDATE and MERGE re-plan after a conflicting commit (operations/run.ts, docs/row-level-plan.md §6):
// the loser plans and executes again on the new version and ends correct; the files of the discarded
// attempt are deleted; MERGE reads its source once (a one-shot generator still inserts on the second
// attempt) and types and hashes it again when a concurrent commit changed the schema; with
// `commit.maxReplans: 0` the conflict is thrown and the table keeps the winner's state.

import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Row } from '../../src/index.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'
import { keys, newTable, rowsAt, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'

const rows = (from: number, to: number): TestRow[] => Array.from({ length: to - from }, (_, i) => ({ id: from + i, p: 'a', v: from + i }))

async function filled(dv: boolean): Promise<Awaited<ReturnType<typeof newTable>>> {
  const t = await newTable({ dv, partitioned: false })
  await (await DeltaTable.open(t.engine)).write(rows(0, 10).map(toRow)) // v1: one file
  return t
}

/** A source that can be read only once. */
function* once(list: readonly Row[]): Generator<Row> {
  yield* list
}

type Loser = (table: DeltaTable, maxReplans?: number) => Promise<{ version: number | undefined; attempts: number; replans: number }>

const update: Loser = (table, maxReplans) =>
  table.update({ set: { v: 'v + 100' }, where: 'id = 1' }, maxReplans === undefined ? {} : { commit: { maxReplans } })

const merge: Loser = (table, maxReplans) =>
  table
    .merge(once([toRow({ id: 1, p: 'a', v: 101 }), toRow({ id: 20, p: 'a', v: 20 })]), { on: 'target.id = source.id' })
    .whenMatchedUpdateAll()
    .whenNotMatchedInsertAll()
    .execute(maxReplans === undefined ? {} : { commit: { maxReplans } })

/** Runs `loser` held at the commit of version 2 while another writer deletes id 2 (same file: a conflict). */
async function race(dv: boolean, loser: Loser, maxReplans?: number) {
  const { engine, store } = await filled(dv)
  const initial = await keys(store)
  const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000002.json')
  const pending = loser(await DeltaTable.open(createEngine(gated.store)), maxReplans)
  await gated.reached
  const firstAttempt = (await keys(store)).filter((k) => !initial.includes(k))
  expect(firstAttempt.length).toBeGreaterThan(0)
  expect(await (await DeltaTable.open(engine)).delete('id = 2')).toMatchObject({ version: 2, attempts: 1, replans: 0 })
  gated.open()
  const outcome = await pending.then((value) => ({ value }), (error: unknown) => ({ error }))
  const remaining = await keys(store)
  expect(firstAttempt.filter((k) => remaining.includes(k))).toEqual([]) // the discarded attempt's files are gone
  return { engine, outcome }
}

const expected = [0, 1, 3, 4, 5, 6, 7, 8, 9].map((id) => ({ id, p: 'a', v: id === 1 ? 101 : id }))

describe.each([true, false])('deletion vectors %s', (dv) => {
  it('UPDATE re-plans over a concurrent DELETE of the file it changes and ends correct', async () => {
    const { engine, outcome } = await race(dv, update)
    expect(outcome).toMatchObject({ value: { version: 3, attempts: 2, replans: 1, metrics: { numUpdatedRows: 1 } } })
    expect(await rowsAt(engine)).toEqual(expected)
    const history = await (await DeltaTable.open(engine)).history()
    expect(history.slice(0, 2).map((h) => [h.version, h.operation, h.readVersion])).toEqual([[3, 'UPDATE', 2], [2, 'DELETE', 1]])
  })

  it('MERGE re-plans over the same source read once and ends correct', async () => {
    const { engine, outcome } = await race(dv, merge)
    expect(outcome).toMatchObject({ value: { version: 3, attempts: 2, replans: 1, metrics: { numSourceRows: 2, numTargetRowsUpdated: 1, numTargetRowsInserted: 1 } } })
    expect(await rowsAt(engine)).toEqual([...expected, { id: 20, p: 'a', v: 20 }])
    const history = await (await DeltaTable.open(engine)).history()
    expect(history.slice(0, 2).map((h) => [h.version, h.operation, h.readVersion])).toEqual([[3, 'MERGE', 2], [2, 'DELETE', 1]])
  })

  it.each([
    ['UPDATE', update],
    ['MERGE', merge],
  ])('%s with maxReplans 0 throws the conflict and leaves the winner’s table', async (_name, loser) => {
    const { engine, outcome } = await race(dv, loser, 0)
    expect(outcome).toMatchObject({ error: { name: 'CommitConflictError', context: { winningVersion: 2, replans: 0 } } })
    expect((await DeltaTable.open(engine)).version).toBe(2)
    expect((await rowsAt(engine)).map((r) => r.id)).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9])
  })
})

describe('MERGE re-plans over a concurrent schema change (MetadataChanged)', () => {
  it('types and hashes its source again against the new schema and keeps the new column', async () => {
    const { engine, store } = await filled(true)
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000002.json')
    const pending = (await DeltaTable.open(createEngine(gated.store)))
      .merge(once([toRow({ id: 1, p: 'a', v: 101 }), toRow({ id: 20, p: 'a', v: 20 })]), { on: 'target.id = source.id' })
      .whenMatchedUpdate({ set: { v: 'source.v' } })
      .whenNotMatchedInsert({ values: { id: 'source.id', p: 'source.p', v: 'source.v' } })
      .execute()
    await gated.reached
    await (await DeltaTable.open(engine)).write([{ id: 10n, p: 'a', v: 10, w: 'new' }], { mode: 'append', schemaMode: 'merge' })
    gated.open()
    expect(await pending).toMatchObject({ version: 3, attempts: 2, replans: 1 })
    const table = await DeltaTable.open(engine)
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'p', 'v', 'w'])
    const rows = (await table.toArray()).map((r) => [Number(r['id']), r['v'], r['w']]).sort((a, b) => Number(a[0]) - Number(b[0]))
    expect(rows).toEqual([...rows.slice(0, 1), [1, 101, null], ...rows.slice(2, 10), [10, 10, 'new'], [20, 20, null]])
    expect(rows.slice(2, 10).map((r) => r[0])).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
  })
})
