// MERGE end to end on in-memory tables: upsert, every clause kind, conditions, NULL keys, the
// duplicate-source-key error, schemaMode merge (nested too), DV on/off, partitioned tables, the
// insert-only path, pruning, a table as the source, commitInfo and the errors raised before any I/O.

import { describe, expect, it } from 'vitest'
import { MemoryStore, StorageError, faultyStore } from '@lake/storage'
import { gatedPutIfAbsent } from '../helpers/gated-store.js'
import { DeltaTable, MergeError, createEngine, isLakeError } from '../../src/index.js'
import type { CommitInfo, RemoveFile } from '../../src/internal.js'
import { SCHEMA, actionsOf, keys, newTable, rowsAt, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'

const rows = (from: number, to: number, p: string): TestRow[] => Array.from({ length: to - from }, (_, i) => ({ id: from + i, p, v: from + i }))

async function filled(options: { dv: boolean; partitioned: boolean }) {
  const t = await newTable(options)
  const table = await DeltaTable.open(t.engine)
  await table.write(rows(0, 10, 'a').map(toRow)) // v1
  await table.write(rows(10, 20, 'b').map(toRow)) // v2
  return t
}

const commitInfo = (actions: Awaited<ReturnType<typeof actionsOf>>): CommitInfo | undefined => actions.flatMap((a) => (a.kind === 'commitInfo' ? [a.commitInfo] : []))[0]
const removes = (actions: Awaited<ReturnType<typeof actionsOf>>): RemoveFile[] => actions.flatMap((a) => (a.kind === 'remove' ? [a.remove] : []))
const MODES = [
  { dv: true, partitioned: false },
  { dv: false, partitioned: false },
  { dv: true, partitioned: true },
  { dv: false, partitioned: true },
]

describe('DeltaTable.merge: upsert', () => {
  it.each(MODES)('updates matched rows and inserts the others (DV %s, partitioned %s)', async (mode) => {
    const { engine } = await filled(mode)
    const source = [
      { id: 5n, p: 'a', v: 500 },
      { id: 15, p: 'b', v: 1500 },
      { id: 30, p: 'c', v: 3000 },
    ]
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(result.version).toBe(3)
    expect(result.metrics).toMatchObject({ numSourceRows: 3, numTargetRowsUpdated: 2, numTargetRowsMatchedUpdated: 2, numTargetRowsInserted: 1, numTargetRowsDeleted: 0 })
    const expected = [...rows(0, 20, 'x').map((r) => ({ ...r, p: r.id < 10 ? 'a' : 'b' })), { id: 30, p: 'c', v: 3000 }].map((r) => (r.id === 5 ? { ...r, v: 500 } : r.id === 15 ? { ...r, v: 1500 } : r))
    expect(await rowsAt(engine)).toEqual(expected)
    expect(await rowsAt(engine, 2)).toHaveLength(20)
    if (mode.dv) expect(result.metrics).toMatchObject({ numTargetDeletionVectorsAdded: 2, numTargetRowsCopied: 0, numTargetFilesRemoved: 0 })
    else expect(result.metrics).toMatchObject({ numTargetRowsCopied: 18, numTargetFilesRemoved: 2, numTargetDeletionVectorsAdded: 0 })
    expect(result.metrics.numOutputRows).toBe(result.metrics.numTargetRowsInserted + result.metrics.numTargetRowsUpdated + result.metrics.numTargetRowsCopied)
  })

  it('writes a MERGE commitInfo with Spark\'s parameters and metrics as strings', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    await (await DeltaTable.open(engine))
      .merge([{ id: 1, p: 'a', v: 7 }], { on: 'target.id = source.id' })
      .whenMatchedUpdate({ set: { v: 'source.v' }, condition: 'source.v > 3' })
      .whenMatchedDelete()
      .whenNotMatchedInsertAll()
      .whenNotMatchedBySourceDelete({ condition: 'target.id > 18' })
      .execute()
    const info = commitInfo(await actionsOf(engine, 3))
    expect(info).toMatchObject({
      operation: 'MERGE',
      isBlindAppend: false,
      operationParameters: {
        predicate: '["target.id = source.id"]',
        matchedPredicates: '[{"predicate":"source.v > 3","actionType":"update"},{"actionType":"delete"}]',
        notMatchedPredicates: '[{"actionType":"insert"}]',
        notMatchedBySourcePredicates: '[{"predicate":"target.id > 18","actionType":"delete"}]',
      },
    })
    expect(info?.operationMetrics).toMatchObject({ numSourceRows: '1', numTargetRowsMatchedUpdated: '1', numTargetRowsNotMatchedBySourceDeleted: '1', numTargetRowsDeleted: '1' })
    expect(await rowsAt(engine)).toEqual([...rows(0, 19, 'x').map((r) => ({ ...r, p: r.id < 10 ? 'a' : 'b' }))].map((r) => (r.id === 1 ? { ...r, v: 7 } : r)))
  })
})

