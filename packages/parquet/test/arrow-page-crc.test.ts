// Page CRCs of the columnar path: parquet-wasm (arrow-rs) writes none, so `addPageCrcs` adds them to
// every file it writes, whatever the writer properties (statistics, page indexes, dictionary pages,
// data page v2, many pages per chunk); and a flipped bit in any page is CorruptData for both readers
// (lake's row reader and readArrowBatches, whose parquet-wasm decoder checks no CRC itself).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as arrow from 'apache-arrow'
import { LakeError } from '@lake/storage'
import { parquetMetadata } from 'hyparquet'
import type { FileMetaData } from 'hyparquet'
import { readOffsetIndex } from 'hyparquet/src/indexes.js'
import type * as Wasm from 'parquet-wasm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { arrowBatchToRows, asyncBufferFromBytes, encodeArrowBatch, readArrowBatches, rowsToArrowBatch } from '../src/index.js'
import type { Compression, Row, StructType } from '../src/index.js'
import { parquetWasm } from '../src/arrow/wasm-writer.js'
import { addPageCrcs } from '../src/page-crc/add-page-crcs.js'
import { ALL_TYPES, ALL_TYPES_ROWS } from './fixtures.js'
import { decimal, field, openDuck, P, readAll, struct } from './helpers.js'
import type { Duck } from './helpers.js'
import { bodyOf, crcOf, flip, pagesOf } from './pages.js'

const CODECS: Compression[] = ['zstd', 'snappy', 'gzip', 'uncompressed']
const FILE = 'part-00000-arrow.parquet'
const rowsOfAllTypes = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ ...(ALL_TYPES_ROWS[i % ALL_TYPES_ROWS.length] as Row), id: i }))

/** Every data page of every chunk is in the chunk's offset index, at its offset and with its size. */
function expectOffsetIndexes(bytes: Uint8Array): void {
  const buffer = bytes.slice().buffer
  const chunks = parquetMetadata(buffer).row_groups.flatMap(g => g.columns)
  const pages = pagesOf(bytes)
  chunks.forEach((chunk, k) => {
    if (chunk.offset_index_offset === undefined) return
    const view = new DataView(buffer, Number(chunk.offset_index_offset), chunk.offset_index_length)
    const locations = readOffsetIndex({ view, offset: 0 }).page_locations.map(l => [Number(l.offset), l.compressed_page_size])
    const dataPages = pages.filter(p => p.chunk === k && p.header.type !== 'DICTIONARY_PAGE')
    expect(locations).toEqual(dataPages.map(p => [p.headerStart, p.bodyStart - p.headerStart + p.header.compressed_page_size]))
  })
}

function expectCrcOnEveryPage(bytes: Uint8Array): void {
  for (const page of pagesOf(bytes)) expect(page.header.crc, `${page.header.type} of ${page.column} at ${page.headerStart}`).toBe(crcOf(bodyOf(bytes, page)))
}

describe('encodeArrowBatch writes page CRCs', () => {
  it.each(CODECS)('on every page of every column chunk, every Delta type, 3 row groups (%s)', async compression => {
    const rows = rowsOfAllTypes(300)
    const { bytes } = encodeArrowBatch(rowsToArrowBatch(rows, ALL_TYPES).batch, ALL_TYPES, { compression, rowGroupSize: 100 })
    expect(parquetMetadata(bytes.slice().buffer).row_groups.map(g => Number(g.num_rows))).toEqual([100, 100, 100])
    expect(pagesOf(bytes).length).toBeGreaterThanOrEqual(3 * 27) // 27 leaf columns
    expectCrcOnEveryPage(bytes)
    expectOffsetIndexes(bytes)
    expect(await readAll(bytes, ALL_TYPES)).toEqual(rows)
  })
})

/** The footer without what adding CRCs moves or grows: offsets, lengths and sizes. */
function withoutOffsets(metadata: FileMetaData): unknown {
  const moved = new Set(['data_page_offset', 'dictionary_page_offset', 'index_page_offset', 'total_compressed_size', 'total_uncompressed_size',
    'offset_index_offset', 'offset_index_length', 'column_index_offset', 'file_offset', 'total_byte_size', 'metadata_length'])
  return JSON.parse(JSON.stringify(metadata, (k, v: unknown) => (moved.has(k) ? undefined : typeof v === 'bigint' ? `${v}n` : v)))
}

function columnIndexes(bytes: Uint8Array): Uint8Array[] {
  return parquetMetadata(bytes.slice().buffer).row_groups.flatMap(g => g.columns).flatMap(c =>
    c.column_index_offset === undefined ? [] : [bytes.subarray(Number(c.column_index_offset), Number(c.column_index_offset) + (c.column_index_length ?? 0))])
}

async function arrowRows(bytes: Uint8Array, schema: StructType): Promise<Row[]> {
  const rows: Row[] = []
  for await (const batch of readArrowBatches(asyncBufferFromBytes(bytes), schema, { path: FILE })) rows.push(...arrowBatchToRows(batch))
  return rows
}

