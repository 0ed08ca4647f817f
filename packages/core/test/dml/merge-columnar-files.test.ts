// The files the columnar MERGE executor (operations/merge/columnar-pass.ts) re-adds with a deletion
// vector: a file whose add action has no `numRecords` (a foreign writer's, crafted here by dropping the
// stats from the log) gets the loose stats `{"numRecords":<physical rows>,"tightBounds":false}`, its
// physical rows counted while the pass read it: the live rows plus those its earlier deletion vector
// already deletes. Both routes write the same. And the pass reads each file under the MERGE's signal:
// aborted while it reads, a MERGE that would change nothing fails `Aborted`.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { GetOptions } from '@lake/storage'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import { DEFAULT_CODEC, commitPath } from '../../src/internal.js'
import { executeMerge } from '../../src/operations/merge/execute.js'
import type { MergeExecutor } from '../../src/operations/merge/execute.js'
import { actionsOf, createTable, newTable, rowsAt } from './helpers.js'

const DELETE = [{ kind: 'matchedDelete' as const }]

/** A MERGE deleting the rows of `ids`; the executors that decided it. */
async function deleteIds(engine: Engine, ids: readonly number[], columnarExecutor: boolean): Promise<MergeExecutor[]> {
  const executors: MergeExecutor[] = []
  const source = ids.map((id) => ({ id: BigInt(id), p: 'x', v: 0 }))
  await executeMerge(engine, source, { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: DELETE }, {}, { columnarExecutor, onExecutor: (e) => executors.push(e) })
  return executors
}

/** Rewrites commit `version` with the stats of its add actions removed (as a writer that writes none). */
async function dropAddStats(store: MemoryStore, version: number): Promise<void> {
  const text = new TextDecoder().decode(await store.get(commitPath(version)))
  const lines = text.split('\n').filter((l) => l.length > 0).map((l) => {
    const action = JSON.parse(l) as { add?: Record<string, unknown> }
    if (action.add !== undefined) delete action.add['stats']
    return JSON.stringify(action)
  })
  await store.put(commitPath(version), new TextEncoder().encode(`${lines.join('\n')}\n`))
}

/** The stats of the add actions of commit `version`. */
async function addStats(engine: Engine, version: number): Promise<(string | null | undefined)[]> {
  return (await actionsOf(engine, version)).flatMap((a) => (a.kind === 'add' ? [a.add.stats] : []))
}

describe('MERGE columnar executor: a file without numRecords in its stats', () => {
  it.each([
    ['columnar', true],
    ['rows', false],
  ])('gets numRecords = its physical rows (live + already deleted) when a later MERGE deletes more (%s)', async (executor, columnarExecutor) => {
    const { engine, store } = await newTable({ dv: true, partitioned: false })
    await (await DeltaTable.open(engine)).write(Array.from({ length: 10 }, (_, i) => ({ id: BigInt(i), p: 'a', v: i })))
    expect(await deleteIds(engine, [1, 2, 3], columnarExecutor)).toEqual([executor])
    await dropAddStats(store, 2)
    expect(await addStats(engine, 2)).toEqual([undefined])
    expect(await deleteIds(engine, [4, 5], columnarExecutor)).toEqual([executor])
    expect(await addStats(engine, 3)).toEqual(['{"numRecords":10,"tightBounds":false}'])
    expect((await rowsAt(engine)).map((r) => r.id)).toEqual([0, 6, 7, 8, 9])
  })
})

/** A memory store that aborts `controller` when a file whose path ends with `suffix` is first read (before reading it). */
class AbortOnDataRead extends MemoryStore {
  armed: AbortController | undefined
  suffix = '.parquet'

  override async get(path: string, options: GetOptions = {}): Promise<Uint8Array> {
    if (path.endsWith(this.suffix)) this.armed?.abort()
    return super.get(path, options)
  }
}

describe('MERGE columnar executor: the target pass reads under the MERGE\'s signal', () => {
  it('aborted while the pass reads a candidate file, a MERGE matching nothing fails with the reader\'s Aborted, nothing committed', async () => {
    const store = new AbortOnDataRead({ url: 'memory://abort' })
    const engine = await createTable(store, { dv: true, partitioned: false })
    await (await DeltaTable.open(engine)).write(Array.from({ length: 5 }, (_, i) => ({ id: BigInt(2 * i), p: 'a', v: i })))
    const controller = new AbortController()
    store.armed = controller
    const spec = { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: DELETE }
    const run = executeMerge(engine, [{ id: 3n, p: 'x', v: 0 }], spec, { signal: controller.signal })
    await expect(run).rejects.toMatchObject({ code: 'Aborted', context: { method: 'readParquetRows' } })
    expect(controller.signal.aborted).toBe(true)
    expect((await DeltaTable.open(engine)).version).toBe(1)
  })

  it('aborted while the pass reads a deletion vector, fails with the store\'s Aborted for that read, nothing committed', async () => {
    const store = new AbortOnDataRead({ url: 'memory://abort-dv' })
    const engine = await createTable(store, { dv: true, partitioned: false })
    await (await DeltaTable.open(engine)).write(Array.from({ length: 5 }, (_, i) => ({ id: BigInt(2 * i), p: 'a', v: i })))
    await (await DeltaTable.open(engine)).delete('id = 4')
    const controller = new AbortController()
    store.armed = controller
    store.suffix = '.bin'
    const spec = { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: DELETE }
    const run = executeMerge(engine, [{ id: 3n, p: 'x', v: 0 }], spec, { signal: controller.signal })
    await expect(run).rejects.toMatchObject({ code: 'Aborted', context: { method: 'get' } })
    expect((await DeltaTable.open(engine)).version).toBe(2)
  })

  it('aborted while the pass reads rows (a codec without column reads), fails Aborted, nothing committed', async () => {
    const store = new AbortOnDataRead({ url: 'memory://abort-rows' })
    const made = await createTable(store, { dv: true, partitioned: false })
    await (await DeltaTable.open(made)).write(Array.from({ length: 5 }, (_, i) => ({ id: BigInt(2 * i), p: 'a', v: i })))
    const engine = createEngine(store, { codec: { ...DEFAULT_CODEC, readColumns: undefined } })
    const controller = new AbortController()
    store.armed = controller
    const executors: MergeExecutor[] = []
    const spec = { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: DELETE }
    const run = executeMerge(engine, [{ id: 3n, p: 'x', v: 0 }], spec, { signal: controller.signal }, { onExecutor: (e) => executors.push(e) })
    await expect(run).rejects.toMatchObject({ code: 'Aborted' })
    expect((await DeltaTable.open(engine)).version).toBe(1)
  })
})
