// Parquet page CRCs. The spec's PageHeader.crc is the CRC-32 (zlib/gzip polynomial) of the page bytes
// exactly as stored after the header: compressed values for dictionary and v1 pages, levels plus
// (compressed) values for data page v2, i.e. the `compressed_page_size` bytes that follow the header.
// hyparquet-writer leaves the field out, so `addPageCrcs` rewrites the written column chunks with it
// before the footer is written, moving every offset the footer and the offset indexes hold.

import { crc32 } from 'node:zlib'
import type { PageHeader } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { ByteWriter } from 'hyparquet-writer'
import type { ParquetWriter } from 'hyparquet-writer'
import { writePageHeader } from 'hyparquet-writer/src/datapage.js'
import { CorruptDataError, ParquetError } from './errors.js'

const MAGIC_BYTES = 4 // 'PAR1' before the first column chunk
const CRC_HEADER_BYTES = 6 // most a page header grows by: a field byte and a 5-byte varint

/** The signed 32-bit value the Thrift `i32` field holds for the CRC-32 of `body`. */
export function pageCrc(body: Uint8Array): number {
  return crc32(body) | 0
}

type ChunkIndexes = ParquetWriter['pendingIndexes'][number]

/** Old page offset -> new offset and size, for the offset index. */
type Moves = Map<bigint, { readonly offset: bigint; readonly size: number }>

function copyChunk(source: Uint8Array, start: number, end: number, out: ByteWriter, moves: Moves): number {
  const reader = { view: new DataView(source.buffer, source.byteOffset, source.byteLength), offset: start }
  let grown = 0
  while (reader.offset < end) {
    const headerStart = reader.offset
    const header: PageHeader = parquetHeader(reader)
    const body = source.subarray(reader.offset, reader.offset + header.compressed_page_size)
    const pageStart = out.offset
    writePageHeader(out, { ...header, crc: pageCrc(body) })
    grown += out.offset - pageStart - (reader.offset - headerStart)
    out.appendBytes(body)
    moves.set(BigInt(headerStart), { offset: BigInt(pageStart), size: out.offset - pageStart })
    reader.offset += header.compressed_page_size
  }
  if (reader.offset !== end) throw new ParquetError(`internal: pages of a column chunk end at ${reader.offset}, expected ${end}`)
  return grown
}

function moveChunk(entry: ChunkIndexes, newStart: number, out: ByteWriter, grown: number, moves: Moves): void {
  const meta = entry.chunk.meta_data
  if (meta === undefined) return
  const moved = (offset: bigint): bigint => moves.get(offset)?.offset ?? offset
  meta.data_page_offset = moved(meta.data_page_offset)
  if (meta.dictionary_page_offset !== undefined) meta.dictionary_page_offset = moved(meta.dictionary_page_offset)
  meta.total_compressed_size = BigInt(out.offset - newStart)
  meta.total_uncompressed_size += BigInt(grown)
  entry.chunk.file_offset = BigInt(newStart)
  for (const location of entry.offsetIndex?.page_locations ?? []) {
    const page = moves.get(location.offset)
    if (page !== undefined) Object.assign(location, { offset: page.offset, compressed_page_size: page.size })
  }
}

/**
 * Rewrites every page of the column chunks `writer` has written with its CRC, and points the row
 * groups, column chunks and offset indexes at the new offsets. Call after `write`, before `finish`.
 */
export function addPageCrcs(writer: ParquetWriter): void {
  const source = writer.writer.getBytes()
  const chunks = writer.pendingIndexes.length
  const out = new ByteWriter(source.byteLength + (chunks + (source.byteLength >> 16)) * CRC_HEADER_BYTES + 1024)
  out.appendBytes(source.subarray(0, MAGIC_BYTES))
  let chunkIndex = 0
  for (const group of writer.row_groups) {
    const groupStart = out.offset
    let grown = 0n
    for (let c = 0; c < group.columns.length; c++) {
      const entry = writer.pendingIndexes[chunkIndex++] as ChunkIndexes
      const meta = entry.chunk.meta_data
      if (meta === undefined) continue
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset)
      const end = start + Number(meta.total_compressed_size)
      const newStart = out.offset
      const moves: Moves = new Map()
      const chunkGrown = copyChunk(source, start, end, out, moves)
      moveChunk(entry, newStart, out, chunkGrown, moves)
      grown += BigInt(chunkGrown)
    }
    group.total_compressed_size = BigInt(out.offset - groupStart)
    group.total_byte_size += grown
  }
  writer.writer = out
}

/**
 * Checks a page body against its header's CRC, when the writer stored one.
 * @throws CorruptDataError naming the column and the page's offset in the file.
 */
export function checkPageCrc(header: PageHeader, body: Uint8Array, column: string, offset: number): void {
  if (header.crc === undefined) return
  const actual = pageCrc(body)
  if (actual === header.crc) return
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0')
  throw new CorruptDataError(
    `corrupt Parquet ${header.type} page of column '${column}' at byte ${offset}: expected CRC-32 ${hex(header.crc)}, found ${hex(actual)}`,
    { context: { column, offset } },
  )
}
