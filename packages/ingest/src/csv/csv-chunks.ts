// Record-aligned chunks of a CSV byte stream, for the route that parses in the encoder workers. The
// main thread reads the header record (once), finds the data's line end (LF or CRLF, as csv-parse
// detects it: the first line end outside quotes), then only finds record ends: a line end outside
// quotes. Each chunk owns its ArrayBuffer, so it is transferred to a worker, not cloned. Chunk
// boundaries depend only on the bytes and the limits.

import { IngestError } from '../errors.js'
import { checkHeader } from '../sources/csv-records.js'
import { DEFAULT_MAX_LINE_BYTES } from '../sources/split-lines.js'
import { CsvRecordParser, fieldText } from './csv-record-parser.js'
import type { CsvEol } from './csv-record-parser.js'
import { countLf, readCsvStart, tooLong } from './csv-start.js'

/** Whole records of the input after its header, with where they are in it. */
export interface CsvChunk {
  readonly kind: 'records'
  /** Whole records, each with its line end (the input's last may lack it). Owns its ArrayBuffer. */
  readonly bytes: Uint8Array
  /** The 1-based line its first record starts on. */
  readonly firstLine: number
  /** Records before it (after the header): the 0-based row index of its first record. */
  readonly firstRow: number
  readonly records: number
}

/** The header: the input's column names, and how its data records end. */
export interface CsvHeader {
  readonly kind: 'header'
  readonly columns: readonly string[]
  readonly eol: CsvEol
}

/** Chunk bounds: a chunk ends at the first record end where either is reached. */
export interface CsvChunkLimits {
  readonly rows: number
  readonly bytes: number
  /** The longest record accepted, in bytes. Default 64 MiB. */
  readonly maxLineBytes?: number | undefined
  /** The field delimiter, one ASCII character. Default `,`. */
  readonly delimiter?: string | undefined
}

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

/**
 * The header of `input` (a UTF-8 BOM before it skipped), then its records in chunks of at most
 * `limits.rows` records and about `limits.bytes` bytes. An input without a header yields nothing.
 * @throws IngestError `InvalidArgument`: a header that is malformed or names a column twice or not at
 *   all (context `{ column }` then), a bare CR line end (context `{ line }`), a record longer than
 *   `maxLineBytes` (context `{ line, maxLineBytes }`), a quote inside an unquoted field (context `{ line }`).
 */
export async function* csvChunks(input: AsyncIterable<Uint8Array>, limits: CsvChunkLimits): AsyncGenerator<CsvHeader | CsvChunk> {
  const max = limits.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
  const delimiter = (limits.delimiter ?? ',').charCodeAt(0)
  const iterator = input[Symbol.asyncIterator]()
  const start = await readCsvStart(iterator, max)
  if (start === undefined) return
  const parser = new CsvRecordParser(delimiter, start.headerEol)
  parser.parse(start.bytes, start.headerStart, start.dataStart)
  if (parser.error !== undefined) throw new IngestError('InvalidArgument', `CSV header: expected a well-formed record, found ${parser.error}`, { context: { line: 1 } })
  const columns = checkHeader(Array.from({ length: parser.count }, (_, n) => fieldText(parser, start.bytes, n)))
  yield { kind: 'header', columns, eol: start.dataEol }
  const cutter = new RecordCutter(limits, max, delimiter, start.dataEol, 1 + parser.newlines)
  yield* cutter.push(start.bytes.subarray(start.dataStart))
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    const chunk = next.value
    yield* cutter.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
  }
  yield* cutter.end()
}

/** The state of the cut: the chunk being filled, the record being read, the counts. */
class RecordCutter {
  #pieces: Buffer[] = []
  #size = 0
  #line: number
  #firstLine: number
  #rows = 0
  #records = 0
  #inQuotes = false
  /** The byte before the current position (across buffers); LF at a record start. */
  #last = LF
  /** Bytes of the current record in earlier buffers. */
  #recordBytes = 0

