// DELETE without deletion vectors: the columnar copy-on-write route (rewrite/columnar-rewrite.ts: the
// predicate's columns matched, kept rows taken as Arrow columns and encoded by `encodeBatch`) and the
// row route give the same table on copies of random tables of every flat type (stats on every column
// or the first 4): the same rows and values, metrics, added files' partition values and stats,
// removed files, change data (the deleted rows alone become row objects), or the same error.

import fc from 'fast-check'
import { parquetMetadata } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParquetCodec, StructType } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import { DeltaTable, createEngine, writeDelta } from '../../src/index.js'
import { commitPath, serializeCommit } from '../../src/internal.js'
import { columnarRoute } from '../../src/rewrite/columnar-match.js'
import { commitInfo } from '../helpers/actions.js'
import { FLAT, copyStore, countingCodec, flatTable, flatWrites, outcomeOf } from './copy-on-write-routes.js'
import type { Outcome } from './copy-on-write-routes.js'

afterEach(() => {
  columnarRoute.columnar = true
})

const leaf = fc.constantFrom(
  'id % 3 = 1', 'id = 0', 'i > 0', 'big < 0', 'big = 9007199254740993', 'd >= 0.5', 'fl < 0', "s < 'm'", 'b', 'NOT b', 'sh IS NULL', 'by <> 3',
  "day < DATE '2000-01-01'", "ts > TIMESTAMP '2000-01-01 00:00:00'", "part = 'a'", 'part IS NULL', 'TRUE', 'i / 0 > 1', "upper(s) = 'A'", 'id >= 0',
)
const predicate = fc.oneof(leaf, fc.tuple(leaf, fc.constantFrom('AND', 'OR'), leaf).map(([a, o, b]) => `(${a}) ${o} (${b})`))

async function deleteOn(store: MemoryStore, text: string, columnar: boolean, codec: ParquetCodec): Promise<Outcome> {
  columnarRoute.columnar = columnar
  return outcomeOf(createEngine(store, { codec }), (table) => table.delete(text))
}

describe('DELETE copy-on-write: columnar route vs row route', () => {
  for (const partitioned of [false, true]) {
    it(`give the same rows, metrics, files and errors on random tables (partitioned ${partitioned})`, async () => {
      let columnarRewrites = 0
      let changeRows = 0
      await fc.assert(
        fc.asyncProperty(flatWrites, predicate, fc.boolean(), fc.boolean(), async (writes, text, cdf, fewStats) => {
          const base = await flatTable(writes, partitioned, { ...(cdf ? { 'delta.enableChangeDataFeed': 'true' } : {}), ...(fewStats ? { 'delta.dataSkippingNumIndexedCols': '4' } : {}) })
          const { codec, reads } = countingCodec()
          const columnar = await deleteOn(await copyStore(base), text, true, codec)
          columnarRewrites += reads.batches
          changeRows += columnar.changes?.length ?? 0
          const rows = await deleteOn(await copyStore(base), text, false, countingCodec().codec)
          expect(columnar, text).toEqual(rows)
        }),
        { numRuns: 60 },
      )
      expect(columnarRewrites).toBeGreaterThan(20)
      expect(changeRows).toBeGreaterThan(20)
    }, 240_000)
  }
})

describe('DELETE copy-on-write: which route', () => {
  const writes = [[0, 1, 2, 3, 4, 5].map((id) => ({ id: BigInt(id), i: id * 10, s: `s${id}`, part: id % 2 === 0 ? 'a' : 'b' })), [{ id: 6n, i: 60, s: 's6', part: 'a' }, { id: 7n, i: 7, s: 's7', part: 'b' }]]

  it('reads each rewritten file as Arrow columns and no rows when the predicate is covered', async () => {
    const { codec, reads } = countingCodec()
    const engine = createEngine(await flatTable(writes, false), { codec })
    const table = await DeltaTable.open(engine)
    const { metrics } = await table.delete('i >= 20 AND i < 40')
    expect([reads.batches, reads.rows]).toEqual([1, 0]) // the first write's file; the second's has no match (its i column read only)
    expect(metrics).toMatchObject({ numDeletedRows: 2, numCopiedRows: 4, numRemovedFiles: 1, numAddedFiles: 1 })
    expect((await (await DeltaTable.open(engine)).toArray()).map((r) => r['id']).sort()).toEqual([0n, 1n, 4n, 5n, 6n, 7n])
  })

  it('decides a file whose operand fails on the columnar evaluator row by row, and the others by columns', async () => {
    const text = 'id <> 0 AND i / id >= 10' // divides by zero at id 0 (first file) on the columnar evaluator only
    const { codec, reads } = countingCodec()
    const base = await flatTable(writes, false)
    const columnar = await deleteOn(await copyStore(base), text, true, codec)
    expect(columnar).toEqual(await deleteOn(await copyStore(base), text, false, countingCodec().codec))
    expect(columnar.metrics).toMatchObject({ numDeletedRows: 6, numCopiedRows: 2, numRemovedFiles: 2, numAddedFiles: 2 })
    expect(reads.batches).toBe(1) // file 1 (ids 0-5) row by row; file 2 (ids 6, 7) by columns
  })

  it.each([
    ['a decimal column', { kind: 'struct', fields: [...FLAT.fields, { name: 'amount', type: { kind: 'decimal', precision: 10, scale: 2 }, nullable: true, metadata: {} }] }, {}],
    ['column mapping', FLAT, { 'delta.columnMapping.mode': 'name', 'delta.minReaderVersion': '2', 'delta.minWriterVersion': '5' }],
  ] as const)('takes the row route on a table with %s', async (_name, schema, configuration) => {
    const { codec, reads } = countingCodec()
    const engine = createEngine(new MemoryStore({ url: 'memory://refused' }), { codec })
    await DeltaTable.create(engine, { schema: schema as StructType, configuration: { ...configuration } })
    await (await DeltaTable.open(engine)).write(writes[0] ?? [])
    const { metrics } = await (await DeltaTable.open(engine)).delete('i = 30')
    expect(metrics).toMatchObject({ numDeletedRows: 1, numCopiedRows: 5 })
    expect(reads.batches).toBe(0)
    expect((await (await DeltaTable.open(engine)).toArray()).map((r) => r['id']).sort()).toEqual([0n, 1n, 2n, 4n, 5n])
  })
})

