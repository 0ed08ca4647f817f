// addPageCrcs against an independent implementation: parquet-mr (Spark, Photon) writes page CRCs, so
// its files must come out of addPageCrcs byte for byte (same CRC values, every footer and index field
// kept); files written without CRCs (parquet-rs, old parquet-mr) get them and read the same. Plus the
// lossless Thrift codec under it, and hyparquet-writer files with column indexes and bloom filters.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { readBloomFilter } from 'hyparquet/src/bloom.js'
import { ByteWriter, ParquetWriter } from 'hyparquet-writer'
import { describe, expect, it } from 'vitest'
import { ParquetError } from '../src/index.js'
import { addPageCrcs } from '../src/page-crc/add-page-crcs.js'
import { THRIFT, ThriftReader, writeStruct } from '../src/page-crc/thrift-tree.js'
import { bodyOf, crcOf, pagesOf } from './pages.js'

const GOLDEN = fileURLToPath(new URL('../../../fixtures/golden', import.meta.url))

function parquetFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return parquetFiles(path)
    return name.endsWith('.parquet') ? [path] : []
  })
}

const golden = parquetFiles(GOLDEN).map(path => ({ path, bytes: new Uint8Array(readFileSync(path)) }))
const withCrcs = golden.filter(f => pagesOf(f.bytes).every(p => p.header.crc !== undefined))
const withoutCrcs = golden.filter(f => pagesOf(f.bytes).some(p => p.header.crc === undefined))

const rowsOf = async (bytes: Uint8Array): Promise<string> =>
  JSON.stringify(await parquetReadObjects({ file: bytes.slice().buffer }), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v))

describe('addPageCrcs on the golden Spark files', () => {
  it('reproduces parquet-mr files that carry CRCs byte for byte (same CRC values, footer and indexes kept)', () => {
    expect(withCrcs.length).toBeGreaterThan(150)
    expect(withCrcs.filter(f => parquetMetadata(f.bytes.slice().buffer).row_groups.some(g => g.columns.some(c => c.offset_index_offset !== undefined))).length).toBeGreaterThan(100)
    for (const { path, bytes } of withCrcs) expect(Buffer.compare(addPageCrcs(bytes), bytes), path).toBe(0)
  })

  it('adds CRCs to files written without them (parquet-rs, parquet-mr 1.10), which read the same', async () => {
    expect(withoutCrcs.length).toBeGreaterThan(30)
    for (const { path, bytes } of withoutCrcs) {
      const out = addPageCrcs(bytes)
      for (const page of pagesOf(out)) expect(page.header.crc, path).toBe(crcOf(bodyOf(out, page)))
      expect(await rowsOf(out), path).toBe(await rowsOf(bytes))
    }
  })
})

describe('addPageCrcs on hyparquet-writer files with column indexes and bloom filters', () => {
  it('moves both and keeps them readable', async () => {
    const writer = new ParquetWriter({ writer: new ByteWriter(), schema: [{ name: 'root', num_children: 1 }, { name: 'n', type: 'INT64', repetition_type: 'REQUIRED' }] })
    const data = Array.from({ length: 5000 }, (_, i) => BigInt(i * 3))
    void writer.write({ columnData: [{ name: 'n', data, columnIndex: true, bloomFilter: true }], rowGroupSize: 2000, pageSize: 4096 })
    void writer.finish()
    const raw = writer.writer.getBytes()
    const out = addPageCrcs(raw)
    for (const page of pagesOf(out)) expect(page.header.crc).toBe(crcOf(bodyOf(out, page)))
    const chunks = (bytes: Uint8Array) => parquetMetadata(bytes.slice().buffer).row_groups.flatMap(g => g.columns)
    const [before, after] = [chunks(raw), chunks(out)]
    expect(after.length).toBe(3)
    after.forEach((chunk, k) => {
      const old = before[k]
      const slice = (bytes: Uint8Array, offset: bigint | undefined, length: number | undefined) => bytes.subarray(Number(offset), Number(offset) + (length ?? 0))
      expect(slice(out, chunk.column_index_offset, chunk.column_index_length)).toEqual(slice(raw, old?.column_index_offset, old?.column_index_length))
      const bloom = (bytes: Uint8Array, offset: bigint | undefined) => readBloomFilter({ view: new DataView(bytes.slice().buffer), offset: Number(offset) })
      expect(chunk.meta_data?.bloom_filter_offset).toBeGreaterThan(old?.meta_data?.bloom_filter_offset ?? 0n)
      expect(bloom(out, chunk.meta_data?.bloom_filter_offset)).toBeDefined()
      expect(bloom(out, chunk.meta_data?.bloom_filter_offset)).toEqual(bloom(raw, old?.meta_data?.bloom_filter_offset))
    })
    expect(await rowsOf(out)).toBe(await rowsOf(raw))
  })
})

