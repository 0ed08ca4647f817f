// Page CRCs: lake writes the CRC-32 of every page (as parquet-mr does) and a read verifies it, so a
// flipped bit in a page is a `CorruptData` error naming the file and column, never wrong values.
// Flipped bits in page headers and the footer (which no CRC covers) give typed errors or the same rows.
import { crc32 } from 'node:zlib'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LakeError } from '@lake/storage'
import { parquetMetadata } from 'hyparquet'
import { readOffsetIndex } from 'hyparquet/src/indexes.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asyncBufferFromBytes, encodeParquet, readParquetMetadata, readParquetRows } from '../src/index.js'
import type { Compression, Row } from '../src/index.js'
import { array, field, openDuck, P, readAll, struct } from './helpers.js'
import type { Duck } from './helpers.js'
import { flip, pagesOf } from './pages.js'

const CODECS: Compression[] = ['zstd', 'snappy', 'gzip', 'uncompressed']
const FILE = 'part-00000-crc.zstd.parquet'
const SCHEMA = struct(
  field('id', P('long'), false),
  field('s', P('string')),
  field('x', P('double')),
  field('tags', array(P('string'))),
)
const ROWS: Row[] = Array.from({ length: 300 }, (_, i) => ({
  id: BigInt(i),
  s: i % 3 === 0 ? null : `v${i % 4}`,
  x: i * 1.5,
  tags: i % 5 === 0 ? null : ['a', `t${i % 2}`],
}))

const json = (rows: readonly Row[]): string => JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))

/** The error reading `bytes` gives, or whether it read `expected`. */
async function readError(bytes: Uint8Array, expected: readonly Row[] = ROWS): Promise<LakeError | 'same rows' | 'different rows'> {
  try {
    return json(await readAll(bytes, SCHEMA, { path: FILE })) === json(expected) ? 'same rows' : 'different rows'
  } catch (err) {
    if (err instanceof LakeError) return err
    throw err
  }
}

describe('page CRCs written by encodeParquet', () => {
  it.each(CODECS)('every page (dictionary and data) has the CRC-32 of its stored bytes (%s)', compression => {
    const { bytes } = encodeParquet(ROWS, SCHEMA, { compression, rowGroupSize: 100 })
    const pages = pagesOf(bytes)
    expect(new Set(pages.map(p => p.header.type))).toEqual(new Set(['DICTIONARY_PAGE', 'DATA_PAGE_V2']))
    expect(pages.length).toBe(3 * 6) // 3 row groups of 4 columns, 2 of them dictionary-encoded
    for (const { header, bodyStart } of pages) {
      const body = bytes.subarray(bodyStart, bodyStart + header.compressed_page_size)
      expect(header.crc).toBe(crc32(body) | 0) // zlib's CRC-32 as the i32 Thrift stores
    }
  })

  it('keeps footer offsets and the offset index pointing at the pages after the CRCs are added', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ id: BigInt(i), s: `row ${i}`, x: i / 3, tags: null }))
    const { bytes } = encodeParquet(rows, SCHEMA, { compression: 'uncompressed', rowGroupSize: rows.length })
    const buffer = bytes.slice().buffer
    const chunk = parquetMetadata(buffer).row_groups[0]?.columns[0]
    const pages = pagesOf(bytes).filter(p => p.column === 'id')
    expect(pages.length).toBeGreaterThan(1)
    const view = new DataView(buffer, Number(chunk?.offset_index_offset), chunk?.offset_index_length)
    const index = readOffsetIndex({ view, offset: 0 })
    expect(index.page_locations.map(l => [Number(l.offset), l.compressed_page_size])).toEqual(
      pages.map(p => [p.headerStart, p.bodyStart - p.headerStart + p.header.compressed_page_size]),
    )
    let read = 0
    for await (const batch of readParquetRows(asyncBufferFromBytes(bytes), SCHEMA)) read += batch.length
    expect(read).toBe(rows.length)
  }, 60_000)
})