describe('copy-on-write of files that have deletion vectors (DVs turned off after they were written)', () => {
  /** A table whose files got DVs (ids 3 and 5 deleted), then `delta.enableDeletionVectors` removed in version 3. */
  async function withOldDvs(): Promise<MemoryStore> {
    const writes = [[0, 1, 2, 3, 4, 5].map((id) => ({ id: BigInt(id), i: id, s: `s${id}`, part: 'a' })), [6, 7].map((id) => ({ id: BigInt(id), i: id, s: `s${id}`, part: 'b' }))]
    const store = await flatTable(writes, true, { 'delta.enableDeletionVectors': 'true' })
    const engine = createEngine(store)
    await (await DeltaTable.open(engine)).delete('id = 3 OR id = 5')
    const table = await DeltaTable.open(engine)
    expect(table.files().filter((f) => f.deletionVector != null)).toHaveLength(1)
    const configuration = Object.fromEntries(Object.entries(table.metadata.configuration).filter(([k]) => k !== 'delta.enableDeletionVectors'))
    await store.putIfAbsent(commitPath(table.version + 1), serializeCommit([commitInfo(), { kind: 'metaData', metaData: { ...table.metadata, configuration } }]))
    return store
  }

  it.each([
    ['DELETE', (t: DeltaTable) => t.delete('i % 2 = 0')],
    ['UPDATE', (t: DeltaTable) => t.update({ set: { s: "concat(s, '+')" }, where: 'i % 2 = 0' })],
  ] as const)('%s leaves the rows the old DVs hid out of the rewrite, as the row route does', async (_name, operation) => {
    const base = await withOldDvs()
    const { codec, reads } = countingCodec()
    columnarRoute.columnar = true
    const columnar = await outcomeOf(createEngine(await copyStore(base), { codec }), operation)
    expect(reads.batches).toBeGreaterThan(0)
    columnarRoute.columnar = false
    expect(columnar).toEqual(await outcomeOf(createEngine(await copyStore(base), { codec: countingCodec().codec }), operation))
    expect(columnar.adds?.every((a) => a.includes('"dv":null'))).toBe(true)
    expect(columnar.rows?.map((r) => (JSON.parse(r) as { id: string }).id)).toEqual(_name === 'DELETE' ? ['1n', '7n'] : ['0n', '1n', '2n', '4n', '6n', '7n'])
  })
})

describe('copy-on-write of files written before a column was added', () => {
  it.each([
    ['DELETE', (t: DeltaTable) => t.delete('id % 2 = 0')],
    ['UPDATE', (t: DeltaTable) => t.update({ set: { s: "'new'" }, where: 'id % 2 = 0' })],
  ] as const)('%s gives the row route\'s table: the column is NULL in the old rows', async (_name, operation) => {
    const base = new MemoryStore({ url: 'memory://evolved' })
    await writeDelta(base, [0, 1, 2].map((id) => ({ id: BigInt(id), i: id })), { schema: { kind: 'struct', fields: FLAT.fields.slice(0, 3) } })
    await writeDelta(base, [3, 4].map((id) => ({ id: BigInt(id), i: id, s: `s${id}` })), { mode: 'append', schemaMode: 'merge' })
    const { codec, reads } = countingCodec()
    const columnar = await outcomeOf(createEngine(await copyStore(base), { codec }), operation)
    expect(reads.batches).toBe(2)
    columnarRoute.columnar = false
    expect(columnar).toEqual(await outcomeOf(createEngine(await copyStore(base), { codec: countingCodec().codec }), operation))
    expect(columnar.rows?.map((r) => JSON.parse(r) as { s: string | null }).map((r) => r.s)).toEqual(_name === 'DELETE' ? [null, 's3'] : ['new', null, 'new', 's3', 'new'])
  })
})

describe('copy-on-write of a damaged data file', () => {
  it('fails with CorruptData naming the file when a column the predicate does not read is damaged, leaving the table as it was', async () => {
    const store = await flatTable([[0, 1, 2, 3].map((id) => ({ id: BigInt(id), i: id, s: `text-${id}`.repeat(20) }))], false)
    const engine = createEngine(store)
    const [file] = (await DeltaTable.open(engine)).files()
    const key = file?.path ?? ''
    const buffer = (await store.get(key)).slice().buffer
    const chunk = parquetMetadata(buffer).row_groups[0]?.columns.find((c) => c.meta_data?.path_in_schema[0] === 's')?.meta_data
    const reader = { view: new DataView(buffer), offset: Number(chunk?.dictionary_page_offset ?? chunk?.data_page_offset) }
    const header = parquetHeader(reader)
    const damaged = new Uint8Array(buffer)
    const flipped = reader.offset + (header.compressed_page_size >> 1)
    damaged[flipped] = (damaged[flipped] ?? 0) ^ 0x01
    await store.put(key, damaged)
    const { codec, reads } = countingCodec()
    await expect((await DeltaTable.open(createEngine(store, { codec }))).delete('i = 1')).rejects.toMatchObject({ code: 'CorruptData', context: { path: key } })
    expect(reads.batches).toBe(1)
    expect((await DeltaTable.open(engine)).version).toBe(1)
  })
})
