// UPDATE end to end on in-memory tables: deletion vectors and copy-on-write, partition pruning and
// SET of a partition column, nulls, the actions and commitInfo it writes, errors found before any
// I/O, constraint violations and failed uploads that leave the table as it was, refused tables.

import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { AddFile, CommitInfo, RemoveFile } from '../../src/internal.js'
import { commitPath, serializeCommit } from '../../src/internal.js'
import { commitInfo as commitInfoAction, metadata, protocol } from '../helpers/actions.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'
import { MemoryStore, StorageError, faultyStore } from '@lake/storage'
import { actionsOf, keys, newTable, rowsAt, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'

const rows = (from: number, to: number, p: string): TestRow[] => Array.from({ length: to - from }, (_, i) => ({ id: from + i, p, v: (from + i) % 3 === 0 ? null : from + i }))

async function filled(options: { dv: boolean; partitioned: boolean; configuration?: Record<string, string> }) {
  const t = await newTable(options)
  const table = await DeltaTable.open(t.engine)
  await table.write(rows(0, 10, 'a').map(toRow)) // v1
  await table.write(rows(10, 20, 'b').map(toRow)) // v2
  return t
}

type Actions = Awaited<ReturnType<typeof actionsOf>>
const adds = (actions: Actions): AddFile[] => actions.flatMap((a) => (a.kind === 'add' ? [a.add] : []))
const removes = (actions: Actions): RemoveFile[] => actions.flatMap((a) => (a.kind === 'remove' ? [a.remove] : []))
const commitInfo = (actions: Actions): CommitInfo | undefined => actions.flatMap((a) => (a.kind === 'commitInfo' ? [a.commitInfo] : []))[0]
/** The model: `rows(0, 20)` with `change` applied to the rows `where` picks. */
const expected = (where: (r: TestRow) => boolean, change: Partial<TestRow>): TestRow[] =>
  [...rows(0, 10, 'a'), ...rows(10, 20, 'b')].map((r) => (where(r) ? { ...r, ...change } : r))

describe('DeltaTable.update with deletion vectors', () => {
  it('marks the old rows in a DV, writes the new rows to a new file and records UPDATE in commitInfo', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: false })
    const result = await (await DeltaTable.open(engine)).update({ set: { v: '100' }, where: 'id < 3' })
    expect(result.version).toBe(3)
    expect(result.metrics).toMatchObject({
      numUpdatedRows: 3, numCopiedRows: 0, numAddedFiles: 1, numRemovedFiles: 0, numAddedChangeFiles: 0,
      numDeletionVectorsAdded: 1, numDeletionVectorsUpdated: 0, numDeletionVectorsRemoved: 0,
    })
    expect(result.metrics.numAddedBytes).toBeGreaterThan(0)
    expect(await rowsAt(engine)).toEqual(expected((r) => r.id < 3, { v: 100 }))
    const v3 = await actionsOf(engine, 3)
    const [remove] = removes(v3)
    const marked = adds(v3).find((a) => a.path === remove?.path)
    expect(marked?.deletionVector).toMatchObject({ storageType: 'u', cardinality: 3 })
    expect(JSON.parse(marked?.stats ?? '{}')).toMatchObject({ numRecords: 10, tightBounds: false })
    const fresh = adds(v3).filter((a) => a.path !== remove?.path)
    expect(fresh).toHaveLength(1)
    expect(JSON.parse(fresh[0]?.stats ?? '{}')).toMatchObject({ numRecords: 3 })
    const info = commitInfo(v3)
    expect(info).toMatchObject({ operation: 'UPDATE', operationParameters: { predicate: JSON.stringify(['id < 3']) }, isBlindAppend: false })
    expect(info?.operationMetrics).toMatchObject({ numUpdatedRows: '3', numCopiedRows: '0', numDeletionVectorsAdded: '1', numAddedFiles: '1' })
    expect((await keys(store)).filter((k) => k.startsWith('deletion_vector_'))).toHaveLength(1)
    expect(await rowsAt(engine, 2)).toEqual(expected(() => false, {}))
  })

  it('grows an existing DV (union) and removes a file whose every live row is updated', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    await (await DeltaTable.open(engine)).update({ set: { v: '1' }, where: 'id = 0' })
    const second = await (await DeltaTable.open(engine)).update({ set: { v: '2' }, where: 'id = 5 OR id >= 10' })
    expect(second.metrics).toMatchObject({ numUpdatedRows: 11, numRemovedFiles: 1, numDeletionVectorsUpdated: 1, numDeletionVectorsAdded: 0, numAddedFiles: 1 })
    const grown = adds(await actionsOf(engine, 4)).find((a) => a.deletionVector != null)
    expect(grown?.deletionVector?.cardinality).toBe(2) // {0} ∪ {5}
    expect(await rowsAt(engine)).toEqual(expected((r) => r.id === 0 || r.id === 5 || r.id >= 10, {}).map((r) => ({ ...r, v: r.id === 0 ? 1 : r.id === 5 || r.id >= 10 ? 2 : r.v })))
  })
})

