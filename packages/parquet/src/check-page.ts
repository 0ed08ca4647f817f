// Structural checks of a decoded data page against its header: the parts of a page a CRC does not
// cover (the header itself) or that a writer without CRCs left unprotected. A damaged header that
// still parses must not shift, drop or invent values, so the counts the header states are checked
// against the levels and values actually decoded.

import type { DecodedArray, PageHeader } from 'hyparquet'
import { CorruptDataError } from './errors.js'

/** What the page decoders returned for one data page. */
export interface DecodedPage {
  readonly definitionLevels: ArrayLike<number> | undefined
  readonly repetitionLevels: ArrayLike<number>
  readonly dataPage: DecodedArray
}

/** Where a page is, for messages and `context`. */
export interface PageSite {
  readonly column: string
  /** Byte offset of the page header in the file. */
  readonly offset: number
}

function corrupt(site: PageSite, what: string): CorruptDataError {
  return new CorruptDataError(`corrupt Parquet data page of column '${site.column}' at byte ${site.offset}: ${what}`, {
    context: { column: site.column, offset: site.offset },
  })
}

const PLAIN_WIDTH: Readonly<Partial<Record<string, number>>> = { INT32: 4, INT64: 8, INT96: 12, FLOAT: 4, DOUBLE: 8 }

/**
 * Checks a v2 header before decoding: a column without definition (repetition) levels has none stored,
 * the levels fit in the page, and PLAIN fixed-width values fill exactly the bytes the header leaves them.
 * @throws CorruptDataError when they do not.
 */
export function checkV2Header(header: PageHeader, body: Uint8Array, column: { readonly maxDef: number; readonly maxRep: number; readonly width: number | undefined }, site: PageSite): void {
  const v2 = header.data_page_header_v2
  if (v2 === undefined) return
  const def = v2.definition_levels_byte_length
  const rep = v2.repetition_levels_byte_length
  if (column.maxDef === 0 && def !== 0) throw corrupt(site, `expected no definition levels (required column), found ${def} bytes`)
  if (column.maxRep === 0 && rep !== 0) throw corrupt(site, `expected no repetition levels (unrepeated column), found ${rep} bytes`)
  if (!(def >= 0 && rep >= 0 && def + rep <= header.compressed_page_size)) {
    throw corrupt(site, `expected levels within the page's ${header.compressed_page_size} bytes, found ${rep} + ${def} bytes`)
  }
  const levels = new Uint8Array(body.buffer, body.byteOffset, rep + def)
  checkLevelRuns(levels.subarray(0, rep), column.maxRep, v2.num_values, site, 'repetition')
  checkLevelRuns(levels.subarray(rep), column.maxDef, v2.num_values, site, 'definition')
  if (v2.encoding !== 'PLAIN' || column.width === undefined) return
  const expected = (v2.num_values - v2.num_nulls) * column.width
  const stored = header.uncompressed_page_size - def - rep
  if (stored !== expected) throw corrupt(site, `expected ${expected} bytes of PLAIN values (${v2.num_values - v2.num_nulls} x ${column.width}), found ${stored}`)
}

/** Bytes per PLAIN value of a fixed-width physical type; undefined for BYTE_ARRAY and BOOLEAN. */
export function plainWidth(type: string, typeLength: number | undefined): number | undefined {
  return type === 'FIXED_LEN_BYTE_ARRAY' ? typeLength : PLAIN_WIDTH[type]
}

function readVarInt(bytes: Uint8Array, at: { offset: number }): number {
  let value = 0
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = bytes[at.offset++]
    if (byte === undefined) return -1
    value += (byte & 0x7f) * 2 ** shift
    if ((byte & 0x80) === 0) return value
  }
  return -1
}

/**
 * Walks the run headers of an RLE/bit-packed hybrid level stream (without decoding values) and checks
 * that its runs hold exactly `count` levels within its bytes, as a decoder would otherwise write past
 * the page's level array (a damaged run length can ask for billions).
 */
function checkLevelRuns(bytes: Uint8Array, maxLevel: number, count: number, site: PageSite, kind: string): void {
  if (maxLevel === 0) return
  const width = 32 - Math.clz32(maxLevel)
  const at = { offset: 0 }
  let seen = 0
  while (seen < count) {
    const header = readVarInt(bytes, at)
    const bitPacked = header % 2 === 1
    const run = bitPacked ? Math.floor(header / 2) * 8 : Math.floor(header / 2)
    at.offset += bitPacked ? (run / 8) * width : (width + 7) >> 3
    if (header < 0 || at.offset > bytes.length || (!bitPacked && seen + run > count)) {
      throw corrupt(site, `expected ${count} ${kind} levels in ${bytes.length} bytes, found a damaged run after ${seen}`)
    }
    seen += run
  }
}

function countEqual(levels: ArrayLike<number>, level: number): number {
  let n = 0
  for (let i = 0; i < levels.length; i++) if (levels[i] === level) n++
  return n
}

/**
 * Checks a decoded page against the counts in its header: one definition (repetition) level per entry
 * when the column has them, one value per entry at the maximum definition level, and for v2 pages the
 * stated null and row counts.
 * @throws CorruptDataError on any difference.
 */
export function checkDecodedPage(header: PageHeader, page: DecodedPage, maxDef: number, maxRep: number, site: PageSite): void {
  const v2 = header.data_page_header_v2
  const entries = (header.data_page_header ?? v2)?.num_values ?? 0
  const defs = page.definitionLevels ?? []
  // hyparquet drops the definition levels of a v1 page without nulls: then every entry is defined
  const hasDefs = maxDef > 0 && !(v2 === undefined && defs.length === 0)
  if (hasDefs && defs.length !== entries) throw corrupt(site, `expected ${entries} definition levels (num_values), found ${defs.length}`)
  if (maxRep > 0 && page.repetitionLevels.length !== entries) {
    throw corrupt(site, `expected ${entries} repetition levels (num_values), found ${page.repetitionLevels.length}`)
  }
  const defined = hasDefs ? countEqual(defs, maxDef) : entries
  if (page.dataPage.length !== defined) throw corrupt(site, `expected ${defined} non-null values, found ${page.dataPage.length}`)
  if (v2 === undefined) return
  if (v2.num_nulls !== entries - defined) throw corrupt(site, `expected num_nulls ${entries - defined}, found ${v2.num_nulls}`)
  const rows = maxRep > 0 ? countEqual(page.repetitionLevels, 0) : entries
  if (v2.num_rows !== rows) throw corrupt(site, `expected num_rows ${rows}, found ${v2.num_rows}`)
}

/**
 * Checks the dictionary indexes of a page against the dictionary's size.
 * @throws CorruptDataError on an index outside the dictionary.
 */
export function checkDictionaryIndexes(indexes: ArrayLike<number>, size: number, site: PageSite): void {
  for (let i = 0; i < indexes.length; i++) {
    const index = indexes[i] as number
    if (!(index >= 0 && index < size)) throw corrupt(site, `expected dictionary indexes below ${size}, found ${String(index)}`)
  }
}