describe('DeltaTable.merge: clauses and conditions', () => {
  it('tries matched clauses in order, the first TRUE condition acts (NULL is not TRUE)', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const source = [
      { id: 1, p: 'a', v: 1 }, // v = 1 → delete
      { id: 2, p: 'a', v: 2 }, // v = 2 → update to 2
      { id: 3, p: 'a', v: null }, // both conditions NULL → untouched
    ]
    const result = await (await DeltaTable.open(engine))
      .merge(source, { on: 'target.id = source.id' })
      .whenMatchedDelete({ condition: 'source.v = 1' })
      .whenMatchedUpdate({ set: { v: '200' }, condition: 'source.v >= 2' })
      .execute()
    expect(result.metrics).toMatchObject({ numTargetRowsMatchedDeleted: 1, numTargetRowsMatchedUpdated: 1 })
    const after = await rowsAt(engine)
    expect(after.map((r) => r.id)).not.toContain(1)
    expect(after.find((r) => r.id === 2)?.v).toBe(200)
    expect(after.find((r) => r.id === 3)?.v).toBe(3)
  })

  it('inserts with explicit values (unlisted columns NULL) and conditions; NULL source keys never match', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const source = [
      { id: 2, p: 'z', v: 9 }, // matches: not inserted
      { id: null, p: 'n', v: 1 }, // NULL key: not matched, inserted? id is NOT NULL in the table
      { id: 40, p: 'z', v: 4 },
      { id: 41, p: 'z', v: 0 },
    ]
    const result = await (await DeltaTable.open(engine))
      .merge(source, { on: 'target.id = source.id' })
      .whenNotMatchedInsert({ values: { id: 'source.id', p: "'new'" }, condition: 'source.v > 2 AND source.id IS NOT NULL' })
      .execute()
    expect(result.metrics).toMatchObject({ numTargetRowsInserted: 1, numTargetFilesRemoved: 0 })
    const after = await rowsAt(engine)
    expect(after.find((r) => r.id === 40)).toEqual({ id: 40, p: 'new', v: null })
    expect(after).toHaveLength(21)
  })

  it('updates and deletes target rows no source row matches (WHEN NOT MATCHED BY SOURCE)', async () => {
    const { engine } = await filled({ dv: true, partitioned: true })
    const result = await (await DeltaTable.open(engine))
      .merge([{ id: 0, p: 'a', v: 0 }], { on: 'target.id = source.id' })
      .whenNotMatchedBySourceUpdate({ set: { v: '-1' }, condition: "target.p = 'a'" })
      .whenNotMatchedBySourceDelete()
      .execute()
    expect(result.metrics).toMatchObject({ numTargetRowsNotMatchedBySourceUpdated: 9, numTargetRowsNotMatchedBySourceDeleted: 10 })
    expect(await rowsAt(engine)).toEqual([{ id: 0, p: 'a', v: 0 }, ...rows(1, 10, 'a').map((r) => ({ ...r, v: -1 }))])
  })

  it('a target row with a NULL key matches nothing', async () => {
    const { engine } = await newTable({ dv: false, partitioned: false })
    await (await DeltaTable.open(engine)).write([toRow({ id: 1, p: null, v: 1 }), toRow({ id: 2, p: 'x', v: 2 })])
    const result = await (await DeltaTable.open(engine))
      .merge([{ id: 9, p: null, v: 9 }], { on: 'target.p = source.p' })
      .whenMatchedDelete()
      .whenNotMatchedInsertAll()
      .execute()
    expect(result.metrics).toMatchObject({ numTargetRowsDeleted: 0, numTargetRowsInserted: 1 })
    expect((await rowsAt(engine)).map((r) => r.id)).toEqual([1, 2, 9])
  })
})

