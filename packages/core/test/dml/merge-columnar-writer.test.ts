// The MERGE's columnar writer (operations/merge/columnar-writer.ts) on its own: rows roll into files at
// the row and byte targets as the row route's rolling writer rolls them; `appendBatch` joins batches into
// files until the next would pass a target and cuts a batch that reaches one alone; uploads stay within
// `concurrency`; `abort` waits for running uploads before deleting every file; which tables and codecs it
// refuses; and the options it checks.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { batchBuilderFor, readParquetRows } from '@lake/parquet'
import type { ArrowRecordBatch, ParquetCodec, Row, StructType } from '@lake/parquet'
import { createEngine, engineCodec } from '../../src/engine.js'
import type { Engine } from '../../src/engine.js'
import { estimateBytes } from '../../src/files/estimate-bytes.js'
import type { WriteDataFilesOptions } from '../../src/files/write-data-files.js'
import { columnarWriterFor } from '../../src/operations/merge/columnar-writer.js'
import { keys } from './helpers.js'
import type { ColumnarFileWriter } from '../../src/operations/merge/columnar-writer.js'

const SCHEMA: StructType = { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} }] }
const row = (id: number): Row => ({ id: BigInt(id) })

/** A memory store whose data file puts wait until `release()`, counting how many wait at once. */
class HeldPuts extends MemoryStore {
  inFlight = 0
  most = 0
  #waiting: (() => void)[] = []
  #held = true

  constructor() {
    super({ url: 'memory://held' })
  }

  release(): void {
    this.#held = false
    for (const go of this.#waiting.splice(0)) go()
  }

  override async putIfAbsent(path: string, bytes: Uint8Array, options = {}): ReturnType<MemoryStore['putIfAbsent']> {
    if (!path.endsWith('.parquet')) return super.putIfAbsent(path, bytes, options)
    this.inFlight++
    this.most = Math.max(this.most, this.inFlight)
    if (this.#held) await new Promise<void>((go) => this.#waiting.push(go))
    try {
      return await super.putIfAbsent(path, bytes, options)
    } finally {
      this.inFlight--
    }
  }
}

function writerOn(engine: Engine, options: Partial<WriteDataFilesOptions> = {}, codec: ParquetCodec = engineCodec(engine)): ColumnarFileWriter {
  const writer = columnarWriterFor(engine, { schema: SCHEMA, partitionColumns: [], ...options }, codec)
  if (writer === undefined) throw new Error('expected a columnar writer for a flat unpartitioned schema')
  return writer
}

function batchOf(ids: readonly number[]): ArrowRecordBatch {
  const builder = batchBuilderFor(SCHEMA)
  if (builder === undefined) throw new Error('expected a builder')
  ids.forEach((id) => builder.append(row(id)))
  return builder.finish()
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i)

/** The ids of each file the writer added (read back from the store), files ordered by their first id. */
async function filesOf(store: MemoryStore, writer: ColumnarFileWriter): Promise<number[][]> {
  const files: number[][] = []
  for (const add of await writer.finish()) {
    const bytes = await store.get(add.path)
    const buffer = { byteLength: bytes.byteLength, slice: (start: number, end?: number) => bytes.slice(start, end).buffer }
    const ids: number[] = []
    for await (const rows of readParquetRows(buffer, SCHEMA)) for (const r of rows) ids.push(Number(r['id']))
    expect(ids).toHaveLength((JSON.parse(add.stats ?? '{}') as { numRecords?: number }).numRecords ?? -1)
    files.push(ids)
  }
  return files.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))
}

describe('ColumnarFileWriter: rows', () => {
  it('rolls at maxRowsPerFile: a file is uploaded when it holds that many rows', async () => {
    const store = new MemoryStore({ url: 'memory://rows' })
    const engine = createEngine(store)
    const writer = writerOn(engine, { maxRowsPerFile: 3 })
    await writer.write(range(0, 7).map(row))
    expect(await filesOf(store, writer)).toEqual([[0, 1, 2], [3, 4, 5], [6]])
  })

  it('rolls at targetFileBytes (estimated row bytes): a row that would pass it starts the next file; never an empty file', async () => {
    const size = estimateBytes(row(0))
    for (const [target, expected] of [
      [2 * size, [[0, 1], [2, 3], [4]]],
      [1, [[0], [1], [2], [3], [4]]],
    ] as const) {
      const store = new MemoryStore({ url: 'memory://bytes' })
      const engine = createEngine(store)
      const writer = writerOn(engine, { targetFileBytes: target })
      await writer.write(range(0, 5).map(row))
      expect(await filesOf(store, writer)).toEqual(expected)
    }
  })
})