type Properties = (wasm: typeof Wasm, builder: Wasm.WriterPropertiesBuilder) => Wasm.WriterPropertiesBuilder
const VARIANTS: [string, Properties, string[]][] = [
  ['arrow-rs defaults: dictionary pages, page statistics, column and offset indexes', (_w, b) => b, ['DATA_PAGE', 'DICTIONARY_PAGE']],
  ['no statistics, no column index', (w, b) => b.setStatisticsEnabled(w.EnabledStatistics.None).setDictionaryEnabled(false), ['DATA_PAGE']],
  ['chunk statistics only', (w, b) => b.setStatisticsEnabled(w.EnabledStatistics.Chunk), ['DATA_PAGE', 'DICTIONARY_PAGE']],
  ['data page v2 with dictionary pages', (w, b) => b.setWriterVersion(w.WriterVersion.V2), ['DATA_PAGE_V2', 'DICTIONARY_PAGE']],
  ['data page v2, many small pages per chunk', (w, b) => b.setWriterVersion(w.WriterVersion.V2).setDictionaryEnabled(false).setDataPageSizeLimit(512), ['DATA_PAGE_V2']],
  ['many small v1 pages per chunk', (_w, b) => b.setDictionaryEnabled(false).setDataPageSizeLimit(512).setWriteBatchSize(64), ['DATA_PAGE']],
]

describe('addPageCrcs on parquet-wasm output', () => {
  let duck: Duck
  beforeAll(async () => {
    duck = await openDuck()
  })
  afterAll(() => duck.close())
  const rows = rowsOfAllTypes(2000)

  function write(properties: Properties): Uint8Array {
    const wasm = parquetWasm()
    const input = wasm.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table([rowsToArrowBatch(rows, ALL_TYPES).batch]), 'stream'))
    const builder = properties(wasm, new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.ZSTD).setMaxRowGroupSize(700))
    return wasm.writeParquet(input, builder.build())
  }

  it.each(VARIANTS)('adds a CRC to every page and changes nothing else: %s', async (_name, properties, pageTypes) => {
    const raw = write(properties)
    const out = addPageCrcs(raw)
    const [before, after] = [pagesOf(raw), pagesOf(out)]
    expect(new Set(after.map(p => p.header.type))).toEqual(new Set(pageTypes))
    expect(before.every(p => p.header.crc === undefined)).toBe(true)
    expectCrcOnEveryPage(out)
    expect(after.map(p => ({ ...p.header, crc: undefined }))).toEqual(before.map(p => p.header))
    after.forEach((page, k) => expect(bodyOf(out, page)).toEqual(bodyOf(raw, before[k] as (typeof before)[number])))
    expect(withoutOffsets(parquetMetadata(out.slice().buffer))).toEqual(withoutOffsets(parquetMetadata(raw.slice().buffer)))
    expect(columnIndexes(out)).toEqual(columnIndexes(raw))
    expectOffsetIndexes(out)
    expect(await readAll(out, ALL_TYPES)).toEqual(rows)
    expect(await arrowRows(out, ALL_TYPES)).toEqual(await arrowRows(raw, ALL_TYPES))
    writeFileSync(join(duck.dir, 'raw.parquet'), raw)
    writeFileSync(join(duck.dir, 'out.parquet'), out)
    const [r, o] = [`read_parquet('${join(duck.dir, 'raw.parquet')}')`, `read_parquet('${join(duck.dir, 'out.parquet')}')`]
    const differences = `SELECT (SELECT count(*) FROM (SELECT * FROM ${r} EXCEPT ALL SELECT * FROM ${o}))::INTEGER AS missing,
      (SELECT count(*) FROM (SELECT * FROM ${o} EXCEPT ALL SELECT * FROM ${r}))::INTEGER AS extra, (SELECT count(*) FROM ${o})::INTEGER AS n`
    expect(await duck.rows(differences)).toEqual([{ missing: 0, extra: 0, n: rows.length }])
  })
})

describe('a flipped bit in a page of an Arrow-written file', () => {
  const schema = struct(field('id', P('long'), false), field('s', P('string')), field('x', P('double')), field('day', P('date')), field('amount', decimal(18, 2)))
  const rows: Row[] = Array.from({ length: 300 }, (_, i) => ({
    id: BigInt(i),
    s: i % 3 === 0 ? null : `value ${i % 7}`,
    x: i / 4,
    day: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
    amount: `${i}.${String(i % 100).padStart(2, '0')}`,
  }))

  const failure = async (read: () => Promise<unknown>): Promise<unknown> => {
    try {
      return { read: await read() }
    } catch (err) {
      if (err instanceof LakeError) return { code: err.code, path: err.context.path, column: err.context.column }
      throw err
    }
  }

  it.each(CODECS)('is CorruptData naming the file and column for the row reader and readArrowBatches (%s)', async compression => {
    const { bytes } = encodeArrowBatch(rowsToArrowBatch(rows, schema).batch, schema, { compression, rowGroupSize: 100 })
    expect(await arrowRows(bytes, schema)).toEqual(rows)
    const pages = pagesOf(bytes)
    expect(pages.length).toBe(15) // 3 row groups of 5 columns
    for (const page of pages) {
      const damaged = flip(bytes, page.bodyStart + (page.header.compressed_page_size >> 1), 5)
      const expected = { code: 'CorruptData', path: FILE, column: page.column }
      expect(await failure(() => readAll(damaged, schema, { path: FILE })), `row reader, ${page.column}`).toEqual(expected)
      expect(await failure(() => arrowRows(damaged, schema)), `readArrowBatches, ${page.column}`).toEqual(expected)
    }
  })
})
