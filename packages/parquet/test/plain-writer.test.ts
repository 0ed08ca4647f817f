// The plain writer (src/plain-writer/): flat Arrow tables -> Parquet in JS. Random tables of every flat
// Delta type (nulls, NaN, -0, several batches, sliced batches, small row groups and pages) are read back
// exactly by both of lake's readers (hyparquet rows, parquet-wasm Arrow), with page CRCs that check and
// footer statistics that match the values; DuckDB reads the same types and bounds; other tables go to
// parquet-wasm.

import fc from 'fast-check'
import { parquetMetadata, readColumnIndex, readOffsetIndex } from 'hyparquet'
import type { FileMetaData } from 'hyparquet'
import * as arrow from 'apache-arrow'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { arrowBatchToRows, asyncBufferFromBytes, encodeArrowBatch, readArrowBatches, rowsToArrowBatch } from '../src/index.js'
import type { Compression, DataType, PrimitiveName, Row, StructType } from '../src/index.js'
import { parquetHeader } from 'hyparquet/src/column.js'
import { checkPageCrcs } from '../src/page-crc/page-crc.js'
import { writeArrowParquet } from '../src/arrow/arrow-parquet.js'
import { plainColumns, writePlainParquet } from '../src/plain-writer/write-plain.js'
import { ALL_TYPES, ALL_TYPES_ROWS } from './fixtures.js'
import { flatTables as tables, tableOf } from './flat-tables.js'
import { field, normaliseDuckRows, normaliseRows, openDuck, P, readAll, struct } from './helpers.js'
import type { Duck } from './helpers.js'

/** Where the pages of the long-strings test start (see that test). */
const PAGE_STARTS = [0, 150, 262, 431]

/** Values with -0 as the text '-0' (toEqual tells it from 0) and binaries as arrays. */
function signed(row: Row): unknown {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' && Object.is(v, -0) ? '-0' : v instanceof Uint8Array ? [...v] : v]))
}


const metadataOf = (bytes: Uint8Array): FileMetaData => parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)

/** The footer bounds a chunk of `values` must have, as hyparquet reads them back (undefined: not checked here). */
function expectedBounds(type: PrimitiveName, values: readonly unknown[]): [unknown, unknown] | undefined {
  const present = values.filter(v => v !== null && !(typeof v === 'number' && Number.isNaN(v)))
  if (present.length === 0) return [undefined, undefined]
  if (type === 'string') {
    const sorted = [...(present as string[])].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    const [min, max] = [sorted[0] as string, sorted.at(-1) as string]
    return Buffer.byteLength(min) <= 64 && Buffer.byteLength(max) <= 64 ? [min, max] : undefined
  }
  if (!['byte', 'short', 'integer', 'long', 'float', 'double', 'boolean'].includes(type)) return undefined
  const sorted = [...(present as (number | bigint | boolean)[])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  let [min, max] = [sorted[0], sorted.at(-1)]
  if (type === 'float' || type === 'double') {
    if (min === 0) min = -0
    if (max === 0) max = 0
  }
  return [min, max]
}

/** A PLAIN-encoded bound as the JS value hyparquet gives for the footer's (strings as text). */
function fromPlain(bytes: Uint8Array, type: FileMetaData['schema'][number]['type']): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  switch (type) {
    case 'INT32': return view.getInt32(0, true)
    case 'INT64': return view.getBigInt64(0, true)
    case 'FLOAT': return view.getFloat32(0, true)
    case 'DOUBLE': return view.getFloat64(0, true)
    case 'BOOLEAN': return bytes[0] === 1
    default: return new TextDecoder().decode(bytes)
  }
}

const signedPair = (pair: readonly unknown[]): unknown[] => pair.map(v => (Object.is(v, -0) ? '-0' : v))

const varintLength = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4)

