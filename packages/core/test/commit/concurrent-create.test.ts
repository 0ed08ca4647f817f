// Two writers racing to create a table: the loser (held at its version-0 commit by a gate, no
// sleeps) redoes its write against the table the winner created, as its mode says, or fails clearly.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import type { StructType } from '@lake/parquet'
import { CommitConflictError, DeltaTable, WriteError, commitPath, loadSnapshot, createEngine, writeDelta } from '../../src/internal.js'
import type { WriteOptions, WriteResult } from '../../src/internal.js'
import { concurrentCreateError, isLostCreateRace } from '../../src/operations/write/concurrent-create.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} },
    { name: 'part', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
  ],
}
const rows = (...ids: number[]): { id: bigint; part: string }[] => ids.map((id) => ({ id: BigInt(id), part: id % 2 === 0 ? 'even' : 'odd' }))
const WINNER: WriteOptions = { mode: 'append', schema: SCHEMA, partitionBy: ['part'] }

/** Holds `loser` at its create commit, lets the winner create the table, then releases the loser. */
async function raceCreate(loserRows: unknown[], loser: WriteOptions): Promise<{ store: MemoryStore; result: Promise<WriteResult> }> {
  const store = new MemoryStore()
  const gate = gatedPutIfAbsent(store, commitPath(0))
  const result = writeDelta(gate.store, loserRows, loser)
  result.catch(() => {})
  await gate.reached
  await writeDelta(store, rows(1, 2), WINNER)
  gate.open()
  return { store, result }
}

async function ids(store: ObjectStore): Promise<bigint[]> {
  const table = await DeltaTable.open(store)
  return (await table.toArray()).map((r) => r['id'] as bigint).sort((a, b) => Number(a - b))
}

describe('concurrent table creation in writeDelta', () => {
  it('appends into the table the winner created when the rows fit (mode append)', async () => {
    const { store, result } = await raceCreate(rows(3), { mode: 'append', schema: SCHEMA, partitionBy: ['part'] })
    expect(await result).toMatchObject({ status: 'committed', version: 1, attempts: 1 })
    expect(await ids(store)).toEqual([1n, 2n, 3n])
    const snapshot = await loadSnapshot(createEngine(store))
    expect(snapshot.partitionColumns).toEqual(['part'])
  })

  it('appends with an inferred schema that fits the winner', async () => {
    const { store, result } = await raceCreate([{ id: 5n, part: 'odd' }], { mode: 'append' })
    expect(await result).toMatchObject({ status: 'committed', version: 1 })
    expect(await ids(store)).toEqual([1n, 2n, 5n])
  })

  it('overwrites the winner’s rows (mode overwrite: the legal order is create, then overwrite)', async () => {
    const { store, result } = await raceCreate(rows(7), { mode: 'overwrite', schema: SCHEMA, partitionBy: ['part'] })
    expect(await result).toMatchObject({ status: 'committed', version: 1, numFilesRemoved: 2 })
    expect(await ids(store)).toEqual([7n])
  })

  it('skips in mode ignore', async () => {
    const { store, result } = await raceCreate(rows(3), { mode: 'ignore' })
    expect(await result).toMatchObject({ status: 'skipped', version: 0 })
    expect(await ids(store)).toEqual([1n, 2n])
  })

  it('fails with TableExists in mode error, saying the table was created concurrently', async () => {
    const { store, result } = await raceCreate(rows(3), { mode: 'error' })
    const err = await result.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WriteError)
    expect(err).toMatchObject({ code: 'TableExists', context: { version: 0, winningVersion: 0, causeCode: 'TableExists' } })
    expect((err as Error).message).toMatch(/created concurrently by another writer.*\nHelp: /s)
    expect(await ids(store)).toEqual([1n, 2n])
  })

  it.each([
    ['a different partitioning', rows(3), { mode: 'append', partitionBy: ['id'] }, 'InvalidArgument'],
    ['rows that do not fit the schema', [{ id: 'not a number', part: 'odd' }], { mode: 'append' }, 'SchemaMismatch'],
  ] as const)('fails with TableExists for %s, keeping the reason as the cause', async (_name, loserRows, options, causeCode) => {
    const { store, result } = await raceCreate([...loserRows], options)
    const err = await result.catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'TableExists', context: { causeCode }, cause: { code: causeCode } })
    expect((await loadSnapshot(createEngine(store))).version).toBe(0)
  })

  it('creates the table once when several writers race, and every row lands once', async () => {
    const store = new MemoryStore()
    const results = await Promise.all([1, 2, 3, 4, 5].map((id) => writeDelta(store, rows(id), { mode: 'append', schema: SCHEMA })))
    expect(results.map((r) => (r.status === 'committed' ? r.version : -1)).sort()).toEqual([0, 1, 2, 3, 4])
    expect(await ids(store)).toEqual([1n, 2n, 3n, 4n, 5n])
  })
})

describe('isLostCreateRace', () => {
  it.each([
    [new CommitConflictError('ProtocolChanged', 0, 'x'), true],
    [new CommitConflictError('MetadataChanged', 0, 'x'), true],
    [new CommitConflictError('ProtocolChanged', 3, 'x'), false],
    [new CommitConflictError('ConcurrentAppend', 0, 'x'), false],
    [new WriteError('TableExists', 'x'), false],
  ])('%o is a lost create race: %s', (err, expected) => {
    expect(isLostCreateRace(err)).toBe(expected)
  })
})

describe('concurrentCreateError', () => {
  it('quotes the first line of the cause and keeps the cause', async () => {
    const store = new MemoryStore()
    await writeDelta(store, rows(1), WINNER)
    const created = await loadSnapshot(createEngine(store))
    const cause = new WriteError('InvalidArgument', 'partitionBy [id] differs\nsecond line')
    const err = concurrentCreateError(created, new CommitConflictError('ProtocolChanged', 0, 'x'), cause)
    expect(err.message).toContain('cannot go into it: partitionBy [id] differs\nHelp: ')
    expect(err.message).not.toContain('second line')
    expect(err.cause).toBe(cause)
  })
})
