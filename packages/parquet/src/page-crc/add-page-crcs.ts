// Adds the CRC-32 to every page header of a finished Parquet file, whichever writer wrote it
// (hyparquet-writer and parquet-wasm leave the field out). The file is rebuilt in order: each column
// chunk's pages get a header with `crc` (a few bytes longer), offset indexes are re-encoded with the
// moved page offsets and sizes, every other byte (column indexes, bloom filters, gaps) is kept as it
// is, and the footer is written back with every offset and size it holds moved. Footer fields this code
// does not know are kept (see thrift-tree.ts). The output is collected as pieces (views of the input,
// new headers) and copied once into a buffer of its exact size: copying into fresh memory is most of
// the cost (bench/page-crc.bench.mjs).

import { ByteWriter } from 'hyparquet-writer'
import { ParquetError } from '../errors.js'
import { pageCrc } from './page-crc.js'
import { THRIFT, ThriftReader, ThriftStruct, writeStruct } from './thrift-tree.js'

const MAGIC = 0x31524150 // 'PAR1' as a little-endian uint32
const TAIL_BYTES = 8 // footer length (4) + 'PAR1'
const STRUCT_BYTES = 64 << 10 // 64 KiB: first buffer for the new page headers, offset indexes and footer

/** Field ids of parquet.thrift used here. */
const FILE = { ROW_GROUPS: 4, ENCRYPTION_ALGORITHM: 8 }
const GROUP = { COLUMNS: 1, TOTAL_BYTE_SIZE: 2, FILE_OFFSET: 5, TOTAL_COMPRESSED_SIZE: 6 }
const CHUNK = { FILE_PATH: 1, FILE_OFFSET: 2, META_DATA: 3, OFFSET_INDEX_OFFSET: 4, OFFSET_INDEX_LENGTH: 5, COLUMN_INDEX_OFFSET: 6, CRYPTO_METADATA: 8 }
const META = { TOTAL_UNCOMPRESSED_SIZE: 6, TOTAL_COMPRESSED_SIZE: 7, DATA_PAGE_OFFSET: 9, INDEX_PAGE_OFFSET: 10, DICTIONARY_PAGE_OFFSET: 11, BLOOM_FILTER_OFFSET: 14 }
const PAGE = { COMPRESSED_PAGE_SIZE: 3, CRC: 4 }
const LOCATION = { OFFSET: 1, COMPRESSED_PAGE_SIZE: 2 }

function fail(what: string): never {
  throw new ParquetError(`cannot add page CRCs: ${what}`)
}

/** One column chunk of the footer. */
interface Chunk {
  readonly group: ThriftStruct
  readonly chunk: ThriftStruct
  readonly meta: ThriftStruct
}

/** A part of the file that is rewritten, not copied: a chunk's pages or its offset index. */
interface Region {
  readonly kind: 'pages' | 'offset-index'
  readonly start: number
  readonly end: number
  readonly chunk: Chunk
}

function readFooter(file: Uint8Array): { metadata: ThriftStruct; start: number } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  if (file.length < 12 || view.getUint32(0, true) !== MAGIC || view.getUint32(file.length - 4, true) !== MAGIC) {
    fail(`expected a Parquet file (PAR1 at both ends), found ${file.length} bytes without`)
  }
  const start = file.length - TAIL_BYTES - view.getUint32(file.length - TAIL_BYTES, true)
  if (start < 4) fail(`footer length ${file.length - TAIL_BYTES - start} exceeds the file`)
  return { metadata: new ThriftReader(file.subarray(0, file.length - TAIL_BYTES), start).struct(), start }
}

function chunksOf(metadata: ThriftStruct): Chunk[] {
  if (metadata.get(FILE.ENCRYPTION_ALGORITHM) !== undefined) fail('expected a plaintext footer, found an encrypted file')
  return metadata.structs(FILE.ROW_GROUPS).flatMap(group =>
    group.structs(GROUP.COLUMNS).map(chunk => {
      const meta = chunk.struct(CHUNK.META_DATA)
      if (meta === undefined || chunk.get(CHUNK.CRYPTO_METADATA) !== undefined) fail('expected column chunk metadata in the footer, found an encrypted column')
      if (chunk.get(CHUNK.FILE_PATH) !== undefined) fail('expected column chunks in this file, found one in another file (file_path)')
      return { group, chunk, meta }
    }),
  )
}

