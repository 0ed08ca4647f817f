// Test helpers for page-level checks: every page of a Parquet file walked from its footer with
// hyparquet's own parsers (independent of lake's), and a one-bit flip.

import { crc32 } from 'node:zlib'
import type { PageHeader } from 'hyparquet'
import { parquetMetadata } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'

export interface StoredPage {
  /** The column chunk's index in the footer, row group by row group. */
  readonly chunk: number
  readonly column: string
  readonly header: PageHeader
  readonly headerStart: number
  readonly bodyStart: number
}

/** Every page of every column chunk, walked from the footer with hyparquet's own parsers. */
export function pagesOf(bytes: Uint8Array): StoredPage[] {
  const buffer = bytes.slice().buffer
  const pages: StoredPage[] = []
  let index = 0
  for (const group of parquetMetadata(buffer).row_groups) {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data
      if (meta === undefined) throw new Error('no meta_data')
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset)
      const reader = { view: new DataView(buffer), offset: start }
      const chunkIndex = index++
      while (reader.offset < start + Number(meta.total_compressed_size)) {
        const headerStart = reader.offset
        const header = parquetHeader(reader)
        pages.push({ chunk: chunkIndex, column: meta.path_in_schema.join('.'), header, headerStart, bodyStart: reader.offset })
        reader.offset += header.compressed_page_size
      }
    }
  }
  return pages
}

/** The stored bytes of a page (what its CRC covers). */
export function bodyOf(bytes: Uint8Array, page: StoredPage): Uint8Array {
  return bytes.subarray(page.bodyStart, page.bodyStart + page.header.compressed_page_size)
}

/** zlib's CRC-32 as the signed i32 a Thrift page header stores. */
export function crcOf(body: Uint8Array): number {
  return crc32(body) | 0
}

/** A copy of `bytes` with one bit flipped. */
export function flip(bytes: Uint8Array, byte: number, bit: number): Uint8Array {
  const copy = bytes.slice()
  copy[byte] = (copy[byte] as number) ^ (1 << bit)
  return copy
}