/** The uncompressed body of a page of `values`: definition levels (optional columns) and the PLAIN non-null values. */
function bodySize(type: PrimitiveName, optional: boolean, values: readonly unknown[]): number {
  const present = values.filter(v => v !== null)
  const n = values.length
  const groups = Math.ceil(n / 8)
  const levels = !optional ? 0 : present.length === 0 || present.length === n ? 4 + varintLength(n * 2) + 1 : 4 + varintLength(groups * 2 + 1) + groups
  const width: Partial<Record<PrimitiveName, number>> = { byte: 4, short: 4, integer: 4, date: 4, float: 4, long: 8, double: 8, timestamp: 8, timestamp_ntz: 8 }
  if (type === 'boolean') return levels + Math.ceil(present.length / 8)
  if (type === 'string' || type === 'binary') return levels + present.reduce((sum: number, v) => sum + 4 + (typeof v === 'string' ? Buffer.byteLength(v) : (v as Uint8Array).length), 0)
  return levels + (width[type] as number) * present.length
}

/** Every page header of a chunk (walked from its first page): its row count and its exact uncompressed body size. */
function checkPageSizes(bytes: Uint8Array, chunk: FileMetaData['row_groups'][number]['columns'][number], type: PrimitiveName, optional: boolean, values: readonly unknown[]): void {
  const meta = chunk.meta_data
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const reader = { view, offset: Number(meta?.data_page_offset) }
  const end = reader.offset + Number(meta?.total_compressed_size)
  let row = 0
  let uncompressed = 0
  while (reader.offset < end) {
    const start = reader.offset
    const header = parquetHeader(reader)
    const count = header.data_page_header?.num_values ?? 0
    expect(header.uncompressed_page_size).toBe(bodySize(type, optional, values.slice(row, row + count)))
    uncompressed += reader.offset - start + header.uncompressed_page_size
    reader.offset += header.compressed_page_size
    row += count
  }
  expect(row).toBe(values.length)
  expect(Number(meta?.total_uncompressed_size)).toBe(uncompressed)
}

/** ColumnIndex's boundary order of pages with these bounds (all-null pages left out). */
function boundaryOrder(bounds: readonly (readonly [unknown, unknown] | undefined)[]): string {
  const cmp = (a: unknown, b: unknown): number => (typeof a === 'string' ? Buffer.compare(Buffer.from(a), Buffer.from(b as string)) : a === b ? 0 : (a as number) < (b as number) ? -1 : 1)
  const present = bounds.filter(b => b !== undefined)
  const pairs = present.slice(1).map((b, i) => [cmp((present[i] as [unknown, unknown])[0], b[0]), cmp((present[i] as [unknown, unknown])[1], b[1])])
  if (pairs.every(([lo, hi]) => (lo as number) <= 0 && (hi as number) <= 0)) return 'ASCENDING'
  return pairs.every(([lo, hi]) => (lo as number) >= 0 && (hi as number) >= 0) ? 'DESCENDING' : 'UNORDERED'
}

