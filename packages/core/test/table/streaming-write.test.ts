// writeDelta over async iterables: files are uploaded while the input is still produced, a late
// bad row or replaceWhere violation fails before the one commit, and mergeSchema spans chunks.

import { describe, expect, it } from 'vitest'
import { MemoryStore, countingStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import type { StructType } from '@lake/parquet'
import { DeltaTable, SchemaError, WriteError, commitPath, loadSnapshot, createEngine, parseCommit, writeDelta } from '../../src/internal.js'
import type { WriteOptions } from '../../src/internal.js'
import { listKeys, readRows } from './helpers.js'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} },
    { name: 'part', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
  ],
}
const CHUNK = 10
const row = (id: number): { id: bigint; part: string } => ({ id: BigInt(id), part: id % 2 === 0 ? 'a' : 'b' })
const rowsOf = (from: number, to: number): Record<string, unknown>[] => Array.from({ length: to - from }, (_, i) => row(from + i))

/** Yields `rows` one by one; before each chunk's first row, calls `atChunk(chunkIndex)`. */
async function* produce(rows: readonly unknown[], atChunk: (chunk: number) => void = () => {}): AsyncGenerator<unknown> {
  for (let i = 0; i < rows.length; i++) {
    if (i % CHUNK === 0) atChunk(i / CHUNK)
    yield await Promise.resolve(rows[i])
  }
}

const dataFiles = (paths: readonly string[]): number => paths.filter((p) => p.endsWith('.parquet')).length

async function logKeys(store: ObjectStore): Promise<string[]> {
  return (await listKeys(store)).filter((k) => k.startsWith('_delta_log/'))
}

async function tableAt0(options: WriteOptions = {}): Promise<MemoryStore> {
  const store = new MemoryStore()
  await writeDelta(store, rowsOf(1000, 1004), { schema: SCHEMA, ...options })
  return store
}