function regionsOf(chunks: readonly Chunk[], footerStart: number): Region[] {
  const regions: Region[] = []
  for (const chunk of chunks) {
    const dictionary = chunk.meta.int(META.DICTIONARY_PAGE_OFFSET)
    const start = dictionary !== undefined && dictionary > 0 ? dictionary : (chunk.meta.int(META.DATA_PAGE_OFFSET) ?? 0)
    regions.push({ kind: 'pages', start, end: start + (chunk.meta.int(META.TOTAL_COMPRESSED_SIZE) ?? 0), chunk })
    const index = chunk.chunk.int(CHUNK.OFFSET_INDEX_OFFSET)
    if (index !== undefined) regions.push({ kind: 'offset-index', start: index, end: index + (chunk.chunk.int(CHUNK.OFFSET_INDEX_LENGTH) ?? 0), chunk })
  }
  regions.sort((a, b) => a.start - b.start)
  let end = 4
  for (const region of regions) {
    if (region.start < end || region.end < region.start) fail(`expected column chunks and offset indexes apart, found ${region.kind} at bytes ${region.start}-${region.end} overlapping byte ${end}`)
    end = region.end
  }
  if (end > footerStart) fail(`expected the column chunks before the footer at byte ${footerStart}, found one ending at ${end}`)
  return regions
}

/** The output as the pieces it is made of, joined once at the end. */
class Pieces {
  readonly #pieces: Uint8Array[] = []
  /** Serialised structs, appended only: a piece stays valid when the writer moves to a larger buffer. */
  readonly #structs = new ByteWriter(STRUCT_BYTES)
  offset = 0

  append(bytes: Uint8Array): void {
    this.#pieces.push(bytes)
    this.offset += bytes.length
  }

  appendStruct(struct: ThriftStruct): void {
    const writer = this.#structs
    const start = writer.index
    writeStruct(writer, struct)
    this.append(new Uint8Array(writer.buffer, start, writer.index - start))
  }

  join(): Uint8Array {
    const out = new Uint8Array(this.offset)
    let at = 0
    for (const piece of this.#pieces) {
      out.set(piece, at)
      at += piece.length
    }
    return out
  }
}

/** The output and where every old offset went. */
class Rewrite {
  readonly out = new Pieces()
  readonly #source: Uint8Array
  /** Old offset -> new offset at page and region boundaries. */
  readonly #anchors = new Map<number, number>()
  /** Bytes copied as they are, in file order: [old start, old end, new start]. */
  readonly #copies: [number, number, number][] = []
  /** Old page offset -> its new size, header included (for the offset index). */
  readonly pageSizes = new Map<number, number>()

  constructor(source: Uint8Array) {
    this.#source = source
  }

  anchor(old: number): void {
    this.#anchors.set(old, this.out.offset)
  }

