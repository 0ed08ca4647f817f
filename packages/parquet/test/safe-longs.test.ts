// The safeLongs read option: top-level `long` columns give safe integers as numbers and only values
// past 2^53 as bigints, from every storage a long can have (plain and dictionary INT64 pages, the row
// encoder's, the plain writer's and DuckDB's files, INT32 widened to long); nested longs stay bigints.

import fc from 'fast-check'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asyncBufferFromBytes, encodeArrowBatch, encodeParquet, ParquetError, readParquetColumns, readParquetRows, rowsToArrowBatch } from '../src/index.js'
import type { Row, StructType, Value } from '../src/index.js'
import { safeLongDecoder, safeLongs } from '../src/safe-longs.js'
import { field, openDuck, P, struct } from './helpers.js'
import type { Duck } from './helpers.js'

const TWO_53 = 2n ** 53n
const EDGES = [0n, 1n, -1n, 2n ** 31n - 1n, -(2n ** 31n), 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 32n - 1n, 2n ** 32n, -(2n ** 32n), -(2n ** 32n) - 1n,
  TWO_53 - 1n, -(TWO_53 - 1n), TWO_53, -TWO_53, TWO_53 + 1n, -TWO_53 - 1n, 2n ** 63n - 1n, -(2n ** 63n)]
const SCHEMA = struct(field('id', P('long')), field('s', struct(field('n', P('long')))), field('i', P('integer')))

/** What safeLongs promises for a long: a number when it is a safe integer, else the bigint. */
const safe = (v: bigint | null): Value => (v === null ? null : v >= -(TWO_53 - 1n) && v <= TWO_53 - 1n ? Number(v) : v)
const longs = fc.oneof(fc.constantFrom(...EDGES), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }), fc.integer().map(BigInt))

async function columns(bytes: Uint8Array, schema: StructType, safeLongsOption: boolean | undefined): Promise<Value[][]> {
  const out: Value[][] = schema.fields.map(() => [])
  const options = safeLongsOption === undefined ? {} : { safeLongs: safeLongsOption }
  for await (const batch of readParquetColumns(asyncBufferFromBytes(bytes), schema, options)) batch.columns.forEach((values, c) => out[c]?.push(...values))
  return out
}

describe('safeLongs', () => {
  it('reads safe longs as numbers and others as bigints, from the row encoder and the plain writer, rows and columns alike', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(longs, { nil: null }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 25 }), async (ids, rowGroupSize) => {
        const rows: Row[] = ids.map((id, i) => ({ id, s: { n: id }, i }))
        const files = [encodeParquet(rows, SCHEMA, { rowGroupSize }).bytes, encodeArrowBatch(rowsToArrowBatch(rows, SCHEMA).batch, SCHEMA, { rowGroupSize }).bytes]
        for (const bytes of files) {
          const [id, s, i] = await columns(bytes, SCHEMA, true)
          expect(id).toEqual(ids.map(safe))
          expect(s).toEqual(ids.map((n) => ({ n })))
          expect(i).toEqual(ids.map((_, k) => k))
          expect((await columns(bytes, SCHEMA, false))[0]).toEqual(ids)
          expect((await columns(bytes, SCHEMA, undefined))[0]).toEqual(ids)
          const read: Row[] = []
          for await (const batch of readParquetRows(asyncBufferFromBytes(bytes), SCHEMA, { safeLongs: true, columns: ['id'] })) read.push(...batch)
          expect(read).toEqual(ids.map((v) => ({ id: safe(v) })))
        }
      }),
      { numRuns: 60 },
    )
  })

  it('converts a page from its words as the bigint would, on either byte order', () => {
    fc.assert(
      fc.property(fc.array(longs, { maxLength: 50 }), fc.nat(3), (values, pad) => {
        // An offset view: the page sits after `pad` values of another page in one buffer.
        const page = new BigInt64Array(pad + values.length).subarray(pad)
        page.set(values)
        const expected = values.map(safe)
        expect(safeLongs(page)).toEqual(expected)
        expect(safeLongs(page, false)).toEqual(expected)
        expect(safeLongs(page).map((v) => typeof v)).toEqual(expected.map((v) => typeof v))
      }),
    )
  })

  it('reads widened INT32 storage as numbers, and refuses a raw value of the wrong kind naming the column', () => {
    const int32 = safeLongDecoder('c', { name: 'c', type: 'INT32' })
    expect(int32(-5)).toBe(-5)
    expect(safeLongDecoder('c', { name: 'c', type: 'INT32', converted_type: 'UINT_32' })(-1)).toBe(4294967295)
    const int64 = safeLongDecoder('c', { name: 'c', type: 'INT64' })
    expect(int64(TWO_53)).toBe(TWO_53)
    expect(int64(-(TWO_53 - 1n))).toBe(-(2 ** 53 - 1))
    expect(int64.many?.([7n, TWO_53])).toEqual([7, TWO_53])
    expect(() => int64(7)).toThrow(ParquetError)
    expect(() => int64(7)).toThrow(/column 'c': expected INT64 bigint in the file, found number 7/)
    expect(() => int64.many?.([7n, 'x'])).toThrow(/column 'c'/)
  })
})

describe('safeLongs on files DuckDB wrote', () => {
  let duck: Duck
  beforeAll(async () => { duck = await openDuck() })
  afterAll(() => duck.close())

  it('dictionary and plain INT64 pages, and an INT32 column read as long', async () => {
    const path = join(duck.dir, 'longs.parquet')
    // 3 distinct values repeated: DuckDB writes the first column's pages dictionary-encoded.
    await duck.con.run(`COPY (SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE [9007199254740993, -7, 4294967296][(i % 3) + 1] END::BIGINT AS d,
      (i * 1000003 - 9007199254740000)::BIGINT AS p, (i - 50)::INTEGER AS w FROM range(3000) t(i)) TO '${path}' (FORMAT PARQUET)`)
    const schema = struct(field('d', P('long')), field('p', P('long')), field('w', P('long')))
    const bytes = new Uint8Array(readFileSync(path))
    const [d, p, w] = await columns(bytes, schema, true)
    const expectD = Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? null : ([9007199254740993n, -7n, 4294967296n][i % 3] as bigint)))
    expect(d).toEqual(expectD.map(safe))
    expect(p).toEqual(Array.from({ length: 3000 }, (_, i) => safe(BigInt(i) * 1000003n - 9007199254740000n)))
    expect(w).toEqual(Array.from({ length: 3000 }, (_, i) => i - 50))
    const exact = await columns(bytes, schema, false)
    expect(exact[0]).toEqual(expectD)
    expect(exact[2]).toEqual(Array.from({ length: 3000 }, (_, i) => BigInt(i - 50)))
  })
})
