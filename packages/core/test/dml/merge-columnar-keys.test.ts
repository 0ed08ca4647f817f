// Key matching of the columnar MERGE executor (operations/merge/columnar-hash.ts, columnar-pass.ts), on the
// cases its mutation run (`node scripts/mutate.mjs --group core-merge-columnar`) showed untested: a NULL in
// a composite key matches nothing, int64 keys beyond 2^53 match exactly (never through a rounded double),
// -2^53 (the least key the typed-array table holds) matches, a long source key matches an integer target
// column, and a file that already has a deletion vector keeps its live rows when a later MERGE deletes more.

import { describe, expect, it } from 'vitest'
import type { Row } from '@lake/parquet'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import { executeMerge } from '../../src/operations/merge/execute.js'
import type { MergeExecutor } from '../../src/operations/merge/execute.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'
import { newTable, rowsAt } from './helpers.js'

const BIG = 2n ** 53n

async function tableOf(rows: readonly Row[]): Promise<Engine> {
  const { engine } = await newTable({ dv: true, partitioned: false })
  await (await DeltaTable.open(engine)).write(rows)
  return engine
}

async function exactRows(engine: Engine): Promise<string[]> {
  const rows = await (await DeltaTable.open(engine)).toArray()
  return rows.map((r) => `${String(r['id'])}/${String(r['p'])}/${String(r['v'])}`).sort()
}