describe('ColumnarFileWriter.writeBatches', () => {
  it('uploads the rows written before it first: rows after it start a new file', async () => {
    const store = new MemoryStore({ url: 'memory://mixed' })
    const engine = createEngine(store)
    const writer = writerOn(engine, { maxRowsPerFile: 10 })
    await writer.write([row(0), row(1)])
    await writer.writeBatches([batchOf([100, 101])])
    await writer.write([row(2), row(3)])
    expect(await filesOf(store, writer)).toEqual([[0, 1], [2, 3], [100, 101]])
  })
})

describe('ColumnarFileWriter.appendBatch', () => {
  it('joins batches into one file until the next would pass maxRowsPerFile, and writes nothing for an empty batch', async () => {
    const store = new MemoryStore({ url: 'memory://join-rows' })
    const engine = createEngine(store)
    const writer = writerOn(engine, { maxRowsPerFile: 5 })
    for (const ids of [range(0, 3), [], range(3, 5), range(5, 6)]) await writer.appendBatch(batchOf(ids))
    expect(await filesOf(store, writer)).toEqual([[0, 1, 2, 3, 4], [5]])
    const empty = writerOn(engine)
    await empty.appendBatch(batchOf([]))
    expect(await empty.finish()).toEqual([])
  })

  it('joins batches until the next would pass targetFileBytes (Arrow bytes; reaching it exactly is not passing it)', async () => {
    const [a, b, c] = [batchOf(range(0, 4)), batchOf(range(4, 8)), batchOf(range(8, 10))]
    const store = new MemoryStore({ url: 'memory://join-bytes' })
    const engine = createEngine(store)
    const writer = writerOn(engine, { targetFileBytes: a.data.byteLength + b.data.byteLength })
    for (const batch of [a, b, c]) await writer.appendBatch(batch)
    expect(await filesOf(store, writer)).toEqual([range(0, 8), [8, 9]])
  })

  it('cuts a batch that reaches a target alone as writeBatches cuts it, after the joined batches before it', async () => {
    const store = new MemoryStore({ url: 'memory://cut' })
    const engine = createEngine(store)
    const writer = writerOn(engine, { maxRowsPerFile: 3 })
    await writer.appendBatch(batchOf([100]))
    await writer.appendBatch(batchOf(range(0, 7)))
    await writer.appendBatch(batchOf([200]))
    expect(await filesOf(store, writer)).toEqual([[0, 1, 2], [3, 4, 5], [6], [100], [200]])
  })
})

describe('ColumnarFileWriter: uploads', () => {
  it('keeps at most `concurrency` uploads running', async () => {
    const store = new HeldPuts()
    const engine = createEngine(store)
    const writer = writerOn(engine, { maxRowsPerFile: 1, concurrency: 2 })
    const writing = writer.write(range(0, 5).map(row))
    await new Promise((done) => setTimeout(done, 20))
    expect(store.inFlight).toBe(2)
    store.release()
    await writing
    expect(await writer.finish()).toHaveLength(5)
    expect(store.most).toBe(2)
  })

  it('abort waits for the running uploads, then deletes every file written', async () => {
    const store = new HeldPuts()
    const engine = createEngine(store)
    const writer = writerOn(engine, { maxRowsPerFile: 1, concurrency: 4 })
    await writer.write(range(0, 3).map(row))
    expect(store.inFlight).toBe(3)
    const aborted = writer.abort()
    await new Promise((done) => setTimeout(done, 20))
    store.release()
    await aborted
    expect((await keys(store)).filter((k) => k.endsWith('.parquet'))).toEqual([])
  })
})

describe('columnarWriterFor', () => {
  it('is undefined for a partitioned table, column mapping, or a codec without encodeBatch', () => {
    const engine = createEngine(new MemoryStore({ url: 'memory://for' }))
    const codec = engineCodec(engine)
    expect(columnarWriterFor(engine, { schema: SCHEMA, partitionColumns: ['id'] }, codec)).toBeUndefined()
    expect(columnarWriterFor(engine, { schema: SCHEMA, partitionColumns: [], columnMappingMode: 'name' }, codec)).toBeUndefined()
    const { encodeBatch: _, ...rowsOnly } = codec
    expect(columnarWriterFor(engine, { schema: SCHEMA, partitionColumns: [] }, rowsOnly)).toBeUndefined()
    expect(columnarWriterFor(engine, { schema: SCHEMA, partitionColumns: [] }, codec)).toBeDefined()
  })

  it('refuses a file target that is not a positive integer, naming the option', () => {
    const engine = createEngine(new MemoryStore({ url: 'memory://options' }))
    expect(() => writerOn(engine, { maxRowsPerFile: 0 })).toThrow(/maxRowsPerFile/)
    expect(() => writerOn(engine, { targetFileBytes: 0 })).toThrow(/targetFileBytes/)
  })
})
