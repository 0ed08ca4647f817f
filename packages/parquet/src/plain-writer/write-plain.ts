// The plain writer: an Arrow table of flat columns (plain-column.ts) -> one Parquet file, in JS with
// no wasm. Every value PLAIN-encoded (no dictionary, as lake's parquet-wasm writes too: zstd finds the
// repeats), v1 data pages of at most PAGE_ROWS rows and about PAGE_BYTES bytes, each with its CRC-32,
// compressed by the row encoder's codecs (zstd-napi for zstd), row groups of `rowGroupSize` rows, per-chunk
// statistics in the footer and a page index (hyparquet-writer's page header, index and footer writers). It exists for
// speed: most of the bytes are the Arrow buffers themselves, so a fresh process pays no wasm compile
// and no copy into wasm memory (bench/RESULTS.md).

import type * as arrow from 'apache-arrow'
import type { ColumnChunk, CompressionCodec, FileMetaData, RowGroup, SchemaElement } from 'hyparquet'
import { ByteWriter } from 'hyparquet-writer'
import { writePageHeader } from 'hyparquet-writer/src/datapage.js'
import { writeIndexes } from 'hyparquet-writer/src/indexes.js'
import { writeMetadata } from 'hyparquet-writer/src/metadata.js'
import { snappyCompress } from 'hyparquet-writer/src/snappy.js'
import { writeCodec } from '../compressors.js'
import { ParquetError } from '../errors.js'
import { pageCrc } from '../page-crc/page-crc.js'
import type { Compression } from '../types.js'
import { chunkStatistics, foldBounds, rangeBounds } from './chunk-stats.js'
import type { Bounds, Segment } from './chunk-stats.js'
import { pageIndexes } from './page-index.js'
import type { PageEntry, PageIndexes } from './page-index.js'
import { pageBody } from './page-body.js'
import { plainColumn } from './plain-column.js'
import type { PlainColumn } from './plain-column.js'

const CREATED_BY = 'lake-parquet version 0.1.0 (plain writer)'
/** Most rows in a data page (arrow-rs's default). */
const PAGE_ROWS = 20_000
/** About the most PLAIN bytes in a data page (arrow-rs's default limit): byte strings cut their pages by it. */
const PAGE_BYTES = 1 << 20
/** Bytes of a byte-string bound kept in the footer's statistics (arrow-rs's default). */
const STATS_TRUNCATE = 64
const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]) // PAR1

/** Options of {@link writePlainParquet}. */
export interface PlainWriteOptions {
  readonly compression: Compression
  /** Most rows per row group. */
  readonly rowGroupSize: number
  /** Most rows per data page (default PAGE_ROWS; tests cut pages small). */
  readonly pageRows?: number
}

/**
 * The columns of `table` when the plain writer takes all of them (and at least one), else undefined.
 * A table without rows is not taken: hyparquet-writer's footer writer types an empty list (no row
 * groups) as a list of bytes, which arrow-rs refuses to read.
 */
export function plainColumns(table: arrow.Table): readonly PlainColumn[] | undefined {
  const columns = table.schema.fields.map(plainColumn)
  return table.numRows > 0 && columns.length > 0 && columns.every(c => c !== undefined) ? (columns as PlainColumn[]) : undefined
}

interface Codec {
  readonly codec: CompressionCodec
  readonly compress: (bytes: Uint8Array) => Uint8Array
}

function codecOf(compression: Compression): Codec {
  const { codec, compressors } = writeCodec(compression)
  const compress = codec === 'SNAPPY' ? snappyCompress : compressors[codec]
  // Uncompressed: the page body is copied (it may be a buffer the next page reuses).
  return { codec, compress: compress ?? (bytes => bytes.slice()) }
}

/** The file's bytes, collected as pieces and joined once at the end. */
class Pieces {
  readonly list: Uint8Array[] = []
  offset = 0
  push(bytes: Uint8Array): void {
    this.list.push(bytes)
    this.offset += bytes.length
  }
  join(): Uint8Array {
    const out = new Uint8Array(this.offset)
    let at = 0
    for (const piece of this.list) {
      out.set(piece, at)
      at += piece.length
    }
    return out
  }
}