describe('DeltaTable.update with copy-on-write', () => {
  it('rewrites each file holding a matching row with its copied and updated rows, leaving the others untouched', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const before = (await DeltaTable.open(engine)).files()
    const result = await (await DeltaTable.open(engine)).update({ set: { v: 'NULL', p: "'z'" }, where: 'id >= 7 AND id < 9' })
    expect(result.metrics).toMatchObject({ numUpdatedRows: 2, numCopiedRows: 8, numRemovedFiles: 1, numAddedFiles: 1, numDeletionVectorsAdded: 0 })
    const after = (await DeltaTable.open(engine)).files()
    expect(after.filter((f) => before.some((b) => b.path === f.path))).toHaveLength(1)
    expect(after.every((f) => f.deletionVector == null)).toBe(true)
    expect(await rowsAt(engine)).toEqual(expected((r) => r.id >= 7 && r.id < 9, { v: null, p: 'z' }))
  })

  it('updates every row without WHERE and commits nothing when no row matches', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const all = await (await DeltaTable.open(engine)).update({ set: { v: '7' } })
    expect(all.metrics).toMatchObject({ numUpdatedRows: 20, numCopiedRows: 0, numRemovedFiles: 2, numAddedFiles: 2 })
    expect(commitInfo(await actionsOf(engine, 3))?.operationParameters).toEqual({ predicate: '[]' })
    expect(await rowsAt(engine)).toEqual(expected(() => true, { v: 7 }))
    const none = await (await DeltaTable.open(engine)).update({ set: { v: '8' }, where: 'id > 100' })
    expect(none).toEqual({ version: undefined, metrics: expect.objectContaining({ numUpdatedRows: 0, numAddedFiles: 0, numRemovedFiles: 0 }), attempts: 1, replans: 0 })
    expect((await DeltaTable.open(engine)).version).toBe(3)
  })
})

describe('DeltaTable.update: rows, partitions and pruning', () => {
  it.each([true, false])('keeps rows where WHERE is NULL (DV %s)', async (dv) => {
    const { engine } = await filled({ dv, partitioned: false })
    const result = await (await DeltaTable.open(engine)).update({ set: { v: '-1' }, where: 'v > 15' })
    expect(result.metrics.numUpdatedRows).toBe(3) // 16, 17, 19 (18 has v NULL)
    expect(await rowsAt(engine)).toEqual(expected((r) => r.v !== null && r.v > 15, { v: -1 }))
  })

  it.each([true, false])('moves a row whose partition column is SET to its new partition (DV %s)', async (dv) => {
    const { engine } = await filled({ dv, partitioned: true })
    await (await DeltaTable.open(engine)).update({ set: { p: "'c'" }, where: 'id = 1 OR id = 12' })
    expect(await rowsAt(engine)).toEqual(expected((r) => r.id === 1 || r.id === 12, { p: 'c' }))
    const files = (await DeltaTable.open(engine)).files()
    expect(files.filter((f) => f.partitionValues['p'] === 'c').length).toBeGreaterThan(0)
    const partitionC = await (await DeltaTable.open(engine)).toArray({ filter: "p = 'c'" })
    expect(partitionC.map((r) => Number(r['id'])).sort((a, b) => a - b)).toEqual([1, 12])
  })

  it('reads only the candidate files: other partitions and files stats rule out are never read', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: true })
    const files = (await DeltaTable.open(engine)).files()
    const fileB = files.find((f) => f.partitionValues['p'] === 'b')
    await store.delete(decodeURIComponent(fileB?.path ?? '')) // reading it would fail
    const byPartition = await (await DeltaTable.open(engine)).update({ set: { v: '0' }, where: "p = 'a' AND id = 4" })
    expect(byPartition.metrics.numUpdatedRows).toBe(1)
    const byStats = await (await DeltaTable.open(engine)).update({ set: { v: '0' }, where: 'id < 3' })
    expect(byStats.metrics.numUpdatedRows).toBe(3)
  })
})