describe('MERGE columnar executor: keys', () => {
  it('matches no row on a composite key holding NULL (SQL equality), on either side', async () => {
    const engine = await tableOf([
      { id: 1n, p: null, v: 1 },
      { id: 2n, p: 'b', v: 2 },
    ])
    const source = [
      { id: 1n, p: null, v: 10 },
      { id: 2n, p: 'b', v: 20 },
    ]
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id AND target.p = source.p' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1 })
    expect(await rowsAt(engine)).toEqual([
      { id: 1, p: null, v: 1 },
      { id: 1, p: null, v: 10 },
      { id: 2, p: 'b', v: 20 },
    ])
  })

  it('matches int64 keys beyond 2^53 exactly, not through their nearest double', async () => {
    const engine = await tableOf([
      { id: BIG, p: 'a', v: 1 },
      { id: BIG + 1n, p: 'b', v: 2 },
      { id: -BIG - 1n, p: 'c', v: 3 },
    ])
    const source = [
      { id: BIG + 1n, p: 'u', v: 20 },
      { id: -BIG - 1n, p: 'w', v: 30 },
      { id: BIG + 3n, p: 'n', v: 40 },
    ]
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 2, numTargetRowsInserted: 1 })
    expect(await exactRows(engine)).toEqual([`${-BIG - 1n}/w/30`, `${BIG + 1n}/u/20`, `${BIG + 3n}/n/40`, `${BIG}/a/1`].sort())
  })

  it('matches composite keys holding int64 values on both sides of 2^53 exactly (safe target keys read as numbers, others as bigints)', async () => {
    const engine = await tableOf([
      { id: BIG + 1n, p: 'a', v: 1 },
      { id: BIG, p: 'a', v: 2 },
      { id: 5n, p: 'a', v: 3 },
      { id: -5n, p: 'b', v: 4 },
    ])
    const source = [
      { id: BIG + 1n, p: 'a', v: 10 },
      { id: 5n, p: 'a', v: 30 },
      { id: -5n, p: 'a', v: 40 },
      { id: BIG + 2n, p: 'a', v: 50 },
    ]
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id AND target.p = source.p' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 2, numTargetRowsInserted: 2 })
    expect(await exactRows(engine)).toEqual([`${BIG + 1n}/a/10`, `${BIG}/a/2`, '5/a/30', '-5/b/4', '-5/a/40', `${BIG + 2n}/a/50`].sort())
  })

  it('matches the largest and smallest safe integers as keys (the typed-array hash table), and an unsafe target key never', async () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER)
    const engine = await tableOf([
      { id: max, p: 'a', v: 1 },
      { id: -max, p: 'b', v: 2 },
      { id: max + 1n, p: 'c', v: 3 },
    ])
    const source = [
      { id: max, p: 'u', v: 10 },
      { id: -max, p: 'w', v: 20 },
    ]
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 2, numTargetRowsInserted: 0 })
    expect(await exactRows(engine)).toEqual([`${-max}/w/20`, `${max}/u/10`, `${max + 1n}/c/3`].sort())
  })

  it('matches the key -2^53 through the typed-array table, and -2^53 - 1 (which rounds to it as a double) never', async () => {
    const engine = await tableOf([
      { id: -BIG, p: 'a', v: 1 },
      { id: -BIG - 1n, p: 'b', v: 2 },
    ])
    const result = await (await DeltaTable.open(engine)).merge([{ id: -BIG, p: 'u', v: 10 }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 0 })
    expect(await exactRows(engine)).toEqual([`${-BIG}/u/10`, `${-BIG - 1n}/b/2`].sort())
  })

  it('with a source key beyond 2^53 (no typed-array table): -2^53 - 1 does not match -2^53, and safe long keys match an integer target column', async () => {
    const engine = await tableOf([
      { id: -BIG, p: 'a', v: 20 },
      { id: 1n, p: 'b', v: 30 },
    ])
    const byId = await (await DeltaTable.open(engine)).merge([{ id: -BIG - 1n, p: 'u', v: 1 }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(byId.metrics).toMatchObject({ numTargetRowsUpdated: 0, numTargetRowsInserted: 1 })
    const source = [
      { id: 20n, p: 'w', v: 7 },
      { id: BIG + 1n, p: 'x', v: 8 },
    ]
    const byV = await (await DeltaTable.open(engine)).merge(source, { on: 'target.v = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(byV.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1 })
    expect(await exactRows(engine)).toEqual([`${-BIG - 1n}/u/1`, '20/w/7', '1/b/30', `${BIG + 1n}/x/8`].sort())
  })

  it('keeps the live rows of a file that already has a deletion vector when a later MERGE deletes more of it', async () => {
    const engine = await tableOf(Array.from({ length: 10 }, (_, i) => ({ id: BigInt(i), p: 'a', v: i })))
    const deleteIds = async (ids: readonly number[]) =>
      (await DeltaTable.open(engine)).merge(ids.map((id) => ({ id: BigInt(id), p: 'x', v: 0 })), { on: 'target.id = source.id' }).whenMatchedDelete().execute()
    expect((await deleteIds([1, 2, 3])).metrics).toMatchObject({ numTargetRowsDeleted: 3, numTargetDeletionVectorsAdded: 1 })
    expect((await deleteIds([4, 5])).metrics).toMatchObject({ numTargetRowsDeleted: 2 })
    expect((await rowsAt(engine)).map((r) => r.id)).toEqual([0, 6, 7, 8, 9])
    expect((await deleteIds([0, 6, 7, 8, 9])).metrics).toMatchObject({ numTargetRowsDeleted: 5, numTargetFilesRemoved: 1 })
    expect(await rowsAt(engine)).toEqual([])
  })

  it('re-plans when a concurrent change adds a row holding a source key to a file it did not read (a NULL key in the source), then updates that row', async () => {
    const { engine, store } = await newTable({ dv: true, partitioned: false })
    await (await DeltaTable.open(engine)).write([0, 5].map((id) => ({ id: BigInt(id), p: 'a', v: id })))
    await (await DeltaTable.open(engine)).write([10, 12].map((id) => ({ id: BigInt(id), p: 'a', v: id })))
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000003.json')
    const executors: MergeExecutor[] = []
    const source = [
      { id: null, p: 'n', v: -1 },
      { id: 5n, p: 'u', v: 50 },
      { id: 15n, p: 'u', v: 150 },
    ]
    // The file of ids 10 and 12 holds no source key: pruned, not read.
    const spec = { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: [{ kind: 'matchedUpdateAll' as const }] }
    const pending = executeMerge(createEngine(gated.store), source, spec, {}, { onExecutor: (e) => executors.push(e) })
    await gated.reached
    // Another writer first turns id 12 into 15: a deletion vector on that file, and a new file holding id 15 (not a blind append).
    await (await DeltaTable.open(engine)).update({ set: { id: '15' }, where: 'id = 12' })
    gated.open()
    expect(await pending).toMatchObject({ version: 4, attempts: 2, replans: 1 })
    expect(executors).toEqual(['columnar', 'columnar'])
    expect(await exactRows(engine)).toEqual(['0/a/0', '10/a/10', '15/u/150', '5/u/50'])
  })
})