  copy(start: number, end: number): void {
    if (end <= start) return
    this.#copies.push([start, end, this.out.offset])
    this.out.append(this.#source.subarray(start, end))
  }

  /** The new offset of a byte that had offset `old`: a page or region start, or a copied byte. */
  at(old: number): number {
    const anchored = this.#anchors.get(old)
    if (anchored !== undefined) return anchored
    let low = 0
    let high = this.#copies.length - 1
    while (low <= high) {
      const mid = (low + high) >> 1
      const [start, end, to] = this.#copies[mid] as [number, number, number]
      if (old < start) high = mid - 1
      else if (old >= end) low = mid + 1
      else return to + old - start
    }
    return fail(`expected offset ${old} to point at a page or a copied byte, found neither`)
  }
}

/** Copies a chunk's pages with CRCs; returns how many bytes the chunk grew by. */
function copyPages(file: Uint8Array, region: Region, rewrite: Rewrite): number {
  const { out } = rewrite
  const reader = new ThriftReader(file.subarray(0, region.end), region.start)
  const newStart = out.offset
  while (reader.offset < region.end) {
    const headerStart = reader.offset
    const header = reader.struct()
    const size = header.int(PAGE.COMPRESSED_PAGE_SIZE) ?? -1
    if (size < 0 || reader.offset + size > region.end) fail(`page at byte ${headerStart}: expected compressed_page_size within the column chunk (ending at ${region.end}), found ${size}`)
    const body = file.subarray(reader.offset, reader.offset + size)
    header.setInt(PAGE.CRC, pageCrc(body), THRIFT.I32)
    rewrite.anchor(headerStart)
    const pageStart = out.offset
    out.appendStruct(header)
    out.append(body)
    rewrite.pageSizes.set(headerStart, out.offset - pageStart)
    reader.offset += size
  }
  rewrite.anchor(region.end)
  const size = out.offset - newStart
  return size - (region.end - region.start)
}

/** Re-encodes a chunk's offset index with its pages' new offsets and sizes. */
function copyOffsetIndex(file: Uint8Array, region: Region, rewrite: Rewrite): void {
  const index = new ThriftReader(file.subarray(0, region.end), region.start).struct()
  for (const location of index.structs(1)) {
    const offset = location.int(LOCATION.OFFSET) ?? -1
    const size = rewrite.pageSizes.get(offset)
    if (size === undefined) fail(`offset index at byte ${region.start}: expected page offsets of its column chunk, found ${offset}`)
    location.setInt(LOCATION.OFFSET, rewrite.at(offset))
    location.setInt(LOCATION.COMPRESSED_PAGE_SIZE, size, THRIFT.I32)
  }
  rewrite.anchor(region.start)
  const start = rewrite.out.offset
  rewrite.out.appendStruct(index)
  region.chunk.chunk.setInt(CHUNK.OFFSET_INDEX_OFFSET, start)
  region.chunk.chunk.setInt(CHUNK.OFFSET_INDEX_LENGTH, rewrite.out.offset - start, THRIFT.I32)
}

function move(struct: ThriftStruct, id: number, rewrite: Rewrite): void {
  const old = struct.int(id)
  if (old !== undefined && old > 0) struct.setInt(id, rewrite.at(old))
}

function grow(struct: ThriftStruct, id: number, by: number): void {
  const old = struct.int(id)
  if (old !== undefined) struct.setInt(id, old + by)
}

/** Points the footer at the new offsets once every byte has been placed. */
function moveFooter(chunks: readonly Chunk[], growth: ReadonlyMap<ThriftStruct, number>, rewrite: Rewrite): void {
  for (const { chunk, meta } of chunks) {
    for (const id of [META.DATA_PAGE_OFFSET, META.INDEX_PAGE_OFFSET, META.DICTIONARY_PAGE_OFFSET, META.BLOOM_FILTER_OFFSET]) move(meta, id, rewrite)
    move(chunk, CHUNK.COLUMN_INDEX_OFFSET, rewrite)
    move(chunk, CHUNK.FILE_OFFSET, rewrite)
  }
  for (const [group, grown] of growth) {
    move(group, GROUP.FILE_OFFSET, rewrite)
    grow(group, GROUP.TOTAL_BYTE_SIZE, grown)
    grow(group, GROUP.TOTAL_COMPRESSED_SIZE, grown)
  }
}

/**
 * The file with `crc` in every page header: the CRC-32 of the page's stored bytes (see page-crc.ts).
 * Values, encodings and metadata are unchanged; offsets and sizes in the footer and offset indexes move.
 * @throws ParquetError when the file is not a plaintext Parquet file with its column chunks inside it.
 */
export function addPageCrcs(file: Uint8Array): Uint8Array {
  const footer = readFooter(file)
  const chunks = chunksOf(footer.metadata)
  const rewrite = new Rewrite(file)
  const growth = new Map<ThriftStruct, number>()
  rewrite.copy(0, 4)
  let at = 4
  for (const region of regionsOf(chunks, footer.start)) {
    rewrite.copy(at, region.start)
    if (region.kind === 'offset-index') copyOffsetIndex(file, region, rewrite)
    else {
      const { group, meta } = region.chunk
      const grown = copyPages(file, region, rewrite)
      meta.setInt(META.TOTAL_COMPRESSED_SIZE, region.end - region.start + grown)
      grow(meta, META.TOTAL_UNCOMPRESSED_SIZE, grown)
      growth.set(group, (growth.get(group) ?? 0) + grown)
    }
    at = region.end
  }
  rewrite.copy(at, footer.start)
  moveFooter(chunks, growth, rewrite)
  const { out } = rewrite
  const footerStart = out.offset
  out.appendStruct(footer.metadata)
  const tail = new DataView(new ArrayBuffer(TAIL_BYTES))
  tail.setUint32(0, out.offset - footerStart, true)
  tail.setUint32(4, MAGIC, true)
  out.append(new Uint8Array(tail.buffer))
  return out.join()
}