describe('DeltaTable.merge: expressions and the ON clause', () => {
  it('assigns arithmetic, CASE and string functions over both relations; unqualified names resolve when unambiguous', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const source = [{ id: 3, w: 5, tag: 'x' }, { id: 60, w: 6, tag: 'y' }]
    const result = await (await DeltaTable.open(engine))
      .merge(source, { on: 'target.id = source.id' })
      .whenMatchedUpdate({ set: { v: 'target.v * 10 + w', p: "upper(tag) || '-' || CASE WHEN w > 4 THEN 'big' ELSE 'small' END" } })
      .whenNotMatchedInsert({ values: { id: 'source.id', v: 'length(tag) + 1', p: 'concat(tag, tag)' } })
      .execute()
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1 })
    const after = await rowsAt(engine)
    expect(after.find((r) => r.id === 3)).toEqual({ id: 3, p: 'X-big', v: 35 })
    expect(after.find((r) => r.id === 60)).toEqual({ id: 60, p: 'yy', v: 2 })
  })

  it('refuses an ambiguous unqualified name and a value that cannot be stored, before any write', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const table = await DeltaTable.open(engine)
    await expect(table.merge([{ id: 1, v: 2 }], { on: 'id = source.id' }).whenMatchedDelete().execute()).rejects.toMatchObject({ code: 'InvalidPredicate' })
    await expect(table.merge([{ id: 1, v: 2 }], { on: 'target.id = source.id' }).whenMatchedUpdate({ set: { v: "'text'" } }).execute()).rejects.toMatchObject({ code: 'InvalidPredicate' })
    expect((await DeltaTable.open(engine)).version).toBe(2)
  })

  it('a source-only ON conjunct that is not TRUE makes the source row unmatched (it is inserted)', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const source = [{ id: 1, p: 'a', v: null }, { id: 2, p: 'a', v: 22 }]
    const result = await (await DeltaTable.open(engine))
      .merge(source, { on: 'target.id = source.id AND source.v IS NOT NULL' })
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute()
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1 })
    expect((await rowsAt(engine)).filter((r) => r.id <= 2)).toEqual([{ id: 0, p: 'a', v: 0 }, { id: 1, p: 'a', v: null }, { id: 1, p: 'a', v: 1 }, { id: 2, p: 'a', v: 22 }])
  })

  it('a residual ON conjunct over both relations filters matched pairs', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const source = [{ id: 4, v: 100 }, { id: 5, v: 1 }]
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id AND target.v < source.v' }).whenMatchedDelete().execute()
    expect(result.metrics.numTargetRowsDeleted).toBe(1)
    expect((await rowsAt(engine)).map((r) => r.id)).toEqual([0, 1, 2, 3, ...Array.from({ length: 15 }, (_, i) => i + 5)])
  })

  it('an ON without an equality joins every pair (nested loop): a range delete', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const result = await (await DeltaTable.open(engine)).merge([{ lo: 3, hi: 5 }, { lo: 4, hi: 12 }], { on: 'target.id BETWEEN source.lo AND source.hi' }).whenMatchedDelete().execute()
    expect(result.metrics.numTargetRowsDeleted).toBe(10)
    expect((await rowsAt(engine)).map((r) => r.id)).toEqual([0, 1, 2, 13, 14, 15, 16, 17, 18, 19])
  })
})

describe('DeltaTable.merge: several source rows for one target row', () => {
  it.each([true, false])('fails with MultipleSourceRowsMatched naming the key and leaves table and store as they were (DV %s)', async (dv) => {
    const { engine, store } = await filled({ dv, partitioned: false })
    const before = await keys(store)
    const source = [
      { id: 30, p: 'c', v: 1 },
      { id: 7, p: 'a', v: 1 },
      { id: 7, p: 'a', v: 2 },
    ]
    const run = (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    const err: unknown = await run.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MergeError)
    expect(err).toMatchObject({ code: 'MultipleSourceRowsMatched', context: { key: 'target.id = 7', matches: 2 } })
    expect((err as Error).message).toContain('target.id = 7')
    expect(await keys(store)).toEqual(before)
    expect((await DeltaTable.open(engine)).version).toBe(2)
  })

  it('is allowed when the only matched clause is an unconditional delete (Spark)', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const result = await (await DeltaTable.open(engine)).merge([{ id: 7 }, { id: 7 }], { on: 'target.id = source.id' }).whenMatchedDelete().execute()
    expect(result.metrics.numTargetRowsDeleted).toBe(1)
    expect((await rowsAt(engine)).map((r) => r.id)).not.toContain(7)
  })
})

