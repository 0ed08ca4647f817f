// The one CSV reader of every route: csv-parse over a byte stream, yielding each record's cells, raw
// text, 1-based line and end byte offset (or why it is malformed), after checking the bytes are UTF-8.

import { isUtf8 } from 'node:buffer'
import { parse } from 'csv-parse'
import type { Parser } from 'csv-parse'
import { IngestError } from '../errors.js'
import { DEFAULT_MAX_LINE_BYTES } from './split-lines.js'

/** A parsed record, or a malformed one. `line` is the 1-based line it ends on (counted from `firstLine` at `from`). */
export type CsvEvent =
  | { readonly kind: 'record'; readonly cells: string[]; readonly raw: string; readonly line: number; readonly end: number }
  | { readonly kind: 'error'; readonly raw: string; readonly message: string; readonly line: number; readonly end: number }

/** Options of `csvEvents`. */
export interface CsvReadOptions {
  /** Field delimiter. Default `,`. */
  readonly delimiter?: string
  /** The longest record accepted, in characters. Default 64 Mi. */
  readonly maxRecordChars?: number
  /** The 1-based line number of the first line of `bytes` in the whole input. Default 1. */
  readonly firstLine?: number
}

/**
 * The records of `bytes`, which starts at byte `from` of the input (a UTF-8 BOM is skipped at 0).
 * @throws IngestError `InvalidArgument` on bytes that are not UTF-8 (context `{ line }`), or a record
 *   longer than `maxRecordChars` (context `{ line, maxLineBytes }`).
 */
export async function* csvEvents(bytes: AsyncIterable<Uint8Array>, from: number, options: CsvReadOptions = {}): AsyncGenerator<CsvEvent> {
  const max = options.maxRecordChars ?? DEFAULT_MAX_LINE_BYTES
  const before = (options.firstLine ?? 1) - 1
  const parser: Parser = parse({ delimiter: options.delimiter ?? ',', info: true, raw: true, relax_column_count: true, skip_records_with_error: true, bom: from === 0, max_record_size: max })
  const errors: CsvEvent[] = []
  parser.on('skip', (err: Error & { raw?: string; code?: string }) => {
    if (err.code === 'CSV_MAX_RECORD_SIZE') parser.destroy(recordTooLong(before + parser.info.lines, max))
    else errors.push({ kind: 'error', raw: err.raw ?? '', message: err.message, line: before + parser.info.lines, end: from + parser.info.bytes })
  })
  const feed = pipeBytes(utf8Checked(bytes, before + 1), parser)
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string; info: { bytes: number; lines: number } }>) {
      while (errors.length > 0) yield errors.shift() as CsvEvent
      const raw = item.raw.replace(/\r?\n$/, '')
      yield { kind: 'record', cells: item.record, raw, line: before + item.info.lines, end: from + item.info.bytes }
    }
    while (errors.length > 0) yield errors.shift() as CsvEvent
  } finally {
    parser.destroy()
    await feed
  }
}

/**
 * The column names of a header record. Names are case-insensitive in Delta, so `id,ID` repeats a column.
 * @throws IngestError `InvalidArgument` (context `{ column }`) for an empty or repeated name.
 */
export function checkHeader(columns: readonly string[]): string[] {
  const seen = new Map<string, string>()
  for (const [i, column] of columns.entries()) {
    if (column === '') {
      throw new IngestError('InvalidArgument', `CSV header: expected a name for column ${i + 1}, found an empty cell`, { context: { column: i + 1 } })
    }
    const first = seen.get(column.toLowerCase())
    if (first !== undefined) {
      const as = first === column ? '' : ` (as '${first}'; names are case-insensitive)`
      throw new IngestError('InvalidArgument', `CSV header: expected distinct column names, found '${column}' twice${as}`, { context: { column } })
    }
    seen.set(column.toLowerCase(), column)
  }
  return [...columns]
}

/** Passes `bytes` on after checking they are UTF-8, counting lines to name the first bad one. */
async function* utf8Checked(bytes: AsyncIterable<Uint8Array>, firstLine: number): AsyncGenerator<Uint8Array> {
  let line = firstLine
  let carry = Buffer.alloc(0)
  for await (const chunk of bytes) {
    const buf = carry.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([carry, chunk])
    const cut = completeUpTo(buf)
    const whole = buf.subarray(0, cut)
    if (!isUtf8(whole)) throw invalidUtf8(line + firstBadLine(whole))
    line += countNewlines(whole)
    carry = Buffer.from(buf.subarray(cut))
    if (whole.length > 0) yield whole
  }
  if (carry.length > 0) throw invalidUtf8(line)
}

/** The length of `buf` without a trailing incomplete UTF-8 sequence (at most 3 bytes are held back). */
function completeUpTo(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back] as number
    if ((b & 0xc0) !== 0x80) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
      return need > back ? buf.length - back : buf.length
    }
  }
  return buf.length
}

/** How many lines of `buf` come before its first line that is not UTF-8 (a newline never sits inside a character). */
function firstBadLine(buf: Buffer): number {
  let start = 0
  let lines = 0
  for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
    if (!isUtf8(buf.subarray(start, nl))) return lines
    lines++
    start = nl + 1
  }
  return lines
}

function countNewlines(buf: Buffer): number {
  let n = 0
  for (let at = buf.indexOf(0x0a); at !== -1; at = buf.indexOf(0x0a, at + 1)) n++
  return n
}

function invalidUtf8(line: number): IngestError {
  return new IngestError('InvalidArgument', `line ${line}: expected UTF-8 text, found invalid UTF-8 bytes`, { context: { line } })
}

function recordTooLong(line: number, max: number): IngestError {
  return new IngestError('InvalidArgument', `line ${line}: a CSV record longer than the limit of ${max} characters (maxLineBytes); split the record or raise the limit`, {
    context: { line, maxLineBytes: max },
  })
}

/** Writes `bytes` into the parser with backpressure; stops quietly when the parser is destroyed. */
async function pipeBytes(bytes: AsyncIterable<Uint8Array>, parser: Parser): Promise<void> {
  try {
    for await (const chunk of bytes) {
      if (parser.destroyed) return
      if (!parser.write(chunk)) await new Promise<void>((resolve) => {
        parser.once('drain', resolve)
        parser.once('close', resolve)
      })
    }
    if (!parser.destroyed) parser.end()
  } catch (err) {
    parser.destroy(err as Error)
  }
}
