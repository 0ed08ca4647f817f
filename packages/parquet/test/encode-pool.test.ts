// The Arrow encode pool: files encoded on worker threads hold the rows and stats of the in-process
// encoder's (the same bytes when both use parquet-wasm; the calling thread writes flat tables with the
// plain writer); the pool starts only the workers the work needs; a failed worker or writer is a typed error.

import * as arrow from 'apache-arrow'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { ArrowEncodePool, arrowBatchToRows, encodeArrowBatch, encodeArrowBatchAsync, encodeParquet, ParquetError, rowsToArrowBatch } from '../src/index.js'
import type { Row, StructType } from '../src/index.js'
import { ALL_TYPES, ALL_TYPES_ROWS } from './fixtures.js'
import { decimal, field, P, readAll, struct } from './helpers.js'

const pool = new ArrowEncodePool({ threads: 2 })
afterAll(() => pool.close())

async function failure(promise: Promise<unknown>): Promise<ParquetError> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  if (!(err instanceof ParquetError)) throw new Error(`expected a ParquetError, found ${String(err)}`)
  return err
}

const FLAT = struct(
  field('id', P('long'), false), field('n', P('integer')), field('x', P('double')), field('s', P('string')), field('flag', P('boolean')),
  field('ts', P('timestamp')), field('dt', P('date')), field('amount', decimal(18, 2)), field('big', decimal(38, 4)),
)

/** FLAT without its decimals: a table the calling thread writes with the plain writer. */
const PLAIN = struct(...FLAT.fields.filter(f => f.type.kind !== 'decimal'))

const flatRow = fc.record({
  id: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  n: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
  x: fc.option(fc.double({ noNaN: true }), { nil: null }),
  s: fc.option(fc.string({ maxLength: 12, unit: 'grapheme' }), { nil: null }),
  flag: fc.option(fc.boolean(), { nil: null }),
  ts: fc.option(fc.integer({ min: 0, max: 4_000_000_000 }).map(s => new Date(s * 1000).toISOString().replace('Z', '000Z')), { nil: null }),
  dt: fc.option(fc.integer({ min: -719162, max: 2932896 }).map(d => new Date(d * 86_400_000).toISOString().slice(0, 10)), { nil: null }),
  amount: fc.option(fc.integer({ min: -99_999_999, max: 99_999_999 }).map(c => (c / 100).toFixed(2)), { nil: null }),
  big: fc.option(fc.bigInt({ min: -(10n ** 37n), max: 10n ** 37n }).map(v => `${v < 0n ? '-' : ''}${(v < 0n ? -v : v) / 10000n}.${((v < 0n ? -v : v) % 10000n).toString().padStart(4, '0')}`), { nil: null }),
})