/** A chunk's page index against its rows: contiguous pages from the chunk's start, their first rows, null counts and bounds. */
function checkPageIndex(bytes: Uint8Array, chunk: FileMetaData['row_groups'][number]['columns'][number], element: FileMetaData['schema'][number], type: PrimitiveName, values: readonly unknown[]): void {
  const meta = chunk.meta_data
  if (chunk.offset_index_offset === undefined) {
    // One page: no index (hyparquet-writer writes none for a single page).
    expect(chunk.column_index_offset).toBeUndefined()
    return
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const pages = readOffsetIndex({ view, offset: Number(chunk.offset_index_offset) }).page_locations
  expect(pages.length).toBeGreaterThan(1)
  let at = Number(meta?.data_page_offset)
  for (const page of pages) {
    expect(Number(page.offset)).toBe(at)
    at += page.compressed_page_size
  }
  expect(at - Number(meta?.data_page_offset)).toBe(Number(meta?.total_compressed_size))
  const firsts = pages.map(p => Number(p.first_row_index))
  expect(firsts[0]).toBe(0)
  const ranges = firsts.map((first, i) => values.slice(first, firsts[i + 1] ?? values.length))
  expect(ranges.every(r => r.length > 0)).toBe(true)
  const nanOnly = ranges.some(r => r.some(v => v !== null) && r.every(v => v === null || (typeof v === 'number' && Number.isNaN(v))))
  // A page of only NaN (and NULL) has no bounds: the spec then wants no ColumnIndex.
  expect(chunk.column_index_offset === undefined).toBe(nanOnly)
  if (nanOnly) return
  // Bounds read as raw bytes (hyparquet's typed conversion fails on the empty bounds of all-null pages), decoded here.
  const index = readColumnIndex({ view, offset: Number(chunk.column_index_offset) }, { name: element.name, type: 'FIXED_LEN_BYTE_ARRAY' })
  expect(index.null_counts).toEqual(ranges.map(r => BigInt(r.filter(v => v === null).length)))
  expect(index.null_pages).toEqual(ranges.map(r => r.every(v => v === null)))
  const pageBounds = ranges.map(r => expectedBounds(type, r))
  ranges.forEach((_r, i) => {
    const bounds = pageBounds[i]
    if (bounds === undefined || index.null_pages[i]) return
    expect(signedPair([index.min_values[i], index.max_values[i]].map(b => fromPlain(b as Uint8Array, element.type)))).toEqual(signedPair(bounds))
  })
  // Numbers and short strings: the order of their bounds is known here.
  if (pageBounds.every(b => b !== undefined) && ['byte', 'short', 'integer', 'long', 'string'].includes(type)) {
    expect(index.boundary_order).toBe(boundaryOrder(pageBounds.map(b => (b?.[0] === undefined ? undefined : (b as [unknown, unknown])))))
  }
}

function checkFooter(bytes: Uint8Array, schema: StructType, rows: readonly Row[], rowGroupSize: number): void {
  const metadata = metadataOf(bytes)
  checkPageCrcs(bytes, metadata)
  expect(metadata.created_by).toContain('(plain writer)')
  expect(Number(metadata.num_rows)).toBe(rows.length)
  expect(metadata.row_groups.map(g => Number(g.num_rows))).toEqual(Array.from({ length: Math.ceil(rows.length / rowGroupSize) }, (_, g) => Math.min(rowGroupSize, rows.length - g * rowGroupSize)))
  metadata.row_groups.forEach((group, g) => {
    const slice = rows.slice(g * rowGroupSize, (g + 1) * rowGroupSize)
    expect(group.total_byte_size).toBe(group.columns.reduce((sum, c) => sum + (c.meta_data?.total_uncompressed_size ?? 0n), 0n))
    expect(group.total_compressed_size).toBe(group.columns.reduce((sum, c) => sum + (c.meta_data?.total_compressed_size ?? 0n), 0n))
    expect(group.file_offset).toBe(group.columns[0]?.meta_data?.data_page_offset)
    group.columns.forEach((chunk, c) => {
      const f = schema.fields[c] as StructType['fields'][number]
      const values = slice.map(r => r[f.name])
      const stats = chunk.meta_data?.statistics
      expect(stats?.null_count).toBe(BigInt(values.filter(v => v === null).length))
      const type = (f.type as { name: PrimitiveName }).name
      const bounds = expectedBounds(type, values)
      if (bounds !== undefined) expect(signedPair([stats?.min_value, stats?.max_value])).toEqual(signedPair(bounds))
      checkPageIndex(bytes, chunk, metadata.schema[c + 1] as FileMetaData['schema'][number], type, values)
      checkPageSizes(bytes, chunk, type, f.nullable, values)
    })
  })
}

describe('the plain writer', () => {
  it('writes random flat tables that both readers read back exactly, with checked CRCs and exact footer statistics', async () => {
    await fc.assert(
      fc.asyncProperty(tables.filter(([, rows]) => rows.length > 0), fc.array(fc.nat(), { maxLength: 3 }), fc.boolean(), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 30 }), fc.constantFrom<Compression>('zstd', 'snappy', 'gzip', 'uncompressed'), async ([schema, rows], cuts, pad, rowGroupSize, pageRows, compression) => {
        const bytes = writePlainParquet(tableOf(rows, schema, cuts, pad), { compression, rowGroupSize, pageRows })
        expect((await readAll(bytes, schema)).map(signed)).toEqual(rows.map(signed))
        const viaArrow: Row[] = []
        for await (const batch of readArrowBatches(asyncBufferFromBytes(bytes), schema)) viaArrow.push(...arrowBatchToRows(batch))
        expect(viaArrow.map(signed)).toEqual(rows.map(signed))
        checkFooter(bytes, schema, rows, rowGroupSize)
      }),
      { numRuns: 300 },
    )
  })

  it('writes varint headers at their byte boundaries: a 64-row RLE run, a 64-group bit-packed run', async () => {
    const schema = struct(field('n', P('integer')))
    const allNull = Array.from({ length: 100 }, () => ({ n: null }))
    for (const rows of [Array.from({ length: 64 }, (_, i) => ({ n: i })), Array.from({ length: 512 }, (_, i) => ({ n: i % 5 === 0 ? null : i })), allNull]) {
      const bytes = writePlainParquet(tableOf(rows, schema, [], false), { compression: 'uncompressed', rowGroupSize: 1000, pageRows: 1000 })
      expect(await readAll(bytes, schema)).toEqual(rows)
      checkPageSizes(bytes, metadataOf(bytes).row_groups[0]?.columns[0] as never, 'integer', true, rows.map(r => r.n))
    }
  })

  it('takes only the canonical Arrow types of flat Delta types, with their field ids', () => {
    const one = (type: arrow.DataType, metadata = new Map<string, string>()): arrow.Table => {
      const f = new arrow.Field('c', type, true, metadata)
      return new arrow.Table([new arrow.RecordBatch(new arrow.Schema([f]), arrow.makeData({ type: new arrow.Struct([f]), length: 1, nullCount: 0, children: [arrow.makeData({ type, length: 1, nullCount: 1, nullBitmap: new Uint8Array([0]) } as never)] }))])
    }
    for (const type of [new arrow.Uint32(), new arrow.Float16(), new arrow.DateMillisecond(), new arrow.TimestampMillisecond('UTC'), new arrow.Decimal(2, 10, 128), new arrow.LargeUtf8()]) {
      expect(plainColumns(one(type)), String(type)).toBeUndefined()
    }
    for (const [type, physical] of [[new arrow.Float32(), 'FLOAT'], [new arrow.DateDay(), 'INT32'], [new arrow.TimestampMicrosecond(), 'INT64'], [new arrow.Int16(), 'INT32']] as const) {
      expect(plainColumns(one(type))?.[0]?.element.type, String(type)).toBe(physical)
    }
    expect(plainColumns(one(new arrow.Int64(), new Map([['PARQUET:field_id', '7']])))?.[0]?.element.field_id).toBe(7)
    expect(plainColumns(new arrow.Table(new arrow.Schema([]), [] as never))).toBeUndefined()
    const noColumns = new arrow.Table([new arrow.RecordBatch(new arrow.Schema([]), arrow.makeData({ type: new arrow.Struct([]), length: 3, nullCount: 0, children: [] }))])
    expect(noColumns.numRows).toBe(3)
    expect(plainColumns(noColumns)).toBeUndefined()
  })

  it('widens a max of -0 to +0 and leaves a chunk whose page holds only NaN without a column index', () => {
    const schema = struct(field('d', P('double')))
    const zeros = metadataOf(writePlainParquet(tableOf([{ d: -0 }, { d: -0 }], schema, []), { compression: 'zstd', rowGroupSize: 10 })).row_groups[0]?.columns[0]?.meta_data?.statistics
    expect(Object.is(zeros?.min_value, -0) && Object.is(zeros?.max_value, 0)).toBe(true)
    const rows = [{ d: 1 }, { d: 2 }, { d: Number.NaN }, { d: Number.NaN }, { d: null }, { d: null }]
    const chunk = metadataOf(writePlainParquet(tableOf(rows, schema, []), { compression: 'zstd', rowGroupSize: 10, pageRows: 2 })).row_groups[0]?.columns[0]
    expect(chunk?.offset_index_offset).toBeDefined()
    expect(chunk?.column_index_offset).toBeUndefined()
  })

  it('orders byte strings as unsigned bytes, a prefix before its extensions', () => {
    const schema = struct(field('s', P('string')))
    const rows = ['a', 'ab', 'ab\u0000', 'é', 'ab'].map(s => ({ s }))
    const stats = metadataOf(writePlainParquet(tableOf(rows, schema, [], false), { compression: 'zstd', rowGroupSize: 10 })).row_groups[0]?.columns[0]?.meta_data?.statistics
    expect([stats?.min_value, stats?.max_value]).toEqual(['a', 'é'])
    const noAccent = metadataOf(writePlainParquet(tableOf(rows.slice(0, 3), schema, [], false), { compression: 'zstd', rowGroupSize: 10 })).row_groups[0]?.columns[0]?.meta_data?.statistics
    expect([noAccent?.min_value, noAccent?.max_value]).toEqual(['a', 'ab\u0000'])
  })

  it.each([
    ['equal pages', [5, 5, 5, 5, 5, 5], 'ASCENDING'],
    ['rising pages', [1, 2, 3, 4, 5, 6], 'ASCENDING'],
    ['falling maxima over equal minima', [0, 10, 0, 5, 0, 1], 'DESCENDING'],
    ['falling minima under equal maxima', [5, 10, 3, 10, 1, 10], 'DESCENDING'],
    ['falling pages', [9, 8, 7, 6, 5, 4], 'DESCENDING'],
    ['neither', [1, 9, 5, 6, 2, 3], 'UNORDERED'],
  ])('records the boundary order of %s in the column index', (_name, values, order) => {
    const schema = struct(field('n', P('integer')))
    const bytes = writePlainParquet(tableOf(values.map(n => ({ n })), schema, [], false), { compression: 'zstd', rowGroupSize: 10, pageRows: 2 })
    const chunk = metadataOf(bytes).row_groups[0]?.columns[0]
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    expect(readColumnIndex({ view, offset: Number(chunk?.column_index_offset) }, { name: 'n', type: 'INT32' }).boundary_order).toBe(order)
  })

  it('cuts pages of many short strings by their length prefixes, and gives a value over 1 MiB a page of its own', async () => {
    const schema = struct(field('s', P('string'), false))
    const starts = (rows: { s: string }[]): number[] => {
      const bytes = writePlainParquet(tableOf(rows, schema, [], false), { compression: 'zstd', rowGroupSize: 1_000_000, pageRows: 1_000_000 })
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      const chunk = metadataOf(bytes).row_groups[0]?.columns[0]
      return chunk?.offset_index_offset === undefined ? [0] : readOffsetIndex({ view, offset: Number(chunk.offset_index_offset) }).page_locations.map(p => Number(p.first_row_index))
    }
    // 300,000 empty strings: 1.2 MB of 4-byte lengths, halved once.
    expect(starts(Array.from({ length: 300_000 }, () => ({ s: '' })))).toEqual([0, 150_000])
    const big = [{ s: 'a' }, { s: 'x'.repeat(2 << 20) }, { s: 'b' }]
    expect(starts(big)).toEqual([0, 1, 2])
    const bytes = writePlainParquet(tableOf(big, schema, [], false), { compression: 'zstd', rowGroupSize: 10 })
    expect(await readAll(bytes, schema)).toEqual(big)
  })

  it('cuts pages of long strings at about 1 MiB and keeps every value', async () => {
    const schema = struct(field('s', P('string'), false))
    const rows = Array.from({ length: 600 }, (_, i) => ({ s: `${i}:${'x'.repeat(5000)}` }))
    const bytes = writePlainParquet(tableOf(rows, schema, []), { compression: 'zstd', rowGroupSize: 1000 })
    expect(await readAll(bytes, schema)).toEqual(rows)
    // 600 values of ~5 KB: three pages of at most 1 MiB of PLAIN bytes each.
    const chunk = metadataOf(bytes).row_groups[0]?.columns[0]?.meta_data
    expect(Number(chunk?.total_uncompressed_size)).toBeGreaterThan(3_000_000)
    expect(Number(chunk?.total_uncompressed_size)).toBeLessThan(3_010_000)
    // Each page halved until under 1 MiB of PLAIN bytes: 150 rows (~750 KB), then 112, 169 and 169 rows.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const pages = readOffsetIndex({ view, offset: Number(metadataOf(bytes).row_groups[0]?.columns[0]?.offset_index_offset) }).page_locations
    expect(pages.map(p => Number(p.first_row_index))).toEqual(PAGE_STARTS)
  })

  it('keeps float bounds apart from NaN and widens zero bounds to -0 and +0', () => {
    const schema = struct(field('d', P('double')), field('n', P('double')), field('z', P('float')))
    const rows = [{ d: Number.NaN, n: Number.NaN, z: 0 }, { d: 2.5, n: null, z: 0 }, { d: -1, n: Number.NaN, z: -0 }]
    const stats = metadataOf(writePlainParquet(tableOf(rows, schema, []), { compression: 'zstd', rowGroupSize: 10 })).row_groups[0]?.columns.map(c => c.meta_data?.statistics)
    expect([stats?.[0]?.min_value, stats?.[0]?.max_value]).toEqual([-1, 2.5])
    expect([stats?.[1]?.min_value, stats?.[1]?.max_value, stats?.[1]?.null_count]).toEqual([undefined, undefined, 1n])
    expect(Object.is(stats?.[2]?.min_value, -0) && Object.is(stats?.[2]?.max_value, 0)).toBe(true)
  })

  it('leaves a table without rows to parquet-wasm, whose file both readers read', async () => {
    const schema = struct(field('id', P('long'), false), field('s', P('string')))
    const empty = tableOf([], schema, [])
    expect(() => writePlainParquet(empty, { compression: 'zstd', rowGroupSize: 10 })).toThrow('expected an Arrow table of flat columns of Delta types with rows for the plain writer, found no rows')
    const bytes = writeArrowParquet(empty, { compression: 'zstd', rowGroupSize: 10 })
    expect(metadataOf(bytes).created_by).toContain('parquet-wasm')
    expect(await readAll(bytes, schema)).toEqual([])
    const batches: arrow.RecordBatch[] = []
    for await (const batch of readArrowBatches(asyncBufferFromBytes(bytes), schema)) batches.push(batch)
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(0)
  })

  it('refuses a null in a column that is not nullable, and options that are not positive integers', () => {
    const data = arrow.makeData({ type: new arrow.Int64(), length: 2, nullCount: 1, nullBitmap: new Uint8Array([1]), data: new BigInt64Array([1n, 0n]) })
    const schema = new arrow.Schema([new arrow.Field('id', new arrow.Int64(), false)])
    const table = new arrow.Table([new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: 2, nullCount: 0, children: [data] }))])
    expect(() => writePlainParquet(table, { compression: 'zstd', rowGroupSize: 10 })).toThrow("column 'id': expected no nulls (the column is not nullable), found 1")
    expect(() => writePlainParquet(table, { compression: 'zstd', rowGroupSize: 10 })).toThrow(expect.objectContaining({ context: { column: 'id' } }))
    const decimal = tableOf([{ d: '1.50' }], struct(field('d', { kind: 'decimal', precision: 10, scale: 2 })), [])
    expect(() => writePlainParquet(decimal, { compression: 'zstd', rowGroupSize: 10 })).toThrow('expected an Arrow table of flat columns of Delta types with rows for the plain writer, found another layout')
    const ok = tableOf([{ id: 1n }], struct(field('id', P('long'), false)), [])
    expect(() => writePlainParquet(ok, { compression: 'zstd', rowGroupSize: 0 })).toThrow('expected rowGroupSize to be a positive integer, found 0')
    expect(() => writePlainParquet(ok, { compression: 'zstd', rowGroupSize: 1, pageRows: 1.5 })).toThrow('expected pageRows to be a positive integer, found 1.5')
    expect(() => writePlainParquet(ok, { compression: 'zstd', rowGroupSize: 1, pageRows: 0 })).toThrow('expected pageRows to be a positive integer, found 0')
  })

  it('is taken for flat tables only: decimals and nested columns go to parquet-wasm', async () => {
    const writerOf = (schema: StructType, rows: Row[]): string | undefined => metadataOf(writeArrowParquet(tableOf(rows, schema, []), { compression: 'zstd', rowGroupSize: 10 })).created_by
    expect(writerOf(struct(field('id', P('long'))), [{ id: 1n }])).toContain('(plain writer)')
    expect(writerOf(struct(field('id', P('long')), field('d', { kind: 'decimal', precision: 10, scale: 2 })), [{ id: 1n, d: '1.50' }])).toContain('parquet-wasm')
    const nested: DataType = { kind: 'array', elementType: P('integer'), containsNull: true }
    expect(writerOf(struct(field('a', nested)), [{ a: [1, null] }])).toContain('parquet-wasm')
  })
})