  constructor(
    readonly limits: CsvChunkLimits,
    readonly max: number,
    readonly delimiter: number,
    readonly eol: CsvEol,
    line: number,
  ) {
    this.#line = line
    this.#firstLine = line
  }

  *push(buf: Buffer): Generator<CsvChunk> {
    let from = 0
    let pos = 0
    let record = 0
    // The next quote and line end at or after `pos` (-1: none in the buffer), each found again only once passed.
    let quote = -2
    let nl = -2
    while (pos < buf.length) {
      if (this.#inQuotes) {
        pos = this.#closeQuote(buf, pos)
        continue
      }
      if (nl !== -1 && nl < pos) nl = buf.indexOf(LF, pos)
      if (quote !== -1 && quote < pos) quote = buf.indexOf(QUOTE, pos)
      const q = quote
      if (q >= 0 && (nl < 0 || q < nl)) {
        this.#openQuote(buf, q)
        pos = q + 1
        continue
      }
      if (nl < 0) break
      this.#line++
      pos = nl + 1
      const before = nl > 0 ? buf[nl - 1] : this.#last
      if (this.eol === 'crlf' && before !== CR) continue
      this.#endRecord(pos - record)
      record = pos
      if (this.#records >= this.limits.rows || this.#size + pos - from >= this.limits.bytes) {
        this.#pieces.push(buf.subarray(from, pos))
        this.#size += pos - from
        from = pos
        const chunk = this.#take()
        if (chunk !== undefined) yield chunk
      }
    }
    this.#recordBytes += buf.length - record
    if (this.#recordBytes > this.max + 2) throw tooLong(this.#line, this.max)
    if (buf.length > 0) this.#last = buf[buf.length - 1] as number
    if (from < buf.length) {
      this.#pieces.push(buf.subarray(from))
      this.#size += buf.length - from
    }
  }

  *end(): Generator<CsvChunk> {
    if (this.#recordBytes > 0) this.#records++
    const chunk = this.#take()
    if (chunk !== undefined) yield chunk
  }

  /** Inside quotes from `pos`: the index after the closing quote (the buffer's end when it is not in it). */
  #closeQuote(buf: Buffer, pos: number): number {
    const q = buf.indexOf(QUOTE, pos)
    const stop = q < 0 ? buf.length : q
    this.#line += countLf(buf, pos, stop)
    if (q < 0) return buf.length
    this.#inQuotes = false
    return q + 1
  }

  /** A quote outside quotes: it must open a field (follow a delimiter or a line end) or be the second of `""`. */
  #openQuote(buf: Buffer, q: number): void {
    const prev = q > 0 ? buf[q - 1] : this.#last
    if (prev !== this.delimiter && prev !== LF && prev !== QUOTE && !(prev === CR && this.eol === 'crlf')) {
      throw new IngestError('InvalidArgument', `line ${this.#line}: expected a quote only at the start of a CSV field, found one inside a field`, { context: { line: this.#line } })
    }
    this.#inQuotes = true
  }

  /** A record ended; `bytes`: its bytes in the current buffer. */
  #endRecord(bytes: number): void {
    if (this.#recordBytes + bytes > this.max + 2) throw tooLong(this.#line - 1, this.max)
    this.#records++
    this.#recordBytes = 0
  }

  #take(): CsvChunk | undefined {
    const records = this.#records
    const chunk = { kind: 'records' as const, firstLine: this.#firstLine, firstRow: this.#rows, records }
    let bytes: Uint8Array | undefined
    if (this.#size > 0) {
      // A fresh ArrayBuffer of its own (Buffer.concat may hand out a slice of the shared pool, which must never be transferred).
      bytes = new Uint8Array(this.#size)
      let at = 0
      for (const piece of this.#pieces) {
        bytes.set(piece, at)
        at += piece.length
      }
    }
    this.#pieces = []
    this.#size = 0
    this.#rows += records
    this.#records = 0
    this.#firstLine = this.#line
    return bytes === undefined || records === 0 ? undefined : { ...chunk, bytes }
  }
}