describe('reading a damaged page', () => {
  it.each(CODECS)('a flipped bit in any page body is CorruptData naming the file and column (%s)', async compression => {
    const { bytes } = encodeParquet(ROWS, SCHEMA, { compression, rowGroupSize: 100 })
    for (const page of pagesOf(bytes)) {
      const at = page.bodyStart + (page.header.compressed_page_size >> 1)
      const err = await readError(flip(bytes, at, 3))
      expect(err, `${page.header.type} of ${page.column}`).toMatchObject({ code: 'CorruptData', context: { path: FILE, column: page.column } })
      expect((err as LakeError).message).toContain(FILE)
      expect((err as LakeError).message).toContain(`'${page.column}'`)
    }
  })

  it('a flipped bit in a page header or the footer is a typed error naming the file, or reads the same rows', async () => {
    const rows = ROWS.slice(0, 40)
    const { bytes } = encodeParquet(rows, SCHEMA, { compression: 'snappy' })
    const footerStart = bytes.length - 8 - new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true)
    const headerBytes = pagesOf(bytes).flatMap(p => Array.from({ length: p.bodyStart - p.headerStart }, (_, i) => p.headerStart + i))
    const footerBytes = Array.from({ length: bytes.length - footerStart }, (_, i) => footerStart + i)
    const outcomes = new Map<string, number>()
    // every bit of every page header; one bit per footer byte (bit = byte mod 8), to keep the run short
    const flips = [...headerBytes.flatMap(at => [0, 1, 2, 3, 4, 5, 6, 7].map(bit => [at, bit] as const)), ...footerBytes.map(at => [at, at % 8] as const)]
    for (const [at, bit] of flips) {
      const result = await readError(flip(bytes, at, bit), rows)
      const kind = typeof result === 'string' ? result : `${result.code} ${result.context.path === FILE ? 'names the file' : 'no file'}`
      outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1)
    }
    expect([...outcomes.keys()].sort()).toEqual(['CorruptData names the file', 'ParquetError names the file', 'same rows'])
  }, 60_000)
})

describe('files without page CRCs', () => {
  let duck: Duck
  beforeAll(async () => {
    duck = await openDuck()
  })
  afterAll(() => duck.close())

  it('reads DuckDB-written pages, which carry no CRC', async () => {
    const path = join(duck.dir, 'duck.parquet')
    await duck.rows(`COPY (SELECT i::BIGINT AS id, 'v' || (i % 4) AS s FROM range(1000) t(i)) TO '${path}' (FORMAT parquet)`)
    const bytes = new Uint8Array(await import('node:fs').then(fs => fs.readFileSync(path)))
    expect(pagesOf(bytes).every(p => p.header.crc === undefined)).toBe(true)
    const rows = await readAll(bytes, struct(field('id', P('long'), false), field('s', P('string'))))
    expect(rows.length).toBe(1000)
    expect(rows[999]).toEqual({ id: 999n, s: 'v3' })
  })

  it('DuckDB reads the files lake writes with CRCs', async () => {
    const path = join(duck.dir, 'ours.parquet')
    writeFileSync(path, encodeParquet(ROWS, SCHEMA, { compression: 'zstd', rowGroupSize: 100 }).bytes)
    expect(await duck.rows(`SELECT count(*)::INTEGER AS n, sum(id)::INTEGER AS total FROM read_parquet('${path}')`)).toEqual([{ n: 300, total: 44_850 }])
  })
})

describe('the file name in Parquet read errors', () => {
  it('names the file of a footer that does not parse, in the message and context.path', async () => {
    const bytes = new TextEncoder().encode('PAR1 this is not a parquet footer PAR1')
    await expect(readAll(bytes, SCHEMA, { path: FILE })).rejects.toMatchObject({ code: 'ParquetError', context: { path: FILE } })
    await expect(readParquetMetadata(asyncBufferFromBytes(bytes), { path: FILE })).rejects.toThrow(`${FILE}: cannot read Parquet footer`)
  })

  it('names the file of a column whose type cannot hold the Delta type', async () => {
    const { bytes } = encodeParquet(ROWS, SCHEMA)
    const wrong = struct(field('s', P('long')))
    await expect(readAll(bytes, wrong, { path: FILE })).rejects.toMatchObject({ code: 'ParquetError', context: { path: FILE, column: 's' } })
    await expect(readAll(bytes, wrong, { path: FILE })).rejects.toThrow(new RegExp(`^${FILE.replace(/\./g, '\\.')}: `))
  })
})
