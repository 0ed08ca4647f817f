// Reads leaf column chunks of one row group as flat Dremel data: definition levels, repetition levels
// and the defined values, already decoded to Delta values. Uses hyparquet's page decoders but not its
// list assembly, so nested columns cost no per-value arrays; dictionaries are decoded once per chunk.

import type { ColumnMetaData, DecodedArray, PageHeader, RowGroup, SchemaTree } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js'
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js'
import { readPlain } from 'hyparquet/src/plain.js'
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getTreePath } from 'hyparquet/src/schema.js'
import { readDecompressors } from './compressors.js'
import { CorruptDataError, ParquetError, toParquetError } from './errors.js'
import type { LeafDecoder } from './leaf-decoders.js'
import { checkPageCrc } from './page-crc/page-crc.js'
import { checkDecodedPage, checkDictionaryIndexes, checkV2Header, plainWidth } from './check-page.js'
import type { DecodedPage, PageSite } from './check-page.js'
import { pathKey } from './parquet-tree.js'
import type { AsyncBuffer, Value } from './types.js'

/** One leaf column to read: its path and, unless it only tells presence, how to decode its values. */
export interface LeafRequest {
  readonly path: readonly string[]
  readonly decode: LeafDecoder | undefined
  /** Decoded values may be shared between rows (immutable), so a dictionary is decoded once. */
  readonly shareable: boolean
}

/** The Dremel data of one leaf column chunk. */
export interface LeafLevels {
  /** Definition level per entry; undefined when every entry is at `maxDef`. */
  readonly def: ArrayLike<number> | undefined
  /** Repetition level per entry; undefined when the column is not repeated. */
  readonly rep: ArrayLike<number> | undefined
  /** The values of the entries at `maxDef`, in order. */
  readonly values: ArrayLike<Value>
  readonly length: number
  readonly maxDef: number
  readonly maxRep: number
}

type ColumnDecoder = Parameters<typeof readDataPage>[2]

const PARSERS: ColumnDecoder['parsers'] = { ...DEFAULT_PARSERS, timestampFromNanoseconds: (nanos: bigint): bigint => nanos }
const MAX_FETCH_GAP = 256 << 10 // 256 KiB: nearer column chunks are fetched in one range read

/** Byte ranges of the chunks, merged when close, as `[start, end)` pairs. */
function fetchRuns(metas: readonly ColumnMetaData[]): [number, number][] {
  const ranges = metas
    .map(m => {
      const start = Number(m.dictionary_page_offset || m.data_page_offset)
      return [start, start + Number(m.total_compressed_size)] as [number, number]
    })
    .sort((a, b) => a[0] - b[0])
  const runs: [number, number][] = []
  for (const range of ranges) {
    const last = runs.at(-1)
    if (last && range[0] <= last[1] + MAX_FETCH_GAP) last[1] = Math.max(last[1], range[1])
    else runs.push([...range])
  }
  return runs
}

/** Levels of all pages; a number stands for a page of that many entries all at `fill`. */
function concatLevels(parts: readonly (ArrayLike<number> | number)[], total: number, fill: number): ArrayLike<number> {
  if (parts.length === 1 && typeof parts[0] !== 'number') return parts[0] as ArrayLike<number>
  const out = new Array<number>(total)
  let at = 0
  for (const part of parts) {
    if (typeof part === 'number') for (let i = 0; i < part; i++) out[at++] = fill
    else for (let i = 0; i < part.length; i++) out[at++] = part[i] as number
  }
  return out
}

function concat<T>(parts: readonly ArrayLike<T>[], total: number): ArrayLike<T> {
  if (parts.length === 1) return parts[0] as ArrayLike<T>
  const out = new Array<T>(total)
  let at = 0
  for (const part of parts) for (let i = 0; i < part.length; i++) out[at++] = part[i] as T
  return out
}

/** Decodes raw values, or looks dictionary indexes up in the once-decoded dictionary. */
function decodeValues(raw: ArrayLike<unknown>, request: LeafRequest, dictionary: ArrayLike<Value> | undefined): Value[] {
  const decode = request.decode
  if (dictionary === undefined && decode?.many !== undefined) return decode.many(raw)
  const out = new Array<Value>(raw.length)
  if (dictionary !== undefined) {
    for (let i = 0; i < raw.length; i++) out[i] = dictionary[raw[i] as number] as Value
  } else if (decode !== undefined) {
    for (let i = 0; i < raw.length; i++) out[i] = decode(raw[i])
  }
  return out
}