/** The page ranges [start, end) of rows [start, end) of `data`. */
function pageRanges(data: arrow.Data, start: number, end: number, pageRows: number): [number, number][] {
  const ranges: [number, number][] = []
  // Byte strings have value offsets (apache-arrow gives fixed-width columns none): pages are cut by their bytes too.
  const offsets = data.valueOffsets as Int32Array | undefined
  for (let s = start; s < end;) {
    let e = Math.min(end, s + pageRows)
    if (offsets !== undefined) {
      const first = offsets[s] as number
      // Stryker disable next-line EqualityOperator: a page one row longer or shorter holds the same values
      while (e > s + 1 && (offsets[e] as number) - first + 4 * (e - s) > PAGE_BYTES) e = s + Math.max(1, (e - s) >> 1)
    }
    ranges.push([s, e])
    s = e
  }
  return ranges
}

/** Writes one column chunk (the segments of one row group) at the end of `out`; returns it with its page index. */
function writeChunk(out: Pieces, column: PlainColumn, segments: readonly Segment[], codec: Codec, pageRows: number): PageIndexes {
  const optional = column.element.repetition_type === 'OPTIONAL'
  const start = out.offset
  const pages: PageEntry[] = []
  let uncompressed = 0
  let nulls = 0
  let rows = 0
  let bounds: Bounds | undefined
  for (const { data, start: from, end: to } of segments) {
    for (const [s, e] of pageRanges(data, from, to, pageRows)) {
      const page = pageBody(data, column.layout, optional, s, e)
      if (!optional && page.nulls > 0) throw new ParquetError(`column '${column.name}': expected no nulls (the column is not nullable), found ${page.nulls}`, { context: { column: column.name } })
      const stored = codec.compress(page.body)
      const header = new ByteWriter(64)
      writePageHeader(header, {
        type: 'DATA_PAGE',
        uncompressed_page_size: page.body.length,
        compressed_page_size: stored.length,
        crc: pageCrc(stored),
        data_page_header: { num_values: e - s, encoding: 'PLAIN', definition_level_encoding: 'RLE', repetition_level_encoding: 'RLE' },
      })
      const headerBytes = header.getBytes()
      const pageBounds = rangeBounds(data, column, s, e)
      pages.push({ offset: out.offset, compressedSize: headerBytes.length + stored.length, firstRow: rows, rows: e - s, nulls: page.nulls, bounds: pageBounds })
      out.push(headerBytes)
      out.push(stored)
      uncompressed += headerBytes.length + page.body.length
      nulls += page.nulls
      rows += e - s
      bounds = foldBounds(bounds, pageBounds)
    }
  }
  const type = column.element.type as NonNullable<SchemaElement['type']>
  const chunk: ColumnChunk = {
    file_offset: BigInt(start),
    meta_data: {
      type,
      encodings: optional ? ['PLAIN', 'RLE'] : ['PLAIN'],
      path_in_schema: [column.name],
      codec: codec.codec,
      num_values: BigInt(rows),
      total_uncompressed_size: BigInt(uncompressed),
      total_compressed_size: BigInt(out.offset - start),
      data_page_offset: BigInt(start),
      statistics: chunkStatistics(bounds, nulls),
    },
  }
  return pageIndexes(chunk, column.element, pages, STATS_TRUNCATE)
}

/** Per column, the segments of rows [first, first + count) of the table (which may span its batches). */
function groupSegments(table: arrow.Table, column: number, first: number, count: number): Segment[] {
  const segments: Segment[] = []
  let base = 0
  for (const batch of table.batches) {
    const s = Math.max(first, base)
    const e = Math.min(first + count, base + batch.numRows)
    // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty segment has no pages
    if (s < e) segments.push({ data: batch.data.children[column] as arrow.Data, start: s - base, end: e - base })
    base += batch.numRows
  }
  return segments
}