describe('DeltaTable.merge: insert-only and pruning', () => {
  it('an insert-only MERGE changes no target file: the commit only adds', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const result = await (await DeltaTable.open(engine)).merge([{ id: 3, p: 'a', v: 0 }, { id: 50, p: 'c', v: 50 }], { on: 'target.id = source.id' }).whenNotMatchedInsertAll().execute()
    expect(result.metrics).toMatchObject({ numTargetRowsInserted: 1, numTargetFilesAdded: 1, numTargetFilesRemoved: 0, numTargetRowsCopied: 0 })
    const actions = await actionsOf(engine, 3)
    expect(removes(actions)).toEqual([])
    expect(actions.filter((a) => a.kind === 'add')).toHaveLength(1)
  })

  it('reads only files whose key stats can match: the other file is never opened', async () => {
    const { engine, store } = await filled({ dv: false, partitioned: false })
    const [, second] = (await DeltaTable.open(engine)).files()
    await store.delete(decodeURIComponent(second?.path ?? '')) // ids 10..19: reading it would fail
    const result = await (await DeltaTable.open(engine)).merge([{ id: 4, p: 'a', v: 44 }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().execute()
    expect(result.metrics).toMatchObject({ numTargetFilesRemoved: 1, numTargetRowsUpdated: 1, numTargetRowsCopied: 9 })
    const info = commitInfo(await actionsOf(engine, 3))
    expect(info?.operation).toBe('MERGE')
  })

  it('an empty source with no NOT MATCHED BY SOURCE clause reads nothing and commits nothing', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const result = await (await DeltaTable.open(engine)).merge([], { on: 'target.id = source.id' }).whenMatchedDelete().execute()
    expect(result.version).toBeUndefined()
    expect(result.metrics).toMatchObject({ numSourceRows: 0, numTargetRowsDeleted: 0 })
  })
})

describe('DeltaTable.merge: sources and schema evolution', () => {
  it('takes another table as the source (its scan)', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const other = await newTable({ dv: false, partitioned: false })
    await (await DeltaTable.open(other.engine)).write([toRow({ id: 1, p: 'q', v: 100 }), toRow({ id: 99, p: 'q', v: 99 })])
    const source = await DeltaTable.open(other.engine)
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 't.id = s.id', targetAlias: 't', sourceAlias: 's' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1 })
    const after = await rowsAt(engine)
    expect(after.find((r) => r.id === 1)).toEqual({ id: 1, p: 'q', v: 100 })
    expect(after.find((r) => r.id === 99)).toEqual({ id: 99, p: 'q', v: 99 })
  })

  it('accepts an async iterable source', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    async function* gen() {
      yield { id: 100, p: 'g', v: 1 }
      yield { id: 101, p: 'g', v: 2 }
    }
    const result = await (await DeltaTable.open(engine)).merge(gen(), { on: 'target.id = source.id' }).whenNotMatchedInsertAll().execute()
    expect(result.metrics.numTargetRowsInserted).toBe(2)
  })

  it('schemaMode merge adds new source columns in the same commit; without it updateAll ignores them', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const source = [{ id: 1, p: 'a', v: 1, extra: 'x' }, { id: 77, p: 'n', v: 7, extra: 'y' }]
    await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id', schemaMode: 'merge' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    const table = await DeltaTable.open(engine)
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'p', 'v', 'extra'])
    const all = await table.toArray()
    expect(all.find((r) => r['id'] === 1n)?.['extra']).toBe('x')
    expect(all.find((r) => r['id'] === 77n)?.['extra']).toBe('y')
    expect(all.find((r) => r['id'] === 2n)?.['extra']).toBeNull()
    const actions = await actionsOf(engine, 3)
    expect(actions.some((a) => a.kind === 'metaData')).toBe(true)
  })

  it('schemaMode merge adds new nested struct fields', async () => {
    const { engine } = await newTable({ dv: false, partitioned: false })
    const schema = {
      kind: 'struct' as const,
      fields: [
        { name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: false, metadata: {} },
        { name: 's', type: { kind: 'struct' as const, fields: [{ name: 'a', type: { kind: 'primitive' as const, name: 'integer' as const }, nullable: true, metadata: {} }] }, nullable: true, metadata: {} },
      ],
    }
    await (await DeltaTable.open(engine)).write([{ id: 1n, s: { a: 1 } }, { id: 2n, s: { a: 2 } }], { mode: 'overwrite', schemaMode: 'overwrite', schema })
    const result = await (await DeltaTable.open(engine))
      .merge([{ id: 1, s: { a: 10, b: 'new' } }, { id: 3, s: { a: 3, b: 'three' } }], { on: 'target.id = source.id', schemaMode: 'merge' })
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute()
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1 })
    const table = await DeltaTable.open(engine)
    const s = table.schema.fields.find((f) => f.name === 's')
    expect(s?.type).toMatchObject({ kind: 'struct', fields: [{ name: 'a' }, { name: 'b' }] })
    const all = (await table.toArray()).sort((x, y) => Number(x['id']) - Number(y['id']))
    expect(all.map((r) => r['s'])).toEqual([{ a: 10, b: 'new' }, { a: 2, b: null }, { a: 3, b: 'three' }])
  })

  it('updateAll without schemaMode merge needs every target column in the source', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const run = (await DeltaTable.open(engine)).merge([{ id: 1, v: 3 }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().execute()
    await expect(run).rejects.toMatchObject({ code: 'InvalidArgument', context: { column: 'p', clause: 0 } })
  })
})

