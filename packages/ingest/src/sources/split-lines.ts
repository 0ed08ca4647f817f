// Splits a byte stream into lines ('\n'-terminated, '\r\n' tolerated) with their byte offsets and
// 1-based numbers, in time linear in the input: a line spanning chunks is joined once, when it ends.
// A last line without a newline ends at the end of the stream. Lines longer than a limit are refused.

import { isUtf8 } from 'node:buffer'
import { IngestError } from '../errors.js'

/** Default `maxLineBytes`: 64 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024

/** One line: its text (no terminator), its 1-based number, the byte offset after its terminator. */
export interface Line {
  readonly text: string
  readonly line: number
  readonly end: number
  /** The line's bytes are not valid UTF-8 (`text` then holds U+FFFD for the bad bytes). */
  readonly invalidUtf8: boolean
}

/** Options of `splitLines`. */
export interface SplitOptions {
  /** The number of the first line read (1-based). Default 1. */
  readonly firstLine?: number
  /** The longest line accepted, in bytes without its terminator. Default `DEFAULT_MAX_LINE_BYTES`. */
  readonly maxLineBytes?: number
}

const NEWLINE = 0x0a

/**
 * Yields the lines of `bytes`, which starts at byte `offset` of the input. Holds at most one
 * partial line across chunks (as a list of pieces, joined once).
 * @throws IngestError `InvalidArgument` (context `{ line, maxLineBytes }`) for a line longer than `maxLineBytes`.
 */
export async function* splitLines(bytes: AsyncIterable<Uint8Array>, offset: number, options: SplitOptions = {}): AsyncGenerator<Line> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
  let pieces: Buffer[] = []
  let pending = 0
  let line = options.firstLine ?? 1
  let pos = offset
  for await (const chunk of bytes) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let start = 0
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      if (pending + nl - start > max + 1) throw lineTooLong(line, max)
      const whole = pending === 0 ? buf.subarray(start, nl) : Buffer.concat([...pieces, buf.subarray(start, nl)], pending + nl - start)
      pos += nl + 1 - start
      pieces = []
      pending = 0
      yield decodeLine(whole, line++, pos, max)
      start = nl + 1
    }
    if (start < buf.length) {
      pending += buf.length - start
      if (pending > max + 1) throw lineTooLong(line, max)
      pieces.push(buf.subarray(start))
    }
  }
  if (pending > 0) yield decodeLine(Buffer.concat(pieces, pending), line, pos + pending, max)
}

/**
 * Counts up to `limit` lines from `offset` without decoding them; returns the lines counted and
 * the byte offset after the last one.
 */
export async function countLines(bytes: AsyncIterable<Uint8Array>, offset: number, limit: number): Promise<{ lines: number; end: number }> {
  let lines = 0
  let pos = offset
  let pending = 0
  for await (const chunk of bytes) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let start = 0
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      lines++
      pos += pending + nl + 1 - start
      pending = 0
      start = nl + 1
      if (lines >= limit) return { lines, end: pos }
    }
    pending += buf.length - start
  }
  if (pending > 0) return { lines: lines + 1, end: pos + pending }
  return { lines, end: pos }
}

function decodeLine(buf: Buffer, line: number, end: number, max: number): Line {
  const stop = buf.length > 0 && buf[buf.length - 1] === 0x0d ? buf.length - 1 : buf.length
  if (stop > max) throw lineTooLong(line, max)
  const bytes = buf.subarray(0, stop)
  return { text: bytes.toString('utf8'), line, end, invalidUtf8: !isUtf8(bytes) }
}

/** The error for line `line` longer than `max` bytes (context `{ line, maxLineBytes }`). */
export function lineTooLong(line: number, max: number): IngestError {
  return new IngestError('InvalidArgument', `line ${line} is longer than the limit of ${max} bytes (maxLineBytes); split the record or raise the limit`, {
    context: { line, maxLineBytes: max },
  })
}