/** One column of a written file: its null count and its least and greatest value over every row group (as its chunks' statistics). */
export interface ColumnSummary {
  readonly nulls: number
  readonly bounds: Bounds | undefined
}

/** A file the plain writer wrote: its bytes and, per column, what its statistics say. */
export interface PlainFile {
  readonly bytes: Uint8Array
  readonly columns: readonly ColumnSummary[]
}

/** The summaries of `columns` with one more row group's chunks (`indexed`, column order) folded in. */
function summarize(columns: readonly ColumnSummary[], indexed: readonly PageIndexes[]): ColumnSummary[] {
  return indexed.map(({ chunk }, k) => {
    const stats = chunk.meta_data?.statistics
    const bounds = stats?.min_value === undefined ? undefined : ([stats.min_value, stats.max_value] as Bounds)
    const before = columns[k]
    return { nulls: (before?.nulls ?? 0) + Number(stats?.null_count ?? 0n), bounds: foldBounds(before?.bounds, bounds) }
  })
}

/**
 * Encodes `table` (canonical Arrow types, flat: see `plainColumns`) as Parquet bytes.
 * @throws ParquetError for a table the plain writer does not take, or a null in a non-nullable column.
 */
export function writePlainParquet(table: arrow.Table, options: PlainWriteOptions): Uint8Array {
  return writePlainFile(table, options).bytes
}

/** `writePlainParquet`, with each column's null count and bounds (for Delta stats, computed once). */
export function writePlainFile(table: arrow.Table, options: PlainWriteOptions): PlainFile {
  const columns = plainColumns(table)
  if (columns === undefined) throw new ParquetError(`expected an Arrow table of flat columns of Delta types with rows for the plain writer, found ${table.numRows === 0 ? 'no rows' : 'another layout'}`)
  if (!Number.isInteger(options.rowGroupSize) || options.rowGroupSize < 1) throw new ParquetError(`expected rowGroupSize to be a positive integer, found ${options.rowGroupSize}`)
  const codec = codecOf(options.compression)
  const pageRows = options.pageRows ?? PAGE_ROWS
  if (!Number.isInteger(pageRows) || pageRows < 1) throw new ParquetError(`expected pageRows to be a positive integer, found ${pageRows}`)
  const out = new Pieces()
  out.push(MAGIC)
  const rowGroups: RowGroup[] = []
  const indexes: PageIndexes[] = []
  let summaries: ColumnSummary[] = []
  for (let first = 0; first < table.numRows; first += options.rowGroupSize) {
    const count = Math.min(options.rowGroupSize, table.numRows - first)
    const start = out.offset
    const indexed = columns.map((column, k) => writeChunk(out, column, groupSegments(table, k, first, count), codec, pageRows))
    indexes.push(...indexed)
    summaries = summarize(summaries, indexed)
    const chunks = indexed.map(i => i.chunk)
    const size = chunks.reduce((sum, c) => sum + (c.meta_data?.total_uncompressed_size ?? 0n), 0n)
    rowGroups.push({ columns: chunks, total_byte_size: size, num_rows: BigInt(count), file_offset: BigInt(start), total_compressed_size: BigInt(out.offset - start) })
  }
  // The page indexes after the row groups (hyparquet-writer sets each chunk's offsets, file-absolute from `offset`).
  const index = new ByteWriter()
  index.offset = out.offset
  writeIndexes(index, indexes)
  out.push(index.getBytes())
  // Stryker disable next-line StringLiteral: readers ignore the root's name
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }, ...columns.map(c => c.element)]
  const footer = new ByteWriter()
  const metadata: Omit<FileMetaData, 'metadata_length'> = { version: 1, schema, num_rows: BigInt(table.numRows), row_groups: rowGroups, created_by: CREATED_BY }
  writeMetadata(footer, metadata as FileMetaData, STATS_TRUNCATE)
  out.push(footer.getBytes())
  out.push(MAGIC)
  return { bytes: out.join(), columns: summaries }
}