describe('DeltaTable.merge: constraints on changed rows', () => {
  it('a CHECK constraint violated by an updated row fails the MERGE; the table and store stay as they were', async () => {
    const store = new MemoryStore({ url: 'memory://check' })
    const engine = createEngine(store)
    await DeltaTable.create(engine, { schema: SCHEMA, configuration: { 'delta.constraints.positive': 'v >= 0' } })
    await (await DeltaTable.open(engine)).write(rows(0, 5, 'a').map(toRow))
    const before = await keys(store)
    const run = (await DeltaTable.open(engine)).merge([{ id: 2, p: 'a', v: -1 }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().execute()
    await expect(run).rejects.toMatchObject({ code: 'ConstraintViolation', context: { constraint: 'positive' } })
    expect(await keys(store)).toEqual(before)
    const ok = await (await DeltaTable.open(engine)).merge([{ id: 2, p: 'a', v: 9 }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().execute()
    expect(ok.version).toBe(2)
  })

  it.each([true, false])('errors of a changed row name the source row it came from, whatever the file layout (dv %s)', async (dv) => {
    const store = new MemoryStore({ url: 'memory://check-rows' })
    const engine = createEngine(store)
    await DeltaTable.create(engine, { schema: SCHEMA, configuration: { 'delta.constraints.positive': 'v >= 0', ...(dv ? { 'delta.enableDeletionVectors': 'true' } : {}) } })
    await (await DeltaTable.open(engine)).write(rows(0, 5, 'a').map(toRow))
    const merge = (source: Record<string, unknown>[]) => DeltaTable.open(engine).then((t) => t.merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute())
    await expect(merge([{ id: 9, p: 'a', v: 1 }, { id: 8, p: 'a', v: 1 }, { id: 4, p: 'a', v: -1 }])).rejects.toMatchObject({ code: 'ConstraintViolation', context: { constraint: 'positive', row: 2 } })
    const nullKey = merge([{ id: 4, p: 'a', v: 1 }, { id: null, p: 'a', v: 1 }])
    await expect(nullKey).rejects.toMatchObject({ code: 'SchemaMismatch', context: { column: 'id', row: 1 } })
    await expect(nullKey).rejects.toThrow(/found null in row 1$/)
    expect((await DeltaTable.open(engine)).version).toBe(1)
  })

  it('NULL into a NOT NULL column fails with SchemaMismatch naming the column', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const run = (await DeltaTable.open(engine)).merge([{ id: 2, p: 'a', v: 1 }], { on: 'target.id = source.id' }).whenMatchedUpdate({ set: { id: 'NULL' } }).execute()
    await expect(run).rejects.toMatchObject({ code: 'SchemaMismatch', context: { column: 'id' } })
    expect((await DeltaTable.open(engine)).version).toBe(2)
  })
})

describe('DeltaTable.merge: generated columns', () => {
  async function generatedTable(): Promise<MemoryStore> {
    const store = new MemoryStore({ url: 'memory://generated' })
    const schemaString = JSON.stringify({ type: 'struct', fields: [
      { name: 'id', type: 'long', nullable: true, metadata: {} },
      { name: 'next', type: 'long', nullable: true, metadata: { 'delta.generationExpression': 'id + 1' } },
    ] })
    const protocol = { minReaderVersion: 1, minWriterVersion: 4 }
    const metaData = { id: 'g', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration: {}, createdTime: 0 }
    await store.putIfAbsent('_delta_log/00000000000000000000.json', new TextEncoder().encode(`${JSON.stringify({ protocol })}\n${JSON.stringify({ metaData })}\n`))
    await (await DeltaTable.open(createEngine(store))).write([{ id: 1n }, { id: 2n }], { mode: 'append' })
    return store
  }

  it('an insert-only MERGE computes generated columns the clause leaves out', async () => {
    const engine = createEngine(await generatedTable())
    const result = await (await DeltaTable.open(engine)).merge([{ id: 2 }, { id: 7 }], { on: 'target.id = source.id' }).whenNotMatchedInsert({ values: { id: 'source.id' } }).execute()
    expect(result.metrics.numTargetRowsInserted).toBe(1)
    const rows = (await (await DeltaTable.open(engine)).toArray()).map((r) => [r['id'], r['next']]).sort((a, b) => Number(a[0]) - Number(b[0]))
    expect(rows).toEqual([[1n, 2n], [2n, 3n], [7n, 8n]])
  })

  it('updates and deletes on a table with generated columns are refused before any write (UnsupportedFeature)', async () => {
    const store = await generatedTable()
    const engine = createEngine(store)
    const before = await keys(store)
    const run = (await DeltaTable.open(engine)).merge([{ id: 1 }], { on: 'target.id = source.id' }).whenMatchedDelete().execute()
    await expect(run).rejects.toMatchObject({ code: 'UnsupportedFeature', context: { feature: 'generatedColumns' } })
    expect(await keys(store)).toEqual(before)
  })
})

describe('DeltaTable.merge: checks before any I/O', () => {
  it('refuses an unconditional clause before another of its kind, and no clauses at all', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const table = await DeltaTable.open(engine)
    await expect(table.merge([], { on: 'target.id = source.id' }).whenMatchedDelete().whenMatchedUpdateAll({ condition: 'source.v > 1' }).execute()).rejects.toMatchObject({
      code: 'InvalidArgument',
      context: { clause: 1, unconditional: 0 },
    })
    await expect(table.merge([], { on: 'target.id = source.id' }).execute()).rejects.toMatchObject({ code: 'InvalidArgument', context: { clauses: 0 } })
  })

  it('refuses unknown columns in ON and in assignments', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const table = await DeltaTable.open(engine)
    const bad = table.merge([{ id: 1 }], { on: 'target.nope = source.id' }).whenMatchedDelete().execute()
    await expect(bad).rejects.toMatchObject({ code: 'InvalidPredicate' })
    const badSet = table.merge([{ id: 1 }], { on: 'target.id = source.id' }).whenMatchedUpdate({ set: { nope: '1' } }).execute()
    await expect(badSet).rejects.toMatchObject({ code: 'InvalidArgument', context: { column: 'nope' } })
  })

  it('WHEN NOT MATCHED sees only source columns and BY SOURCE only target columns (Spark)', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const table = await DeltaTable.open(engine)
    const insert = table.merge([{ id: 1, p: 'a', v: 1 }], { on: 'target.id = source.id' }).whenNotMatchedInsertAll({ condition: 'target.v > 1' }).execute()
    await expect(insert).rejects.toMatchObject({ code: 'InvalidPredicate' })
    const bySource = table.merge([{ id: 1, p: 'a', v: 1 }], { on: 'target.id = source.id' }).whenNotMatchedBySourceUpdate({ set: { v: 'source.v' } }).execute()
    await expect(bySource).rejects.toMatchObject({ code: 'InvalidPredicate' })
    const missing = table.merge([{ id: 1, v: 1 }], { on: 'target.id = source.id' }).whenNotMatchedInsertAll().execute()
    await expect(missing).rejects.toMatchObject({ code: 'InvalidArgument', context: { column: 'p' } })
  })

  it.each([0, -1, 1.5])('refuses mergeSourceMaxBytes %s (InvalidArgument)', async (limit) => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const run = (await DeltaTable.open(engine)).merge([], { on: 'target.id = source.id' }).whenMatchedDelete().execute({ mergeSourceMaxBytes: limit })
    await expect(run).rejects.toMatchObject({ code: 'InvalidArgument', context: { option: 'mergeSourceMaxBytes' } })
  })

  it('reads a hole in a source array as the undefined row it is when iterated: the same error, the table unchanged', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const merge = async (source: unknown[]): Promise<unknown> =>
      (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute().catch((e: unknown) => e)
    const [first, last] = [{ id: 1, p: 'x', v: 1 }, { id: 30, p: 'x', v: 30 }]
    const holey: unknown[] = [first]
    holey[2] = last
    const explicit = await merge([first, undefined, last])
    expect(explicit).toBeInstanceOf(Error)
    const fromHole = await merge(holey)
    expect(fromHole).toBeInstanceOf(Error)
    expect(fromHole).toMatchObject({ name: (explicit as Error).name, message: (explicit as Error).message })
    expect((await DeltaTable.open(engine)).version).toBe(2)
  })

  it('refuses a source over mergeSourceMaxBytes with SourceTooLarge before reading the target', async () => {
    const { engine, store } = await filled({ dv: false, partitioned: false })
    for (const f of (await DeltaTable.open(engine)).files()) await store.delete(decodeURIComponent(f.path))
    const source = rows(0, 100, 'a')
    const err: unknown = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().execute({ mergeSourceMaxBytes: 200 }).catch((e: unknown) => e)
    expect(isLakeError(err, 'SourceTooLarge')).toBe(true)
    expect(err).toMatchObject({ context: { limit: 200 } })
  })
})