describe('writeDelta with a streamed input', () => {
  it('uploads data files while the input is still being produced, with the same result as an array', async () => {
    const input = rowsOf(0, 5 * CHUNK)
    const counted = countingStore(new MemoryStore())
    const seen: number[] = []
    const result = await writeDelta(counted.store, produce(input, () => seen.push(dataFiles(counted.paths.putIfAbsent))), { schema: SCHEMA, maxRowsPerFile: CHUNK })
    expect(seen).toHaveLength(5)
    expect(seen[0]).toBe(0)
    expect(seen[4]).toBeGreaterThanOrEqual(3)
    expect(result).toMatchObject({ status: 'committed', version: 0, numRows: 50, numFilesAdded: 5 })

    const viaArray = new MemoryStore()
    expect(await writeDelta(viaArray, input, { schema: SCHEMA, maxRowsPerFile: CHUNK })).toMatchObject({ status: 'committed', numRows: 50, numFilesAdded: 5 })
    expect(await readRows(counted.store)).toEqual(await readRows(viaArray))
  })

  it('writes one file per partition and rolls files at maxRowsPerFile, as the array path does', async () => {
    const input = rowsOf(0, 45)
    const streamed = new MemoryStore()
    const viaArray = new MemoryStore()
    const options: WriteOptions = { schema: SCHEMA, partitionBy: ['part'], maxRowsPerFile: CHUNK }
    const a = await writeDelta(streamed, produce(input), options)
    const b = await writeDelta(viaArray, input, options)
    expect(a).toMatchObject({ status: 'committed', numFilesAdded: 6, numRows: 45 })
    expect(b).toMatchObject({ status: 'committed', numFilesAdded: 6, numRows: 45 })
    expect(await readRows(streamed)).toEqual(await readRows(viaArray))
  })

  it('fails on a bad row in the last chunk with the array path’s SchemaError, leaving the table unchanged', async () => {
    const input: unknown[] = [...rowsOf(0, 5 * CHUNK - 1), { id: 'not a number', part: 'a' }]
    const store = await tableAt0()
    const before = await logKeys(store)
    const counted = countingStore(store)
    const err = await writeDelta(counted.store, produce(input), { mode: 'append', maxRowsPerFile: CHUNK }).catch((e: unknown) => e)
    const arrayErr = await writeDelta(await tableAt0(), input, { mode: 'append', maxRowsPerFile: CHUNK }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SchemaError)
    expect(arrayErr).toBeInstanceOf(SchemaError)
    expect(err).toMatchObject({ code: 'SchemaMismatch', context: { row: 49 } })
    expect((err as Error).message).toBe((arrayErr as Error).message)
    expect(dataFiles(counted.paths.putIfAbsent)).toBeGreaterThan(0)
    expect(await logKeys(store)).toEqual(before)
    expect((await loadSnapshot(createEngine(store))).version).toBe(0)
    expect((await readRows(store)).map((r) => r['id'])).toEqual([1000n, 1001n, 1002n, 1003n])
    expect(await parquetKeys(store)).toEqual(await tableFiles(store))
  })

  it('leaves nothing at the path when a streamed first write fails after uploading files', async () => {
    const store = new MemoryStore()
    const counted = countingStore(store)
    const input: unknown[] = [...rowsOf(0, 5 * CHUNK - 1), { id: 'not a number', part: 'a' }]
    await expect(writeDelta(counted.store, produce(input), { mode: 'append', schema: SCHEMA, partitionBy: ['part'], maxRowsPerFile: CHUNK })).rejects.toMatchObject({ code: 'SchemaMismatch' })
    expect(dataFiles(counted.paths.putIfAbsent)).toBeGreaterThan(0)
    expect(await listKeys(store)).toEqual([])
  })

  it('rejects a late row outside replaceWhere with nothing committed', async () => {
    const store = await tableAt0({ partitionBy: ['part'] })
    const before = await logKeys(store)
    const input: unknown[] = [...rowsOf(0, 4 * CHUNK).map((r) => ({ ...r, part: 'a' })), row(41)]
    const err = await writeDelta(store, produce(input), { mode: 'overwrite', replaceWhere: "part = 'a'", maxRowsPerFile: CHUNK }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WriteError)
    expect(err).toMatchObject({ code: 'ConstraintViolation', context: { row: 40 } })
    expect(await logKeys(store)).toEqual(before)
    expect((await readRows(store)).map((r) => r['id'])).toEqual([1000n, 1001n, 1002n, 1003n])
  })

  it('replaces the matching rows when every streamed row fits replaceWhere', async () => {
    const store = await tableAt0({ partitionBy: ['part'] })
    const input = rowsOf(0, 3 * CHUNK).map((r) => ({ ...r, part: 'a' }))
    expect(await writeDelta(store, produce(input), { mode: 'overwrite', replaceWhere: "part = 'a'", maxRowsPerFile: CHUNK })).toMatchObject({ status: 'committed', version: 1 })
    const ids = (await readRows(store)).map((r) => Number(r['id']))
    expect(ids).toEqual([...Array.from({ length: 30 }, (_, i) => i), 1001, 1003])
  })

  it('merges a column that appears only in a later chunk into an existing table, in one commit', async () => {
    const store = await tableAt0()
    const input = [...rowsOf(0, 3 * CHUNK), ...rowsOf(3 * CHUNK, 5 * CHUNK).map((r) => ({ ...r, extra: `x${String(r['id'])}` }))]
    const result = await writeDelta(store, produce(input), { mode: 'append', schemaMode: 'merge', maxRowsPerFile: CHUNK })
    expect(result).toMatchObject({ status: 'committed', version: 1, numRows: 50 })
    const actions = parseCommit(await store.get(commitPath(1)), 1)
    expect(actions.filter((a) => a.kind === 'metaData')).toHaveLength(1)
    expect(actions.filter((a) => a.kind === 'add')).toHaveLength(5)
    const table = await DeltaTable.open(store)
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'part', 'extra'])
    const rows = await readRows(store)
    expect(rows).toHaveLength(54)
    expect(rows.map((r) => r['extra'])).toEqual([...Array.from({ length: 30 }, () => null), ...Array.from({ length: 20 }, (_, i) => `x${30 + i}`), null, null, null, null])
  })

  it('creates a table whose inferred schema gains the columns of later chunks with schemaMode merge', async () => {
    const store = new MemoryStore()
    const input = [...rowsOf(0, CHUNK), ...rowsOf(CHUNK, 2 * CHUNK).map((r) => ({ ...r, flag: true }))]
    expect(await writeDelta(store, produce(input), { schemaMode: 'merge', maxRowsPerFile: CHUNK })).toMatchObject({ status: 'committed', version: 0 })
    expect((await DeltaTable.open(store)).schema.fields.map((f) => f.name)).toEqual(['id', 'part', 'flag'])
    expect((await readRows(store)).map((r) => r['flag'])).toEqual([...Array.from({ length: 10 }, () => null), ...Array.from({ length: 10 }, () => true)])
  })

  it('infers a new table’s schema from the first chunk: a later new column fails without schemaMode merge', async () => {
    const store = new MemoryStore()
    const input = [...rowsOf(0, CHUNK), { ...row(10), flag: true }]
    const err = await writeDelta(store, produce(input), { maxRowsPerFile: CHUNK }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'SchemaMismatch', context: { row: 10 } })
    expect(await logKeys(store)).toEqual([])
  })

  it('names a late non-object row by its index in the whole input, with schemaMode merge too', async () => {
    const store = await tableAt0()
    const input: unknown[] = [...rowsOf(0, 2 * CHUNK), 'not a row']
    const err = await writeDelta(store, produce(input), { mode: 'append', schemaMode: 'merge', maxRowsPerFile: CHUNK }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'SchemaMismatch', context: { row: 20 } })
    expect((await loadSnapshot(createEngine(store))).version).toBe(0)
  })

  it('skips in mode ignore without reading the whole input', async () => {
    const store = await tableAt0()
    let produced = 0
    const input = (async function* (): AsyncGenerator<unknown> {
      for (let i = 0; i < 10 * CHUNK; i++, produced++) yield await Promise.resolve(row(i))
    })()
    expect(await writeDelta(store, input, { mode: 'ignore', maxRowsPerFile: CHUNK })).toMatchObject({ status: 'skipped', version: 0 })
    expect(produced).toBeLessThan(10 * CHUNK)
  })

  it('commits its written files into the table a concurrent create won, when it has the same schema and partitioning', async () => {
    const { store, result } = await raceCreate(produce(rowsOf(0, 2 * CHUNK)), { mode: 'append', schema: SCHEMA, maxRowsPerFile: CHUNK })
    expect(await result).toMatchObject({ status: 'committed', version: 1, numRows: 20 })
    expect((await readRows(store)).map((r) => Number(r['id']))).toEqual([...Array.from({ length: 20 }, (_, i) => i), 1000, 1001])
  })

  it('fails with TableExists when the table a concurrent create won has another partitioning', async () => {
    const { store, result } = await raceCreate(produce(rowsOf(0, 2 * CHUNK)), { mode: 'append', schema: SCHEMA, partitionBy: ['part'], maxRowsPerFile: CHUNK })
    await expect(result).rejects.toMatchObject({ code: 'TableExists', context: { causeCode: 'InvalidArgument' } })
    expect((await loadSnapshot(createEngine(store))).version).toBe(0)
    expect(await parquetKeys(store)).toEqual(await tableFiles(store))
  })
})

async function parquetKeys(store: ObjectStore): Promise<string[]> {
  return (await listKeys(store)).map((k) => k.split(' ')[0] ?? '').filter((k) => k.endsWith('.parquet')).sort()
}

async function tableFiles(store: ObjectStore): Promise<string[]> {
  return (await loadSnapshot(createEngine(store))).files().map((f) => f.path).sort()
}

/** Holds the streamed write at its create commit, lets another writer create the table, then releases it. */
async function raceCreate(input: AsyncIterable<unknown>, options: WriteOptions): Promise<{ store: MemoryStore; result: Promise<unknown> }> {
  const store = new MemoryStore()
  const gate = gatedPutIfAbsent(store, commitPath(0))
  const result = writeDelta(gate.store, input, options)
  result.catch(() => {})
  await gate.reached
  await writeDelta(store, rowsOf(1000, 1002), { mode: 'append', schema: SCHEMA })
  gate.open()
  return { store, result }
}
