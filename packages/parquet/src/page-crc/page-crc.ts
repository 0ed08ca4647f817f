// Parquet page CRCs. The spec's PageHeader.crc is the CRC-32 (zlib/gzip polynomial) of the page bytes
// exactly as stored after the header: compressed values for dictionary and v1 pages, levels plus
// (compressed) values for data page v2, i.e. the `compressed_page_size` bytes that follow the header.
// Writers that leave it out get it from `addPageCrcs` (add-page-crcs.ts); readers check it here.

import { crc32 } from 'node:zlib'
import type { ColumnMetaData, FileMetaData, PageHeader } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { CorruptDataError } from '../errors.js'

/** The signed 32-bit value the Thrift `i32` field holds for the CRC-32 of `body`. */
export function pageCrc(body: Uint8Array): number {
  return crc32(body) | 0
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

function corruptHeader(column: string, offset: number, what: string, cause?: unknown): CorruptDataError {
  return new CorruptDataError(`corrupt Parquet page header of column '${column}' at byte ${offset}: ${what}`, { context: { column, offset }, cause })
}

function checkChunkCrcs(view: DataView, meta: ColumnMetaData): void {
  const column = meta.path_in_schema.join('.')
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset)
  const end = start + Number(meta.total_compressed_size)
  const reader = { view, offset: start }
  while (reader.offset < end) {
    const offset = reader.offset
    let header: PageHeader
    try {
      header = parquetHeader(reader)
    } catch (err) {
      throw corruptHeader(column, offset, `expected a page header, found bytes that do not parse (${err instanceof Error ? err.message : String(err)})`, err)
    }
    const size = header.compressed_page_size
    if (!(size >= 0 && reader.offset + size <= end)) throw corruptHeader(column, offset, `expected a page size of at most ${end - reader.offset} bytes (the rest of the column chunk), found ${size}`)
    checkPageCrc(header, new Uint8Array(view.buffer, view.byteOffset + reader.offset, size), column, offset)
    reader.offset += size
  }
}

/**
 * Checks the CRC of every page of every column chunk of a whole file in memory (pages without one
 * pass), for readers that decode the file elsewhere (parquet-wasm does not check CRCs).
 * @throws CorruptDataError naming the column and the page's offset: a CRC mismatch, or a page header
 * that does not parse or overruns its column chunk.
 */
export function checkPageCrcs(file: Uint8Array, metadata: FileMetaData): void {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  for (const group of metadata.row_groups) {
    for (const { meta_data: meta } of group.columns) if (meta !== undefined) checkChunkCrcs(view, meta)
  }
}