describe('DuckDB reads files of the plain writer', () => {
  let duck: Duck
  beforeAll(async () => {
    duck = await openDuck()
  })
  afterAll(() => duck.close())

  const flat = struct(...ALL_TYPES.fields.filter(f => f.type.kind === 'primitive'))
  const flatRows = ALL_TYPES_ROWS.map(r => Object.fromEntries(flat.fields.map(f => [f.name, r[f.name] ?? null])) as Row)

  it.each(['zstd', 'snappy', 'gzip', 'uncompressed'] as Compression[])('with the Delta logical types, the same values and the bounds (%s)', async compression => {
    const path = join(duck.dir, `plain-${compression}.parquet`)
    const { bytes } = encodeArrowBatch(rowsToArrowBatch(flatRows, flat).batch, flat, { compression, rowGroupSize: 2 })
    writeFileSync(path, bytes)
    expect(metadataOf(bytes).created_by).toContain('(plain writer)')
    const rows = await duck.rows(`SELECT * FROM read_parquet('${path}') ORDER BY id`)
    expect(normaliseDuckRows(rows, flat)).toEqual(normaliseRows(flatRows, flat))
    // DuckDB's min/max of each row group equal the footer's bounds (DuckDB prints both the same way).
    for (const name of ['l', 'd', 'str', 'date', 'ts', 'ntz']) {
      const stats = await duck.rows(`SELECT row_group_id AS g, stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata('${path}') WHERE path_in_schema = '${name}' ORDER BY g`)
      const actual = await duck.rows(`SELECT (rn - 1) // 2 AS g, min(${name})::VARCHAR AS lo, max(${name})::VARCHAR AS hi FROM (SELECT ${name}, row_number() OVER () AS rn FROM read_parquet('${path}')) GROUP BY g ORDER BY g`)
      const bounds = (rs: Record<string, unknown>[]): unknown[] => rs.map(r => [Number(r.g), r.lo ?? null, r.hi ?? null])
      expect(bounds(stats), name).toEqual(bounds(actual))
    }
  })

  it('of several pages per column chunk (with their page index) and several row groups', async () => {
    const path = join(duck.dir, 'plain-pages.parquet')
    const schema = struct(field('id', P('long'), false), field('x', P('double')), field('s', P('string')))
    const rows = Array.from({ length: 50_000 }, (_, i) => ({ id: BigInt(i), x: i % 7 === 0 ? null : i / 4, s: i % 11 === 0 ? null : `s${i % 997}` }))
    const bytes = writePlainParquet(tableOf(rows, schema, [12_345]), { compression: 'zstd', rowGroupSize: 30_000, pageRows: 4_000 })
    writeFileSync(path, bytes)
    expect(metadataOf(bytes).row_groups[0]?.columns.every(c => c.offset_index_offset !== undefined && c.column_index_offset !== undefined)).toBe(true)
    const [sums] = await duck.rows(`SELECT count(*) AS n, sum(id)::VARCHAR AS ids, count(x) AS xs, sum(x) AS sx, count(s) AS ss, max(s) AS ms FROM read_parquet('${path}')`)
    const present = rows.filter(r => r.x !== null)
    expect(sums).toMatchObject({ n: '50000', ids: String((49_999 * 50_000) / 2), xs: String(present.length), sx: present.reduce((a, r) => a + (r.x as number), 0), ss: String(rows.filter(r => r.s !== null).length), ms: 's996' })
  })
})
