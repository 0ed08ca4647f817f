// The start of a CSV input, read on the main thread before any chunk is cut: the header record and
// the first data record, enough to know how each ends (csv-parse detects the line end from the first
// one outside quotes, separately for the header and for the data, as `CsvSource` reads them).

import { IngestError } from '../errors.js'
import type { CsvEol } from './csv-record-parser.js'

/** The bytes read so far and where the header and the data start in them. */
export interface CsvStart {
  readonly bytes: Buffer
  /** After a UTF-8 byte order mark, if any. */
  readonly headerStart: number
  readonly dataStart: number
  readonly headerEol: CsvEol
  readonly dataEol: CsvEol
}

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

/**
 * Reads from `iterator` until the header's line end and the data's first line end are known (or
 * the input ends); undefined for an empty input.
 * @throws IngestError `InvalidArgument` for a bare CR line end (context `{ line }`), or a header or
 *   first record longer than `max` bytes (context `{ line, maxLineBytes }`).
 */
export async function readCsvStart(iterator: AsyncIterator<Uint8Array>, max: number): Promise<CsvStart | undefined> {
  const pieces: Buffer[] = []
  let bytes: Buffer = Buffer.alloc(0)
  let done = false
  for (;;) {
    if (!done) {
      const next = await iterator.next()
      if (next.done === true) done = true
      else {
        pieces.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength))
        bytes = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces)
      }
    }
    if (bytes.length === 0 && done) return undefined
    const headerStart = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
    const header = findEol(bytes, headerStart, done, 1)
    if (header === 'more' && !done) {
      if (bytes.length > max + 3) throw tooLong(1, max)
      continue
    }
    const headerEol = header === 'more' ? 'lf' : header.eol
    const dataStart = header === 'more' ? bytes.length : header.next
    const data = findEol(bytes, dataStart, done, 2)
    if (data === 'more' && !done) {
      if (bytes.length - dataStart > max + 2) throw tooLong(2, max)
      continue
    }
    return { bytes, headerStart, dataStart, headerEol, dataEol: data === 'more' ? headerEol : data.eol }
  }
}

/** The first line end outside quotes from `from`, or 'more' when the bytes end first. */
function findEol(b: Buffer, from: number, done: boolean, line: number): { eol: CsvEol; next: number } | 'more' {
  let inQuotes = false
  for (let i = from; i < b.length; i++) {
    const c = b[i]
    if (c === QUOTE) inQuotes = !inQuotes
    else if (inQuotes) continue
    else if (c === LF) return { eol: 'lf', next: i + 1 }
    else if (c === CR) {
      if (i + 1 === b.length && !done) return 'more'
      if (b[i + 1] === LF) return { eol: 'crlf', next: i + 2 }
      const at = line + countLf(b, from, i)
      throw new IngestError('InvalidArgument', `line ${at}: expected CSV records ending in LF or CRLF, found a bare CR line end`, { context: { line: at } })
    }
  }
  return 'more'
}

/** The LF bytes of `b` in [from, to). */
export function countLf(b: Buffer, from: number, to: number): number {
  let n = 0
  for (let at = b.indexOf(LF, from); at !== -1 && at < to; at = b.indexOf(LF, at + 1)) n++
  return n
}

/** The error for a CSV record over `maxLineBytes`, at `line`. */
export function tooLong(line: number, max: number): IngestError {
  return new IngestError('InvalidArgument', `line ${line}: a CSV record longer than the limit of ${max} bytes (maxLineBytes); split the record or raise the limit`, {
    context: { line, maxLineBytes: max },
  })
}
