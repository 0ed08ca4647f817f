// The columnar upsert route of MERGE (operations/merge/columnar-route.ts, columnar-writer.ts): which
// MERGEs write their new rows through the columnar encoder (seen in the data files' `created_by`), that
// every other shape keeps the row writer, that the route's files hold the same rows and stats, and that
// its failures (duplicate source keys, NOT NULL, type errors) leave the table as it was.

import { describe, expect, it } from 'vitest'
import { batchBuilderFor, readParquetMetadata } from '@lake/parquet'
import { Table as ArrowTable, tableFromArrays } from 'apache-arrow'
import type { StructType } from '@lake/parquet'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import { Transaction, loadSnapshot } from '../../src/internal.js'
import type { AddFile } from '../../src/internal.js'
import { executeMerge } from '../../src/operations/merge/execute.js'
import type { MergeExecutor } from '../../src/operations/merge/execute.js'
import { MemoryStore } from '@lake/storage'
import { mergeWriteRoute } from '../../src/operations/merge/columnar-route.js'
import type { MergePlan, MergeSpec } from '../../src/operations/merge/plan.js'
import type { MergeBuilder } from '../../src/operations/merge/builder.js'
import { SCHEMA, actionsOf, createTable, keys, newTable, rowsAt, toRow } from './helpers.js'
import type { TableOptions, TestRow } from './helpers.js'

const COLUMNAR = 'columnar'
const ROWS = 'hyparquet-writer'
/** The columnar encoder's writers: the plain writer for flat columns, parquet-wasm for the rest. */
const COLUMNAR_WRITERS = ['(plain writer)', 'parquet-wasm']
const base = (from: number, to: number): TestRow[] => Array.from({ length: to - from }, (_, i) => ({ id: from + i, p: 'a', v: from + i }))
const upsertSource = [
  { id: 5n, p: 'u', v: 500 },
  { id: 30n, p: 'n', v: 3000 },
]

async function filled(options: TableOptions): Promise<{ engine: Engine; store: MemoryStore }> {
  const t = await newTable(options)
  await (await DeltaTable.open(t.engine)).write(base(0, 10).map(toRow))
  return t
}

/** The writer (`created_by`) of every new data file of version `version` (not the files re-added with a deletion vector). */
async function writersOf(engine: Engine, version: number): Promise<string[]> {
  const adds = (await actionsOf(engine, version)).flatMap((a) => (a.kind === 'add' && (a.add.deletionVector ?? undefined) === undefined ? [a.add] : []))
  return Promise.all(adds.map(async (add: AddFile) => {
    const bytes = await engine.store.get(decodeURIComponent(add.path))
    const info = await readParquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
    const createdBy = info.createdBy ?? ''
    return COLUMNAR_WRITERS.some((w) => createdBy.includes(w)) ? COLUMNAR : ROWS
  }))
}