describe('encodeArrowBatchAsync', { timeout: 60_000 }, () => {
  it('writes the bytes and stats of encodeArrowBatch for every type, nested ones included', async () => {
    const { batch } = rowsToArrowBatch(ALL_TYPES_ROWS, ALL_TYPES)
    const threaded = await encodeArrowBatchAsync(batch, ALL_TYPES, {}, pool)
    const inProcess = encodeArrowBatch(batch, ALL_TYPES)
    expect(threaded.stats).toEqual(inProcess.stats)
    expect(threaded.bytes).toEqual(inProcess.bytes)
    expect(await readAll(threaded.bytes, ALL_TYPES)).toEqual(ALL_TYPES_ROWS)
  })

  it('equals the in-process encoder and the row encoder on random slices of random batches (property)', async () => {
    const cases = fc.tuple(fc.array(flatRow, { minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), fc.boolean())
    await fc.assert(
      fc.asyncProperty(cases, async ([all, a, b, decimals]) => {
        const schema = decimals ? FLAT : PLAIN
        const rows = all.map(r => Object.fromEntries(schema.fields.map(f => [f.name, r[f.name as keyof typeof r]]))) as Row[]
        const start = a % rows.length
        const end = start + 1 + (b % (rows.length - start))
        const slice = rowsToArrowBatch(rows, schema).batch.slice(start, end)
        const expected = rows.slice(start, end)
        const threaded = await encodeArrowBatchAsync(slice, schema, {}, pool)
        const inProcess = encodeArrowBatch(slice, schema)
        // Both parquet-wasm's with decimals; without, the calling thread's file is the plain writer's.
        if (decimals) expect(threaded.bytes).toEqual(inProcess.bytes)
        expect(threaded.stats).toEqual(inProcess.stats)
        expect(threaded.stats).toEqual(encodeParquet(expected, schema).stats)
        expect(await readAll(threaded.bytes, schema)).toEqual(expected)
        expect(await readAll(inProcess.bytes, schema)).toEqual(expected)
        expect(arrowBatchToRows(slice)).toEqual(expected)
      }),
      { numRuns: 40 },
    )
  })

  it('refuses a null in a non-nullable column on the calling thread, naming the column', async () => {
    const batch = new arrow.Table({ a: arrow.vectorFromArray([1, null], new arrow.Int32()) }).batches[0] as arrow.RecordBatch
    const err = await failure(encodeArrowBatchAsync(batch, struct(field('a', P('integer'), false)), {}, pool))
    expect(err.context).toMatchObject({ column: 'a', row: 1 })
  })
})

describe('ArrowEncodePool', { timeout: 60_000 }, () => {
  const schema: StructType = struct(field('id', P('long'), false))
  const batch = rowsToArrowBatch([{ id: 1n }, { id: 2n }], schema).batch

  it('starts workers only for the files waiting: one file, one worker', async () => {
    const wide = new ArrowEncodePool({ threads: 4 })
    try {
      expect(wide.size).toBe(0)
      await encodeArrowBatchAsync(batch, schema, {}, wide)
      await encodeArrowBatchAsync(batch, schema, {}, wide)
      expect(wide.size).toBe(1)
      await Promise.all([1, 2, 3].map(() => encodeArrowBatchAsync(batch, schema, {}, wide)))
      expect(wide.size).toBe(3)
    } finally {
      await wide.close()
    }
  })

  it('stops a worker idle for idleMs and starts a new one for the next file', async () => {
    const brief = new ArrowEncodePool({ threads: 2, idleMs: 20 })
    try {
      await encodeArrowBatchAsync(batch, schema, {}, brief)
      expect(brief.size).toBe(1)
      await new Promise(resolve => setTimeout(resolve, 200))
      expect(brief.size).toBe(0)
      expect((await encodeArrowBatchAsync(batch, schema, {}, brief)).numRecords).toBe(2)
    } finally {
      await brief.close()
    }
  })

  it('turns a failure of the wasm writer into a ParquetError of the encoder thread', async () => {
    const garbage = { pieces: [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])], byteLength: 8 }
    const err = await failure(pool.encode(garbage, { compression: 'zstd', rowGroupSize: 10 }))
    expect(err.message).toMatch(/^cannot write Parquet file with parquet-wasm: /)
    expect(err.context).toEqual({ encoderThread: true })
  })

  it.each([
    ['exits', 'exit-worker.mjs', 'the encoder thread exited with code 3'],
    ['throws', 'throw-worker.mjs', 'the encoder thread failed: boom in the encoder'],
  ])('fails the file with a ParquetError when its worker %s, and replaces the worker', async (_, module, message) => {
    const broken = new ArrowEncodePool({ threads: 1, workerUrl: new URL(`./workers/${module}`, import.meta.url) })
    try {
      const err = await failure(encodeArrowBatchAsync(batch, schema, {}, broken))
      expect(err.message).toBe(`cannot encode Parquet file: ${message}`)
      expect(err.context).toEqual({ encoderThread: true })
      expect(broken.size).toBe(0)
      expect((await failure(encodeArrowBatchAsync(batch, schema, {}, broken))).message).toBe(`cannot encode Parquet file: ${message}`)
    } finally {
      await broken.close()
    }
  })
})