describe('DeltaTable.merge: concurrency and failed attempts', () => {
  it('with re-planning off, a concurrent MERGE that changed the files it read makes it fail with a conflict; its files are deleted', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: false })
    const initial = await keys(store)
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000003.json')
    const loser = (await DeltaTable.open(createEngine(gated.store))).merge([{ id: 1, p: 'a', v: 100 }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().execute({ commit: { maxReplans: 0 } })
    await gated.reached
    const beforeWinner = await keys(store)
    const winner = await (await DeltaTable.open(engine)).merge([{ id: 2, p: 'a', v: 200 }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().execute()
    expect(winner.version).toBe(3)
    const winnerFiles = (await keys(store)).filter((k) => !beforeWinner.includes(k))
    gated.open()
    await expect(loser).rejects.toMatchObject({ name: 'CommitConflictError', code: 'CommitConflict', context: { winningVersion: 3, replans: 0 } })
    expect(await keys(store)).toEqual([...initial, ...winnerFiles].sort())
    const after = await rowsAt(engine)
    expect(after.find((r) => r.id === 2)?.v).toBe(200)
    expect(after.find((r) => r.id === 1)?.v).toBe(1)
  })

  it('a MERGE into other files than a concurrent one commits after it (no conflict)', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: true })
    const gated = gatedPutIfAbsent(store, '_delta_log/00000000000000000003.json')
    const second = (await DeltaTable.open(createEngine(gated.store))).merge([{ id: 1, p: 'a', v: 100 }], { on: 'target.id = source.id AND target.p = source.p' }).whenMatchedUpdateAll().execute()
    await gated.reached
    await (await DeltaTable.open(engine)).merge([{ id: 12, p: 'b', v: 200 }], { on: 'target.id = source.id AND target.p = source.p' }).whenMatchedUpdateAll().execute()
    gated.open()
    expect((await second).version).toBe(4)
    const after = await rowsAt(engine)
    expect([after.find((r) => r.id === 1)?.v, after.find((r) => r.id === 12)?.v]).toEqual([100, 200])
  })

  it.each([
    ['copy-on-write, the second new file fails to upload', false, /\.parquet$/, 1],
    ['deletion vectors, the DV file fails to upload', true, /^deletion_vector_/, 0],
  ])('leaves table and store as they were when %s', async (_name, dv, path, after) => {
    const { engine, store } = await filled({ dv, partitioned: true })
    const before = await keys(store)
    const failing = createEngine(faultyStore(store, { rules: [{ method: 'putIfAbsent', path, after, error: new StorageError('Unavailable', 'injected upload failure') }] }))
    const source = [{ id: 1, p: 'a', v: 100 }, { id: 12, p: 'b', v: 100 }, { id: 70, p: 'z', v: 1 }]
    const run = (await DeltaTable.open(failing)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    await expect(run).rejects.toMatchObject({ name: 'StorageError', code: 'Unavailable' })
    expect(await keys(store)).toEqual(before)
    expect((await DeltaTable.open(engine)).version).toBe(2)
  })
})