describe('MERGE: the columnar upsert route', () => {
  it('writes the update post-images and inserts of a plain upsert with deletion vectors column by column, with the same rows, metrics and stats', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const result = await (await DeltaTable.open(engine)).merge(upsertSource, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(result.metrics).toMatchObject({ numSourceRows: 2, numTargetRowsUpdated: 1, numTargetRowsInserted: 1, numTargetRowsCopied: 0, numTargetDeletionVectorsAdded: 1, numOutputRows: 2 })
    expect(await writersOf(engine, 2)).toEqual([COLUMNAR])
    const expected = [...base(0, 10).map((r) => (r.id === 5 ? { id: 5, p: 'u', v: 500 } : r)), { id: 30, p: 'n', v: 3000 }]
    expect(await rowsAt(engine)).toEqual(expected)
    const add = (await actionsOf(engine, 2)).flatMap((a) => (a.kind === 'add' && (a.add.deletionVector ?? undefined) === undefined ? [a.add] : []))[0]
    expect(JSON.parse(add?.stats ?? '{}')).toEqual({ numRecords: 2, minValues: { id: 5, p: 'n', v: 500 }, maxValues: { id: 30, p: 'u', v: 3000 }, nullCount: { id: 0, p: 0, v: 0 } })
  })

  it.each([
    ['insert-only', (b: MergeBuilder) => b.whenNotMatchedInsertAll()],
    ['matched delete + insert', (b: MergeBuilder) => b.whenMatchedDelete().whenNotMatchedInsertAll()],
  ])('takes the columnar route for %s', async (_name, clauses) => {
    const { engine } = await filled({ dv: true, partitioned: false })
    await clauses((await DeltaTable.open(engine)).merge(upsertSource, { on: 'target.id = source.id' })).execute()
    expect(await writersOf(engine, 2)).toEqual([COLUMNAR])
  })

  it('copy-on-write (no deletion vectors): the rewritten file\'s other rows and the new rows are written column by column into one file, with the row route\'s rows and metrics', async () => {
    const { engine } = await filled({ dv: false, partitioned: false })
    const result = await (await DeltaTable.open(engine)).merge(upsertSource, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(result.metrics).toMatchObject({ numSourceRows: 2, numTargetRowsUpdated: 1, numTargetRowsInserted: 1, numTargetRowsCopied: 9, numTargetFilesRemoved: 1, numTargetFilesAdded: 1, numTargetDeletionVectorsAdded: 0, numOutputRows: 11 })
    expect(await writersOf(engine, 2)).toEqual([COLUMNAR])
    const expected = [...base(0, 10).map((r) => (r.id === 5 ? { id: 5, p: 'u', v: 500 } : r)), { id: 30, p: 'n', v: 3000 }]
    expect(await rowsAt(engine)).toEqual(expected)
    expect((await actionsOf(engine, 2)).filter((a) => a.kind === 'remove')).toHaveLength(1)
  })

  it.each([
    ['a clause condition', { dv: true, partitioned: false }, (b: MergeBuilder) => b.whenMatchedUpdateAll({ condition: 'source.v > 0' }).whenNotMatchedInsertAll()],
    ['an UPDATE SET list', { dv: true, partitioned: false }, (b: MergeBuilder) => b.whenMatchedUpdate({ set: { v: 'source.v' } }).whenNotMatchedInsertAll()],
    ['a NOT MATCHED BY SOURCE clause', { dv: true, partitioned: false }, (b: MergeBuilder) => b.whenMatchedUpdateAll().whenNotMatchedInsertAll().whenNotMatchedBySourceDelete({ condition: 'target.id > 8' })],
    ['the change data feed', { dv: true, partitioned: false, cdf: true }, (b: MergeBuilder) => b.whenMatchedUpdateAll().whenNotMatchedInsertAll()],
    ['a partitioned table', { dv: true, partitioned: true }, (b: MergeBuilder) => b.whenMatchedUpdateAll().whenNotMatchedInsertAll()],
  ])('keeps the row writer with %s', async (_name, options: TableOptions, clauses) => {
    const { engine } = await filled(options)
    await clauses((await DeltaTable.open(engine)).merge(upsertSource, { on: 'target.id = source.id' })).execute()
    expect(new Set(await writersOf(engine, 2))).toEqual(new Set([ROWS]))
  })

  it('keeps the row writer when schemaMode merge adds a column, and for a column the Arrow builders do not cover (decimal)', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const wider = [{ id: 5n, p: 'u', v: 500, w: 'new' }]
    await (await DeltaTable.open(engine)).merge(wider, { on: 'target.id = source.id', schemaMode: 'merge' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(await writersOf(engine, 2)).toEqual([ROWS])
    const schema: StructType = { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} }, { name: 'd', type: { kind: 'decimal', precision: 10, scale: 2 }, nullable: true, metadata: {} }] }
    const decimals = createEngine(new MemoryStore({ url: 'memory://dec' }))
    await DeltaTable.create(decimals, { schema, configuration: { 'delta.enableDeletionVectors': 'true' } })
    await (await DeltaTable.open(decimals)).merge([{ id: 1n, d: '1.25' }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(await writersOf(decimals, 1)).toEqual([ROWS])
  })

  it('keeps the row writer on a table with column mapping (physical names)', () => {
    const spec: MergeSpec = { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: [{ kind: 'matchedUpdateAll' }, { kind: 'notMatchedInsertAll' }] }
    const plan = { mode: 'deletionVectors', insertOnly: false, metadata: undefined, protocol: undefined } as unknown as MergePlan
    const config = { enableChangeDataFeed: false } as never
    expect(mergeWriteRoute(spec, plan, { columnMappingMode: 'none', config })).toBe('columnar')
    expect(mergeWriteRoute(spec, plan, { columnMappingMode: 'name', config })).toBe('rows')
    expect(mergeWriteRoute(spec, plan, { columnMappingMode: 'id', config })).toBe('rows')
  })
})

describe('MERGE: failures on the columnar upsert route leave the table as it was', () => {
  async function unchangedAfter(run: (table: DeltaTable) => Promise<unknown>, expected: Record<string, unknown>): Promise<void> {
    const { engine, store } = await filled({ dv: true, partitioned: false })
    const before = await keys(store)
    await expect(run(await DeltaTable.open(engine))).rejects.toMatchObject(expected)
    expect((await DeltaTable.open(engine)).version).toBe(1)
    expect(await keys(store)).toEqual(before)
    expect(await rowsAt(engine)).toEqual(base(0, 10))
  }

  it('two source rows matching one target row: MultipleSourceRowsMatched', async () => {
    const source = [{ id: 5n, p: 'x', v: 1 }, { id: 5n, p: 'y', v: 2 }, { id: 40n, p: 'z', v: 3 }]
    await unchangedAfter((t) => t.merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(), { code: 'MultipleSourceRowsMatched' })
  })

  it('a NULL for the NOT NULL key of an inserted row: SchemaError naming the column', async () => {
    const source = [{ id: 5n, p: 'x', v: 1 }, { id: null, p: 'y', v: 2 }]
    await unchangedAfter((t) => t.merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(), { name: 'SchemaError', context: expect.objectContaining({ column: 'id' }) as unknown })
  })

  it('a value of the wrong type: SchemaError naming the column', async () => {
    const source = [{ id: 5n, p: 'x', v: 'not a number' }]
    await unchangedAfter((t) => t.merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(), { name: 'SchemaError', context: expect.objectContaining({ column: 'v' }) as unknown })
  })
})

describe('MERGE: copy-on-write on the columnar executor, a file with an earlier deletion vector', () => {
  it('keeps the rows its deletion vector deletes deleted: they are not copied', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    await (await DeltaTable.open(engine)).delete('id = 3 OR id = 8')
    // Deletion vectors turned off afterwards (as ALTER TABLE SET TBLPROPERTIES does): the MERGE runs copy-on-write.
    const snapshot = await loadSnapshot(engine)
    const configuration = { ...snapshot.metadata.configuration, 'delta.enableDeletionVectors': 'false' }
    await Transaction.begin(engine, snapshot, { operation: { kind: 'custom', operation: 'SET TBLPROPERTIES', parameters: {} } }).setMetadata({ ...snapshot.metadata, configuration }).commit()
    const executors: MergeExecutor[] = []
    const spec = { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: [{ kind: 'matchedUpdateAll' as const }, { kind: 'notMatchedInsertAll' as const }] }
    const result = await executeMerge(engine, upsertSource, spec, {}, { onExecutor: (e) => executors.push(e) })
    expect(executors).toEqual(['columnar'])
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1, numTargetRowsCopied: 7, numTargetFilesRemoved: 1, numTargetDeletionVectorsRemoved: 1 })
    const expected = [...base(0, 10).filter((r) => r.id !== 3 && r.id !== 8).map((r) => (r.id === 5 ? { id: 5, p: 'u', v: 500 } : r)), { id: 30, p: 'n', v: 3000 }]
    expect(await rowsAt(engine)).toEqual(expected)
  })
})