describe('DeltaTable.update with SQL expressions', () => {
  it.each([true, false])('computes every SET value from the row as it was (DV %s)', async (dv) => {
    const { engine } = await filled({ dv, partitioned: true })
    const result = await (await DeltaTable.open(engine)).update({
      set: { id: 'id + 100', v: 'CAST(id AS INT) * 2', p: "upper(p) || '-' || CASE WHEN v IS NULL THEN 'null' ELSE 'set' END" },
      where: 'id % 5 = 0',
    })
    expect(result.metrics.numUpdatedRows).toBe(4)
    const model = [...rows(0, 10, 'a'), ...rows(10, 20, 'b')].map((r) =>
      r.id % 5 === 0 ? { id: r.id + 100, v: r.id * 2, p: `${(r.p ?? '').toUpperCase()}-${r.v === null ? 'null' : 'set'}` } : r,
    )
    expect(await rowsAt(engine)).toEqual([...model].sort((a, b) => a.id - b.id))
    expect(commitInfo(await actionsOf(engine, 3))?.operationParameters).toEqual({ predicate: JSON.stringify(['(id % 5) = 0']) })
  })

  it('reads every file for a WHERE that stats cannot prune, and still updates only the rows it is TRUE on', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const result = await (await DeltaTable.open(engine)).update({ set: { v: 'COALESCE(v, -1)' }, where: "lower(p) = 'b' AND v IS NULL" })
    expect(result.metrics.numUpdatedRows).toBe(3) // 12, 15, 18
    expect(await rowsAt(engine)).toEqual(expected((r) => r.p === 'b' && r.v === null, { v: -1 }))
  })

  it('fails on a runtime error (integer overflow) before anything is written', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: false })
    const before = await keys(store)
    await expect((await DeltaTable.open(engine)).update({ set: { v: 'v * 2147483647' }, where: 'id = 5' })).rejects.toMatchObject({ name: 'ExpressionError', code: 'ArithmeticError' })
    expect(await keys(store)).toEqual(before)
  })
})