/** A column chunk's dictionary: raw (physical) entries, and decoded ones when rows may share them. */
interface Dictionary {
  readonly raw: ArrayLike<unknown>
  readonly decoded: ArrayLike<Value> | undefined
}

function readDictionary(compressed: Uint8Array, header: PageHeader, decoder: ColumnDecoder, request: LeafRequest): Dictionary {
  const page = decompressPage(compressed, header.uncompressed_page_size, decoder.codec, decoder.compressors)
  const count = header.dictionary_page_header?.num_values ?? 0
  const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }
  const raw = convert(readPlain(reader, decoder.type, count, decoder.element.type_length), decoder)
  return { raw, decoded: request.shareable && request.decode !== undefined ? decodeValues(raw, request, undefined) : undefined }
}

/** The decoded defined values of one data page. */
function pageValues(data: DecodedArray, isIndexed: boolean, dictionary: Dictionary | undefined, decoder: ColumnDecoder, request: LeafRequest, site: PageSite): Value[] {
  if (request.decode === undefined) return new Array<Value>(data.length)
  if (!isIndexed) return decodeValues(convert(data, decoder), request, undefined)
  if (dictionary === undefined) throw new CorruptDataError(`corrupt Parquet column chunk '${site.column}': dictionary page missing`, { context: { ...site } })
  const indexes = data as ArrayLike<number>
  checkDictionaryIndexes(indexes, dictionary.raw.length, site)
  if (dictionary.decoded !== undefined) return decodeValues(indexes, request, dictionary.decoded)
  return decodeValues(Array.from(indexes, i => dictionary.raw[i]), request, undefined)
}

type ByteReader = { view: DataView; offset: number }

interface Page {
  readonly header: PageHeader
  readonly compressed: Uint8Array
  readonly site: PageSite
}

/** The next page's header and its stored bytes, checked against its CRC; `chunkStart` is the chunk's file offset. */
function nextPage(reader: ByteReader, decoder: ColumnDecoder, chunkStart: number): Page {
  const bytes = reader.view
  const site = { column: decoder.pathInSchema.join('.'), offset: chunkStart + reader.offset }
  const header = parquetHeader(reader)
  const size = header.compressed_page_size
  const left = bytes.byteLength - reader.offset
  if (!(Number.isInteger(size) && size >= 0 && size <= left)) {
    throw new CorruptDataError(
      `corrupt Parquet page header of column '${site.column}' at byte ${site.offset}: expected a page size of at most ${left} bytes (the rest of the column chunk), found ${size}`,
      { context: { ...site } },
    )
  }
  const compressed = new Uint8Array(bytes.buffer, bytes.byteOffset + reader.offset, size)
  checkPageCrc(header, compressed, site.column, site.offset)
  reader.offset += size
  return { header, compressed, site }
}

/** Decodes one data page (v1 or v2) and checks it against the counts its header states. */
function readPage({ header, compressed, site }: Page, decoder: ColumnDecoder, maxDef: number, maxRep: number, remaining: number): DecodedPage {
  const v1 = header.data_page_header
  const v2 = header.data_page_header_v2
  const entries = (v1 ?? v2)?.num_values
  if (!(Number.isInteger(entries) && (entries as number) >= 0 && (entries as number) <= remaining)) {
    throw new CorruptDataError(
      `corrupt Parquet data page of column '${site.column}' at byte ${site.offset}: expected at most ${remaining} values (the rest of the column chunk), found ${String(entries)}`,
      { context: { ...site } },
    )
  }
  let page: DecodedPage
  if (header.type === 'DATA_PAGE' && v1) {
    page = readDataPage(decompressPage(compressed, header.uncompressed_page_size, decoder.codec, decoder.compressors), v1, decoder)
  } else if (header.type === 'DATA_PAGE_V2' && v2) {
    checkV2Header(header, compressed, { maxDef, maxRep, width: plainWidth(decoder.type, decoder.element.type_length) }, site)
    page = readDataPageV2(compressed, header, decoder)
  } else {
    throw new CorruptDataError(`corrupt Parquet column chunk '${site.column}': unexpected ${header.type} page at byte ${site.offset}`, { context: { ...site } })
  }
  checkDecodedPage(header, page, maxDef, maxRep, site)
  return page
}