describe('MERGE: copy-on-write on the columnar executor, a failed write', () => {
  /** A memory store whose `failAt`-th data file write (put-if-absent, 1-based) fails. */
  class FailingPuts extends MemoryStore {
    puts = 0
    constructor(readonly failAt: number) {
      super({ url: 'memory://failing' })
    }

    override async putIfAbsent(path: string, bytes: Uint8Array, options = {}): ReturnType<MemoryStore['putIfAbsent']> {
      if (path.endsWith('.parquet') && ++this.puts === this.failAt) throw new Error(`injected failure writing ${path}`)
      return super.putIfAbsent(path, bytes, options)
    }
  }

  it('joins the copies of several rewritten files and the new rows into files of the target size', async () => {
    const engine = await createTable(new MemoryStore({ url: 'memory://joined' }), { dv: false, partitioned: false })
    await (await DeltaTable.open(engine)).write(base(0, 10).map(toRow))
    await (await DeltaTable.open(engine)).write(base(10, 20).map(toRow))
    const source = [{ id: 5n, p: 'u', v: 1 }, { id: 15n, p: 'u', v: 2 }, { id: 30n, p: 'n', v: 3 }]
    const merge = (targetFileBytes?: number) => DeltaTable.open(engine).then((t) => t.merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(targetFileBytes === undefined ? {} : { targetFileBytes }))
    const joined = await merge()
    expect(joined.metrics).toMatchObject({ numTargetFilesRemoved: 2, numTargetFilesAdded: 1, numTargetRowsCopied: 18, numOutputRows: 21 })
    const changed = (r: TestRow): TestRow => (r.id === 5 ? { id: 5, p: 'u', v: 1 } : r.id === 15 ? { id: 15, p: 'u', v: 2 } : r)
    const expected = [...base(0, 20).map(changed), { id: 30, p: 'n', v: 3 }]
    expect(await rowsAt(engine)).toEqual(expected)
    // A target below one row's bytes: every batch is cut into files of one row, as writeBatches cuts.
    const cut = await merge(1)
    expect(cut.metrics).toMatchObject({ numTargetFilesRemoved: 1, numTargetFilesAdded: 21, numTargetRowsCopied: 18, numOutputRows: 21 })
    expect(await rowsAt(engine)).toEqual(expected)
  })

  it.each([1, 11, 21])('data file write %i failing (a copy of the first or the second file, or the new rows, while the others succeed) fails the MERGE and leaves the store as it was', async (failAt) => {
    const store = new FailingPuts(Number.MAX_SAFE_INTEGER)
    const engine = await createTable(store, { dv: false, partitioned: false })
    await (await DeltaTable.open(engine)).write(base(0, 10).map(toRow))
    await (await DeltaTable.open(engine)).write(base(10, 20).map(toRow))
    const before = await keys(store)
    store.puts = 0
    Object.assign(store, { failAt })
    // Updates rows of both files (9 copies each) and inserts one; a 1-byte target writes every row as a file of its own.
    const source = [{ id: 5n, p: 'u', v: 1 }, { id: 15n, p: 'u', v: 2 }, { id: 30n, p: 'n', v: 3 }]
    const run = (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute({ targetFileBytes: 1 })
    await expect(run).rejects.toThrow('injected failure')
    expect(await keys(store)).toEqual(before)
    expect(await rowsAt(engine)).toEqual(base(0, 20))
  })
})

describe('MERGE: CHECK constraints on the columnar upsert route', () => {
  it('an inserted row violating a CHECK constraint fails the MERGE and leaves the store as it was; valid rows take the columnar route', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: false, configuration: { 'delta.constraints.small': 'v IS NULL OR v < 1000' } })
    const before = await keys(store)
    const run = (await DeltaTable.open(engine)).merge(upsertSource, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    await expect(run).rejects.toMatchObject({ code: 'ConstraintViolation', context: expect.objectContaining({ constraint: 'small' }) as unknown })
    expect(await keys(store)).toEqual(before)
    await (await DeltaTable.open(engine)).merge([{ id: 5n, p: 'u', v: 999 }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(await writersOf(engine, 2)).toEqual([COLUMNAR])
  })
})

describe('MERGE: an Arrow source', () => {
  it('an Arrow Table merges as its rows (exact longs), on the columnar route, with the same result as row objects', async () => {
    const { engine } = await filled({ dv: true, partitioned: false })
    const builder = batchBuilderFor(SCHEMA)
    upsertSource.forEach((r) => builder?.append(r))
    const source = new ArrowTable(builder === undefined ? [] : [builder.finish()])
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(result.metrics).toMatchObject({ numSourceRows: 2, numTargetRowsUpdated: 1, numTargetRowsInserted: 1 })
    expect(await writersOf(engine, 2)).toEqual([COLUMNAR])
    expect(await rowsAt(engine)).toEqual([...base(0, 10).map((r) => (r.id === 5 ? { id: 5, p: 'u', v: 500 } : r)), { id: 30, p: 'n', v: 3000 }])
  })

  it('Arrow columns of other types are cast to the target\'s (int32 key into long, int64 into integer); a value out of range fails naming the column, table unchanged', async () => {
    const { engine, store } = await filled({ dv: true, partitioned: false })
    const cast = tableFromArrays({ id: Int32Array.from([2, 30]), p: ['x', 'y'], v: BigInt64Array.from([20n, 300n]) })
    await (await DeltaTable.open(engine)).merge(cast, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(await rowsAt(engine)).toEqual([...base(0, 10).map((r) => (r.id === 2 ? { id: 2, p: 'x', v: 20 } : r)), { id: 30, p: 'y', v: 300 }])
    const before = await keys(store)
    const tooBig = tableFromArrays({ id: Int32Array.from([3, 40]), p: ['x', 'y'], v: BigInt64Array.from([1n, 2n ** 40n]) })
    const run = (await DeltaTable.open(engine)).merge(tooBig, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    await expect(run).rejects.toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: expect.objectContaining({ column: 'v', row: 1 }) as unknown })
    expect(await keys(store)).toEqual(before)
  })
})
