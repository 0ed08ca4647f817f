// Concurrent writeDelta calls on one table: racing appends all land once each, and a writer held
// just before its commit (a gate, no sleeps) rebases over harmless winners or fails on conflicts.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { CommitConflictError, DeltaTable, commitPath, writeDelta } from '../../src/internal.js'
import type { WriteOptions, WriteResult } from '../../src/internal.js'
import { P, field, struct } from './all-types.js'
import { readRows } from './helpers.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'

const SCHEMA = struct(field('id', P('long')), field('part', P('string')))
const row = (id: number, part = id % 2 === 0 ? 'even' : 'odd'): { id: bigint; part: string } => ({ id: BigInt(id), part })

async function table(configuration: Record<string, string> = {}): Promise<MemoryStore> {
  const store = new MemoryStore()
  await writeDelta(store, [row(1), row(2)], { schema: SCHEMA, partitionBy: ['part'], configuration })
  return store
}

/** Runs `held` up to its commit of version 1, lets `winner` commit version 1, then lets `held` go on. */
async function race(store: MemoryStore, held: [unknown[], WriteOptions], winner: [unknown[], WriteOptions]): Promise<{ held: Promise<WriteResult>; won: WriteResult }> {
  const g = gatedPutIfAbsent(store, commitPath(1))
  const heldResult = writeDelta(g.store, ...held)
  heldResult.catch(() => {})
  await g.reached
  const won = await writeDelta(store, ...winner)
  g.open()
  return { held: heldResult, won }
}

describe('concurrent writeDelta calls', () => {
  it('land every racing append exactly once, in contiguous versions', async () => {
    const store = await table()
    const results = await Promise.all([3, 4, 5, 6].map((id) => writeDelta(store, [row(id)], { mode: 'append' })))
    expect(results.map((r) => (r.status === 'committed' ? r.version : -1)).sort()).toEqual([1, 2, 3, 4])
    expect(results.some((r) => r.status === 'committed' && r.attempts > 1)).toBe(true)
    expect((await readRows(store)).map((r) => r['id'])).toEqual([1n, 2n, 3n, 4n, 5n, 6n])
  })

  it('rebase a replaceWhere over an append to another partition', async () => {
    const store = await table()
    const { held, won } = await race(store, [[row(9)], { mode: 'overwrite', replaceWhere: "part = 'odd'" }], [[row(4)], { mode: 'append' }])
    expect(won).toMatchObject({ status: 'committed', version: 1 })
    expect(await held).toMatchObject({ status: 'committed', version: 2, attempts: 2 })
    expect((await readRows(store)).map((r) => r['id'])).toEqual([2n, 4n, 9n])
  })

  it('rebase an overwrite over a blind append under WriteSerializable (the append orders after it)', async () => {
    const store = await table()
    const { held } = await race(store, [[row(9)], { mode: 'overwrite', replaceWhere: "part = 'odd'" }], [[row(3)], { mode: 'append' }])
    expect(await held).toMatchObject({ status: 'committed', version: 2 })
    expect((await readRows(store)).map((r) => r['id'])).toEqual([2n, 3n, 9n])
  })

  it.each([
    ['replaceWhere', { mode: 'overwrite', replaceWhere: "part = 'odd'" }],
    ['overwrite', { mode: 'overwrite' }],
  ] as const)('fail a %s after a concurrent append into what it replaces under Serializable', async (_name, options) => {
    const store = await table({ 'delta.isolationLevel': 'Serializable' })
    const { held } = await race(store, [[row(9)], options], [[row(3)], { mode: 'append' }])
    await expect(held).rejects.toBeInstanceOf(CommitConflictError)
    expect((await DeltaTable.open(store)).version).toBe(1)
    expect((await readRows(store)).map((r) => r['id'])).toEqual([1n, 2n, 3n])
  })

  it('fail a replaceWhere when a concurrent replaceWhere removed the files it read', async () => {
    const store = await table()
    const replaceOdd: WriteOptions = { mode: 'overwrite', replaceWhere: "part = 'odd'" }
    const { held } = await race(store, [[row(9)], replaceOdd], [[row(7)], replaceOdd])
    await expect(held).rejects.toMatchObject({ code: 'CommitConflict' })
    expect((await readRows(store)).map((r) => r['id'])).toEqual([2n, 7n])
  })

  it('skip a write whose txn a concurrent commit already holds', async () => {
    const store = await table()
    const txn = { appId: 'job', version: 7 }
    const { held, won } = await race(store, [[row(3)], { mode: 'append', txn }], [[row(3)], { mode: 'append', txn }])
    expect(won).toMatchObject({ status: 'committed', version: 1 })
    expect(await held).toMatchObject({ status: 'skipped' })
    expect((await readRows(store)).map((r) => r['id'])).toEqual([1n, 2n, 3n])
  })
})
