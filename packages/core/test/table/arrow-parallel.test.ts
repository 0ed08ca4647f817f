// writeDelta of Arrow data on the codec's encoder threads: a write of several files gives the table
// the in-process encoder gives; DuckDB reads the files; a failed encoder thread is a typed error and
// leaves the table as it was; a process exits after a large write (real child process).

import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as arrow from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LakeError, MemoryStore } from '@lake/storage'
import { ArrowEncodePool, arrowBatchToRows, encodeArrowBatchAsync, hyparquetCodec, rowsToArrowBatch } from '@lake/parquet'
import type { ArrowRecordBatch, ParquetCodec, Row, StructType } from '@lake/parquet'
import { createEngine, DeltaTable, writeDelta } from '../../src/index.js'
import { tempDir } from '../../../../test/temp-dir.js'
import { MIN_PARALLEL_FILE_ROWS, spreadSlices } from '../../src/files/write-batch-files.js'
import { useDuckDb } from '../helpers/duckdb.js'
import { spawnNode } from '../helpers/spawn-node.js'
import { array, dec, field, P, struct } from './all-types.js'

const duckDb = useDuckDb()
const CHILD = fileURLToPath(new URL('../fixtures/arrow-write-child.mjs', import.meta.url))

const SCHEMA: StructType = struct(
  field('id', P('long'), false), field('n', P('integer')), field('s', P('string')), field('ts', P('timestamp')),
  field('amount', dec(38, 4)), field('tags', array(P('string'))), field('st', struct(field('a', P('double')), field('d', P('date')))),
)

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null })
const day = fc.integer({ min: -719162, max: 2932896 }).map(d => new Date(d * 86_400_000).toISOString().slice(0, 10))
const row = fc.record({
  id: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  n: opt(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  s: opt(fc.string({ maxLength: 10, unit: 'grapheme' })),
  ts: opt(fc.integer({ min: 0, max: 4_000_000_000 }).map(s => new Date(s * 1000).toISOString().replace('Z', '000Z'))),
  amount: opt(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(v => `${v < 0n ? '-' : ''}${(v < 0n ? -v : v) / 10000n}.${((v < 0n ? -v : v) % 10000n).toString().padStart(4, '0')}`)),
  tags: opt(fc.array(opt(fc.string({ maxLength: 4 })), { maxLength: 3 })),
  st: opt(fc.record({ a: opt(fc.double({ noNaN: true })), d: opt(day) })),
})

/** The default codec without encoder threads: every file encoded on the calling thread. */
function inProcessCodec(): ParquetCodec {
  const { encodeBatchAsync: _threads, batchThreads: _count, ...codec } = hyparquetCodec
  return codec as ParquetCodec
}

function tableOf(rows: readonly Row[]): arrow.Table {
  return new arrow.Table([rowsToArrowBatch(rows, SCHEMA).batch])
}

async function contents(table: DeltaTable): Promise<{ rows: Row[]; stats: unknown[] }> {
  const rows = (await table.toArrow()).batches.flatMap(b => arrowBatchToRows(b))
  const stats = table.files().map(f => JSON.parse(f.stats as string) as { minValues?: unknown }).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  return { rows: rows.sort((a, b) => (a['id'] as bigint) < (b['id'] as bigint) ? -1 : 1), stats }
}

describe('spreadSlices', () => {
  const batch = (rows: number): ArrowRecordBatch => new arrow.Table({ id: arrow.makeVector(new Int32Array(rows)) }).batches[0] as ArrowRecordBatch
  const sizes = (slices: readonly ArrowRecordBatch[]): number[] => slices.map(s => s.numRows)

  it('cuts a large input into a file per thread, never below MIN_PARALLEL_FILE_ROWS rows', () => {
    expect(MIN_PARALLEL_FILE_ROWS).toBe(131_072)
    expect(sizes(spreadSlices([batch(1_000_000)], 2))).toEqual([500_000, 500_000])
    expect(sizes(spreadSlices([batch(300_000)], 4))).toEqual([131_072, 131_072, 37_856])
    expect(sizes(spreadSlices([batch(200_000), batch(100_000)], 2))).toEqual([200_000, 100_000])
  })

  it('leaves small inputs, one thread, and inputs already in enough files as they are', () => {
    expect(sizes(spreadSlices([batch(262_143)], 2))).toEqual([262_143])
    expect(sizes(spreadSlices([batch(1_000_000)], 1))).toEqual([1_000_000])
    expect(sizes(spreadSlices([batch(10), batch(1_000_000)], 2))).toEqual([10, 1_000_000])
  })
})

describe('writeDelta of Arrow data on encoder threads', { timeout: 60_000 }, () => {
  it('writes the table the in-process encoder writes, file by file (property: nulls, decimals, timestamps, lists, structs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(row, { minLength: 1, maxLength: 25, selector: r => r.id }), fc.integer({ min: 1, max: 6 }), async (rows, maxRowsPerFile) => {
        const threaded = new MemoryStore()
        const inProcess = createEngine(new MemoryStore(), { codec: inProcessCodec() })
        await writeDelta(threaded, tableOf(rows as Row[]), { maxRowsPerFile })
        await writeDelta(inProcess, tableOf(rows as Row[]), { maxRowsPerFile })
        const a = await DeltaTable.open(threaded)
        expect(a.files()).toHaveLength(Math.ceil(rows.length / maxRowsPerFile))
        expect(await contents(a)).toEqual(await contents(await DeltaTable.open(inProcess)))
      }),
      { numRuns: 25 },
    )
  }, 120_000)

  it('writes files DuckDB reads with the same values', async () => {
    const dir = tempDir('lake-arrow-parallel-')
    const rows = Array.from({ length: 40 }, (_, i): Row => ({ id: BigInt(i) * 10_000_000_000n, n: i % 3 === 0 ? null : i, s: `s-${i}`, ts: `2024-01-0${1 + (i % 9)}T00:00:00.000001Z`, amount: `${i}.0001`, tags: [`t${i}`, null], st: { a: i / 4, d: '2024-02-29' } }))
    await writeDelta(dir, tableOf(rows), { maxRowsPerFile: 7 })
    const table = await DeltaTable.open(dir)
    expect(table.files()).toHaveLength(6)
    const files = table.files().map(f => `'${join(dir, f.path)}'`).join(', ')
    const reader = await duckDb().runAndReadAll(`SELECT count(*), sum(id)::VARCHAR, count(n), sum(amount)::VARCHAR, max(ts)::VARCHAR, sum(len(tags)), sum(st.a), min(st.d)::VARCHAR FROM read_parquet([${files}])`)
    expect(reader.getRows()[0]).toEqual([40n, '7800000000000', 26n, '780.0040', '2024-01-09 00:00:00.000001+00', 80n, 195, '2024-02-29'])
  })

  it('fails with a typed error of the encoder thread and leaves the table as it was (uploaded files deleted)', async () => {
    const store = new MemoryStore()
    await writeDelta(store, tableOf([{ id: 1n }]))
    const keys = async (): Promise<string[]> => { const out: string[] = []; for await (const m of store.list('')) out.push(m.path); return out.sort() }
    const before = await keys()
    const broken = new ArrowEncodePool({ threads: 2, workerUrl: new URL('../../../parquet/test/workers/exit-worker.mjs', import.meta.url) })
    // The file of id 4 goes to a dying worker, the others are encoded and uploaded, then deleted.
    const codec: ParquetCodec<ArrowRecordBatch> = { ...hyparquetCodec, encodeBatchAsync: (b, s, o) => encodeArrowBatchAsync(b, s, o, b.getChild('id')?.get(0) === 4n ? broken : undefined) }
    try {
      const err = await writeDelta(createEngine(store, { codec: codec as ParquetCodec }), tableOf([{ id: 2n }, { id: 3n }, { id: 4n }]), { mode: 'append', maxRowsPerFile: 1 }).then(() => undefined, (e: unknown) => e)
      expect(err).toBeInstanceOf(LakeError)
      expect(err).toMatchObject({ code: 'ParquetError', context: { encoderThread: true }, message: 'cannot encode Parquet file: the encoder thread exited with code 3' })
      expect(await keys()).toEqual(before)
      expect((await (await DeltaTable.open(store)).toArray()).map(r => r['id'])).toEqual([1n])
    } finally {
      await broken.close()
    }
  })

  it('lets the process exit after a large write (on 2 cores: 2 files of 150,000 rows, encoded on 2 threads)', async () => {
    const dir = tempDir('lake-arrow-exit-')
    const child = spawnNode(CHILD, [join(dir, 't')], 'arrow write child')
    const written = JSON.parse(await child.line()) as { files: number; rows: number }
    const printed = Date.now()
    expect(await child.exited(8_000)).toBe('0')
    expect(Date.now() - printed).toBeLessThan(5_000) // the idle encoder threads (10 s) do not hold it
    const threads = availableParallelism()
    expect(written).toEqual({ files: threads < 2 ? 1 : Math.ceil(300_000 / Math.max(131_072, Math.ceil(300_000 / threads))), rows: 300_000 })
  }, 60_000)
})