describe('addPageCrcs refuses what it cannot rewrite', () => {
  it('bytes that are not a Parquet file', () => {
    expect(() => addPageCrcs(new TextEncoder().encode('not parquet at all'))).toThrow(ParquetError)
    expect(() => addPageCrcs(new TextEncoder().encode('not parquet at all'))).toThrow('cannot add page CRCs: expected a Parquet file (PAR1 at both ends), found 18 bytes without')
  })

  it('a footer length beyond the file', () => {
    const bytes = new Uint8Array([0x50, 0x41, 0x52, 0x31, 0, 0, 0, 0, 0xff, 0, 0, 0, 0x50, 0x41, 0x52, 0x31])
    expect(() => addPageCrcs(bytes)).toThrow('cannot add page CRCs: footer length 255 exceeds the file')
  })

  it('a column chunk that overruns the footer', () => {
    const { bytes } = { bytes: withCrcs[0]?.bytes ?? new Uint8Array() }
    const truncated = new Uint8Array([...bytes.subarray(0, 4), ...bytes.subarray(bytes.length - 8 - new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true))])
    expect(() => addPageCrcs(truncated)).toThrow(/cannot add page CRCs: (expected the column chunks before the footer|expected column chunks and offset indexes apart)/)
  })
})

describe('the lossless Thrift codec', () => {
  // field 1 bool true, 2 byte -5, 3 i16 -300, 4 i32 2^31-1, 5 i64 -2^63, 6 double (a NaN payload),
  // 7 binary 'ab', 8 list of 3 bools (stored bytes 1, 2, 1), 9 list of 16 i32, long-form field 40: a
  // struct { 1: i32 7 }, STOP
  const bytes = new Uint8Array([
    0x11, 0x13, 0xfb, 0x14, 0xd7, 0x04, 0x15, 0xfe, 0xff, 0xff, 0xff, 0x0f, 0x16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    0x17, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f, 0x18, 0x02, 0x61, 0x62, 0x19, 0x31, 0x01, 0x02, 0x01,
    0x19, 0xf5, 0x10, ...Array.from({ length: 16 }, (_, i) => i * 2), 0x0c, 0x50, 0x15, 0x0e, 0x00, 0x00,
  ])

  it('reads every wire type and writes the same bytes back', () => {
    const reader = new ThriftReader(bytes)
    const struct = reader.struct()
    expect(reader.offset).toBe(bytes.length)
    expect(struct.fields.map(f => f.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 40])
    expect([struct.get(1), struct.get(2), struct.int(3), struct.int(4), struct.get(5)]).toEqual([true, 0xfb, -300, 2147483647, -(2n ** 63n)])
    const out = new ByteWriter()
    writeStruct(out, struct)
    expect(out.getBytes()).toEqual(bytes)
  })

  it('sets integer fields in id order, keeping their stored type', () => {
    const struct = new ThriftReader(bytes).struct()
    struct.setInt(3, 12)
    struct.setInt(10, -1, THRIFT.I32)
    expect(struct.fields.map(f => [f.id, f.type])).toEqual([[1, 1], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7], [7, 8], [8, 9], [9, 9], [10, 5], [40, 12]])
    const out = new ByteWriter()
    writeStruct(out, struct)
    const back = new ThriftReader(out.getBytes()).struct()
    expect([back.int(3), back.int(10)]).toEqual([12, -1])
  })

  it('refuses truncated bytes with a ParquetError', () => {
    expect(() => new ThriftReader(bytes.subarray(0, 20)).struct()).toThrow(ParquetError)
    expect(() => new ThriftReader(bytes.subarray(0, 20)).struct()).toThrow(/^cannot parse Thrift metadata: truncated at byte 20$/)
  })
})
