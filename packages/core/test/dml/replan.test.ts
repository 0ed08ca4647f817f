// Re-planning after a conflict (operations/run.ts, docs/row-level-plan.md §6): DELETE re-plans against
// the new snapshot and succeeds; the files of the discarded attempt are deleted; maxReplans bounds it
// (0 disables) and is validated; a conflict a re-plan cannot resolve is thrown at once; the runner is
// generic (a spec of plan + execute, as UPDATE and MERGE plug in).

import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import { runOperation, Transaction } from '../../src/internal.js'
import type { AddFile, Engine, OperationSpec, Snapshot } from '../../src/internal.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'
import { keys, newTable, rowsAt, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'

const rows = (from: number, to: number): TestRow[] => Array.from({ length: to - from }, (_, i) => ({ id: from + i, p: 'a', v: from + i }))
const ids = (list: readonly TestRow[]): number[] => list.map((r) => r.id)

async function filled(dv: boolean): Promise<Awaited<ReturnType<typeof newTable>>> {
  const t = await newTable({ dv, partitioned: false })
  await (await DeltaTable.open(t.engine)).write(rows(0, 10).map(toRow)) // v1: one file
  return t
}

describe('DELETE re-plans after a conflicting commit', () => {
  it.each([true, false])('deletion vectors %s: the loser reads the new version, deletes its row and reports one replan', async (dv) => {
    const { engine, store } = await filled(dv)
    const initial = await keys(store)
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000002.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).delete('id = 1')
    await gated.reached
    const firstAttempt = (await keys(store)).filter((k) => !initial.includes(k))
    expect(firstAttempt).toHaveLength(1) // its DV file or its rewritten data file
    const winner = await (await DeltaTable.open(engine)).delete('id = 2')
    expect(winner).toMatchObject({ version: 2, attempts: 1, replans: 0 })
    gated.open()
    const result = await loser
    expect(result).toMatchObject({ version: 3, attempts: 2, replans: 1, metrics: { numDeletedRows: 1 } })
    expect(ids(await rowsAt(engine))).toEqual([0, 3, 4, 5, 6, 7, 8, 9])
    expect(await keys(store)).not.toContain(firstAttempt[0]) // the discarded attempt's file is gone
    const history = await (await DeltaTable.open(engine)).history()
    expect(history.map((h) => [h.version, h.operation, h.readVersion])).toEqual([
      [3, 'DELETE', 2],
      [2, 'DELETE', 1],
      [1, 'WRITE', 0],
      [0, 'CREATE TABLE', undefined],
    ])
  })

  it('re-plans over a concurrent schema change (MetadataChanged) and keeps the new column', async () => {
    const { engine, store } = await filled(true)
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000002.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).delete('id = 1')
    await gated.reached
    await (await DeltaTable.open(engine)).write([{ id: 10n, p: 'a', v: 10, w: 'new' }], { mode: 'append', schemaMode: 'merge' })
    gated.open()
    expect(await loser).toMatchObject({ version: 3, attempts: 2, replans: 1 })
    const table = await DeltaTable.open(engine)
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'p', 'v', 'w'])
    expect((await table.toArray()).map((r) => Number(r['id'])).sort((a, b) => a - b)).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('a re-plan that finds no matching row left commits nothing', async () => {
    const { engine, store } = await filled(true)
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000002.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).delete('id < 3')
    await gated.reached
    await (await DeltaTable.open(engine)).delete('id < 5')
    gated.open()
    expect(await loser).toMatchObject({ version: undefined, attempts: 2, replans: 1, metrics: { numDeletedRows: 0 } })
    expect((await DeltaTable.open(engine)).version).toBe(2)
  })

  it('refuses a maxReplans that is not a non-negative integer before any I/O', async () => {
    const { engine, store } = await filled(true)
    const before = await keys(store)
    for (const maxReplans of [-1, 1.5, Number.NaN]) {
      await expect((await DeltaTable.open(engine)).delete('id = 1', { commit: { maxReplans } })).rejects.toMatchObject({
        name: 'InvalidArgumentError',
        code: 'InvalidArgument',
        context: { maxReplans },
      })
    }
    expect(await keys(store)).toEqual(before)
  })
})