describe('DeltaTable.update refusals (table and store unchanged)', () => {
  it.each([
    ['an unknown column in set', { set: { nope: '1' } }, { name: 'InvalidArgumentError', code: 'InvalidArgument', context: { column: 'nope' } }],
    ['a column set twice', { set: { v: '1', V: '2' } }, { name: 'InvalidArgumentError', code: 'InvalidArgument', context: { column: 'v' } }],
    ['an empty set', { set: {} }, { name: 'InvalidArgumentError', code: 'InvalidArgument' }],
    ['a value of the wrong type', { set: { v: "'abc'" } }, { name: 'PredicateError', code: 'InvalidPredicate' }],
    ['a column of another type', { set: { v: 'p' } }, { name: 'PredicateError', code: 'InvalidPredicate', context: { expression: 'p' } }],
    ['a WHERE naming an unknown column', { set: { v: '1' }, where: 'nope = 1' }, { name: 'PredicateError', code: 'InvalidPredicate', context: { column: 'nope' } }],
  ])('%s: before reading any data', async (_name, spec, error) => {
    const { engine, store } = await filled({ dv: true, partitioned: false })
    for (const file of (await DeltaTable.open(engine)).files()) await store.delete(decodeURIComponent(file.path)) // any read would fail
    const before = await keys(store)
    await expect((await DeltaTable.open(engine)).update(spec)).rejects.toMatchObject(error)
    expect(await keys(store)).toEqual(before)
  })

  it.each([true, false])('a NOT NULL violation (DV %s) fails before anything is written', async (dv) => {
    const { engine, store } = await filled({ dv, partitioned: false })
    const before = await keys(store)
    await expect((await DeltaTable.open(engine)).update({ set: { id: 'NULL' }, where: 'id = 15' })).rejects.toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: { column: 'id' } })
    expect(await keys(store)).toEqual(before)
  })

  it('a CHECK constraint violated by a new row fails the update, naming the constraint', async () => {
    const { engine, store } = await filled({ dv: false, partitioned: false, configuration: { 'delta.constraints.v_small': 'v IS NULL OR v < 50' } })
    const before = await keys(store)
    await (await DeltaTable.open(engine)).update({ set: { v: '49' }, where: 'id = 1' })
    await expect((await DeltaTable.open(engine)).update({ set: { v: '50' }, where: 'id = 2' })).rejects.toMatchObject({
      name: 'ConstraintViolationError', code: 'ConstraintViolation', context: { constraint: 'v_small' },
    })
    expect((await DeltaTable.open(engine)).version).toBe(3)
    expect((await keys(store)).filter((k) => !before.includes(k) && !k.startsWith('_delta_log/'))).toHaveLength(1) // the first update's file only
  })

  it.each([true, false])('recomputes generated columns, and refuses a SET one that differs from its expression (DV %s)', async (dv) => {
    const store = new MemoryStore({ url: 'memory://generated' })
    const schemaString = JSON.stringify({ type: 'struct', fields: [
      { name: 'id', type: 'long', nullable: false, metadata: {} },
      { name: 'next', type: 'long', nullable: true, metadata: { 'delta.generationExpression': 'id + 1' } },
    ] })
    const configuration: Record<string, string> = dv ? { 'delta.enableDeletionVectors': 'true' } : {}
    const proto = dv ? protocol(3, 7, { readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors', 'generatedColumns'] }) : protocol(1, 4)
    await store.putIfAbsent(commitPath(0), serializeCommit([commitInfoAction(), proto, metadata({ schemaString, configuration })]))
    const engine = createEngine(store)
    await (await DeltaTable.open(engine)).write([{ id: 1n }, { id: 2n }, { id: 3n }])
    const result = await (await DeltaTable.open(engine)).update({ set: { id: 'id * 10' }, where: 'id < 3' })
    expect(result.metrics.numUpdatedRows).toBe(2)
    const read = async () => (await (await DeltaTable.open(engine)).toArray()).map((r) => [r['id'], r['next']]).sort((a, b) => Number(a[0]) - Number(b[0]))
    expect(await read()).toEqual([[3n, 4n], [10n, 11n], [20n, 21n]])
    const before = await keys(store)
    await expect((await DeltaTable.open(engine)).update({ set: { next: '5' }, where: 'id = 3' })).rejects.toMatchObject({
      name: 'WriteError', code: 'ConstraintViolation', context: { column: 'next', expression: 'id + 1' },
    })
    expect(await keys(store)).toEqual(before)
    await (await DeltaTable.open(engine)).update({ set: { next: '4', id: '3' }, where: 'id = 3' })
    expect(await read()).toEqual([[3n, 4n], [10n, 11n], [20n, 21n]])
  })

  it('a table with a generated column lake cannot compute is refused, naming the feature, before anything is read', async () => {
    const store = new MemoryStore({ url: 'memory://generated' })
    const schemaString = JSON.stringify({ type: 'struct', fields: [
      { name: 'id', type: 'long', nullable: true, metadata: {} },
      { name: 'next', type: 'long', nullable: true, metadata: { 'delta.generationExpression': 'no_such_function(id)' } },
    ] })
    await store.putIfAbsent(commitPath(0), serializeCommit([commitInfoAction(), protocol(1, 4), metadata({ schemaString })]))
    const attempt = (await DeltaTable.open(createEngine(store))).update({ set: { id: '1' } })
    await expect(attempt).rejects.toMatchObject({ name: 'ProtocolError', code: 'UnsupportedFeature', context: { feature: 'generatedColumns' } })
    await expect(attempt).rejects.toThrow("generated column 'next' (no_such_function(id)) cannot be computed by lake")
    expect(await keys(store)).toEqual([commitPath(0)])
  })

  it.each([
    ['copy-on-write, the rewritten file fails to upload', false, /\.parquet$/, 0],
    ['deletion vectors, the new rows fail to upload', true, /\.parquet$/, 0],
    ['deletion vectors, the DV file fails to upload', true, /^deletion_vector_/, 0],
  ])('leaves the table and the store as they were when %s', async (_name, dvOn, path, after) => {
    const { engine, store } = await filled({ dv: dvOn, partitioned: true })
    const before = await keys(store)
    const failing = createEngine(faultyStore(store, { rules: [{ method: 'putIfAbsent', path, after, error: new StorageError('Unavailable', 'injected upload failure') }] }))
    await expect((await DeltaTable.open(failing)).update({ set: { v: '0' }, where: 'id = 2 OR id = 15' })).rejects.toMatchObject({ name: 'StorageError', code: 'Unavailable' })
    expect(await keys(store)).toEqual(before)
    expect((await DeltaTable.open(engine)).version).toBe(2)
  })

  it('declares what it read: with re-planning off, a concurrent delete of a row it read makes it fail, leaving no file of its own', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: false })
    const initial = await keys(store)
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000003.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).update({ set: { v: '0' }, where: 'id = 1' }, { commit: { maxReplans: 0 } })
    await gated.reached
    const beforeWinner = await keys(store)
    const winner = await (await DeltaTable.open(engine)).delete('id = 2')
    expect(winner.version).toBe(3)
    const winnerFiles = (await keys(store)).filter((k) => !beforeWinner.includes(k))
    gated.open()
    await expect(loser).rejects.toMatchObject({ name: 'CommitConflictError', code: 'CommitConflict', context: { winningVersion: 3, replans: 0 } })
    expect(await keys(store)).toEqual([...initial, ...winnerFiles].sort())
    expect((await rowsAt(engine)).find((r) => r.id === 1)?.v).toBe(1)
  })
})