function readChunk(bytes: DataView, decoder: ColumnDecoder, request: LeafRequest, numValues: number, chunkStart: number): LeafLevels {
  const reader: ByteReader = { view: bytes, offset: 0 }
  const defs: (ArrayLike<number> | number)[] = []
  const reps: ArrayLike<number>[] = []
  const values: ArrayLike<Value>[] = []
  let dictionary: Dictionary | undefined
  let length = 0
  let valueCount = 0
  let hasDef = false
  const maxDef = getMaxDefinitionLevel(decoder.schemaPath)
  const maxRep = getMaxRepetitionLevel(decoder.schemaPath)
  while (length < numValues && reader.offset < bytes.byteLength) {
    const next = nextPage(reader, decoder, chunkStart)
    const { header } = next
    if (header.type === 'DICTIONARY_PAGE') {
      dictionary = readDictionary(next.compressed, header, decoder, request)
      continue
    }
    const page = readPage(next, decoder, maxDef, maxRep, numValues - length)
    const v1 = header.data_page_header
    const v2 = header.data_page_header_v2
    const entries = (v1 ?? v2)?.num_values ?? 0
    const defLevels = page.definitionLevels ?? []
    values.push(pageValues(page.dataPage, ((v1 ?? v2)?.encoding ?? 'PLAIN').endsWith('_DICTIONARY'), dictionary, decoder, request, next.site))
    valueCount += page.dataPage.length
    hasDef ||= defLevels.length > 0
    defs.push(defLevels.length > 0 ? defLevels : entries)
    reps.push(page.repetitionLevels)
    length += entries
  }
  const def = maxDef > 0 && hasDef ? concatLevels(defs, length, maxDef) : undefined
  return { def, rep: maxRep > 0 ? concat(reps, length) : undefined, values: concat(values, valueCount), length, maxDef, maxRep }
}

/** The raw bytes of a row group's requested column chunks (see {@link fetchColumnChunks}). */
export interface FetchedChunks {
  readonly metas: readonly ColumnMetaData[]
  readonly buffers: readonly { readonly start: number; readonly end: number; readonly bytes: ArrayBuffer }[]
}

/**
 * Fetches the requested leaf column chunks of a row group, close chunks in one range read. I/O only.
 * @throws ParquetError when a requested column has no chunk in the row group.
 */
export async function fetchColumnChunks(file: AsyncBuffer, group: RowGroup, requests: readonly LeafRequest[]): Promise<FetchedChunks> {
  const chunks = new Map(group.columns.map(c => [pathKey(c.meta_data?.path_in_schema ?? []), c.meta_data]))
  const metas = requests.map(r => {
    const meta = chunks.get(pathKey(r.path))
    if (meta === undefined) throw new ParquetError(`corrupt Parquet row group: expected a column chunk for '${r.path.join('.')}', found none`)
    return meta
  })
  const buffers: FetchedChunks['buffers'][number][] = []
  for (const [start, end] of fetchRuns(metas)) buffers.push({ start, end, bytes: await file.slice(start, end) })
  return { metas, buffers }
}

/**
 * Decodes fetched column chunks, one per request, against the schema tree of the footer with annotations
 * stripped (raw physical values go to each request's decoder). CPU only.
 * @throws CorruptDataError on a page that fails its CRC or overruns its chunk; ParquetError (or hyparquet's
 * Error) on a page that does not decode.
 */
export function decodeColumnChunks(schema: SchemaTree, fetched: FetchedChunks, requests: readonly LeafRequest[]): LeafLevels[] {
  const { metas, buffers } = fetched
  return requests.map((request, i) => {
    const meta = metas[i] as ColumnMetaData
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset)
    const run = buffers.find(b => b.start <= start && start < b.end) as (typeof buffers)[number]
    const view = new DataView(run.bytes, start - run.start, Number(meta.total_compressed_size))
    const schemaPath: SchemaTree[] = getTreePath(schema, [...request.path])
    const decoder: ColumnDecoder = {
      pathInSchema: [...request.path],
      type: meta.type,
      element: (schemaPath.at(-1) as SchemaTree).element,
      schemaPath,
      codec: meta.codec,
      parsers: PARSERS,
      compressors: readDecompressors,
      utf8: false,
    }
    try {
      return readChunk(view, decoder, request, Number(meta.num_values), start)
    } catch (err) {
      throw toParquetError(err, `cannot decode Parquet column '${request.path.join('.')}'`, { column: request.path.join('.') })
    }
  })
}