describe('DELETE against a concurrent OPTIMIZE (row-level-plan §15: delete-read ignores dataChange=false removes)', () => {
  /** Partition a: files [0..4], [5..9]; partition b: files [10, 12, 14], [16, 18]. Deletion vectors on. */
  async function twoPartitions(): Promise<Awaited<ReturnType<typeof newTable>>> {
    const t = await newTable({ dv: true, partitioned: true })
    const table = await DeltaTable.open(t.engine)
    const write = async (list: number[], p: string): Promise<void> => void (await table.write(list.map((id) => toRow({ id, p, v: id }))))
    await write([0, 1, 2, 3, 4], 'a')
    await write([5, 6, 7, 8, 9], 'a')
    await write([10, 12, 14], 'b')
    await write([16, 18], 'b') // v4
    return t
  }

  it('commits without re-planning when the OPTIMIZE compacted only files the DELETE read', async () => {
    const { engine, store } = await twoPartitions()
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000005.json')
    // Reads [0..4] (marks 1) and [10, 12, 14] (stats admit 11, no row matches); [16, 18] is pruned.
    const loser = (await DeltaTable.open(createEngine(gated.store))).delete('id = 1 OR id = 11')
    await gated.reached
    expect((await (await DeltaTable.open(engine)).optimize({ where: "p = 'b'" })).version).toBe(5)
    gated.open()
    expect(await loser).toMatchObject({ version: 6, attempts: 1, replans: 0, metrics: { numDeletedRows: 1 } })
    expect(ids(await rowsAt(engine))).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18])
  })

  it('re-plans (ConcurrentDeleteDelete) when the OPTIMIZE compacted the file the DELETE changes, deleting from the new file', async () => {
    const { engine, store } = await twoPartitions()
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000005.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).delete('id = 1')
    await gated.reached
    expect((await (await DeltaTable.open(engine)).optimize({ where: "p = 'a'" })).version).toBe(5)
    gated.open()
    expect(await loser).toMatchObject({ version: 6, attempts: 2, replans: 1, metrics: { numDeletedRows: 1, numDeletionVectorsAdded: 1 } })
    expect(ids(await rowsAt(engine))).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18])
  })

  it('with re-planning off, that conflict is ConcurrentDeleteDelete', async () => {
    const { engine, store } = await twoPartitions()
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000005.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).delete('id = 1', { commit: { maxReplans: 0 } })
    await gated.reached
    await (await DeltaTable.open(engine)).optimize({ where: "p = 'a'" })
    gated.open()
    await expect(loser).rejects.toMatchObject({ name: 'CommitConflictError', context: { reason: 'ConcurrentDeleteDelete', winningVersion: 5, replans: 0 } })
  })
})

/** A spec that removes every file; before each of its first `interfere` attempts returns, another writer deletes row `k`. */
function removeAllSpec(engine: Engine, other: Engine, interfere: number, seen: number[]): OperationSpec<readonly AddFile[], { version: number | undefined }> {
  return {
    name: 'REMOVE ALL',
    plan: (snapshot: Snapshot) => snapshot.files(),
    execute: async (files, snapshot, context) => {
      seen.push(snapshot.version)
      const txn = Transaction.begin(engine, snapshot, { operation: { kind: 'delete' }, intent: { removesData: true }, commit: context.commit })
      txn.removeFiles(files).readFiles(files.map((f) => f.path)).readWholeTable()
      if (seen.length <= interfere) await (await DeltaTable.open(other)).delete(`id = ${seen.length}`)
      return { txn, written: {}, result: (version) => ({ version }) }
    },
  }
}

describe('runOperation', () => {
  it('plans and executes again on each fresh snapshot until the commit lands, up to maxReplans', async () => {
    const { engine } = await filled(true)
    const seen: number[] = []
    const result = await runOperation(engine, removeAllSpec(engine, engine, 3, seen), { commit: { maxReplans: 3 } })
    expect(seen).toEqual([1, 2, 3, 4])
    expect(result).toEqual({ version: 5, attempts: 4, replans: 3 })
    expect(await rowsAt(engine)).toEqual([])
  })

  it('gives up after maxReplans with the last conflict, context.replans and the count in the message', async () => {
    const { engine } = await filled(true)
    const seen: number[] = []
    const run = runOperation(engine, removeAllSpec(engine, engine, 10, seen), { commit: { maxReplans: 2 } })
    await expect(run).rejects.toMatchObject({
      name: 'CommitConflictError',
      reason: 'ConcurrentDeleteDelete',
      context: { reason: 'ConcurrentDeleteDelete', winningVersion: 4, readVersion: 3, replans: 2 },
      message: expect.stringContaining('REMOVE ALL was re-planned 2 times and gives up (commit.maxReplans is 2)'),
    })
    expect(seen).toEqual([1, 2, 3])
    expect(ids(await rowsAt(engine))).toEqual([0, 4, 5, 6, 7, 8, 9])
  })

  it('stops re-planning when the commit backoff budget runs out', async () => {
    const { engine } = await filled(true)
    const seen: number[] = []
    await expect(runOperation(engine, removeAllSpec(engine, engine, 10, seen), { commit: { maxAttempts: 1 } })).rejects.toMatchObject({
      reason: 'ConcurrentDeleteDelete',
      context: { replans: 0 },
      message: expect.stringContaining('REMOVE ALL was re-planned 0 times and gives up (the retry attempts ran out)'),
    })
    expect(seen).toEqual([1])
  })

  it('throws a conflict a re-plan cannot resolve (ConcurrentTransaction) at once', async () => {
    const { engine } = await filled(true)
    let executions = 0
    const spec: OperationSpec<null, { version: number | undefined }> = {
      name: 'JOB',
      plan: () => null,
      execute: async (_plan, snapshot) => {
        executions++
        const txn = Transaction.begin(engine, snapshot, { operation: { kind: 'delete' } }).setAppTransaction('job', 2).readWholeTable()
        const other = Transaction.begin(engine, snapshot, { operation: { kind: 'delete' } }).setAppTransaction('job', 1)
        await other.commitOrThrow()
        return { txn, written: {}, result: (version) => ({ version }) }
      },
    }
    await expect(runOperation(engine, spec)).rejects.toMatchObject({ name: 'CommitConflictError', reason: 'ConcurrentTransaction' })
    expect(executions).toBe(1)
  })
})
