// Line-aligned chunks of an NDJSON byte stream, for the route that parses in the encoder workers:
// the main thread only finds newlines (to cut chunks at line ends, number lines and records, and
// enforce maxLineBytes). Each chunk owns its ArrayBuffer, so it is transferred to a worker, not cloned.
// Chunk boundaries depend only on the bytes and the limits: the same input always cuts the same way.

import { isUtf8 } from 'node:buffer'
import { DEFAULT_MAX_LINE_BYTES, lineTooLong } from '../sources/split-lines.js'

/** Whole lines of the input, with where they are in it. */
export interface LineChunk {
  /** Whole lines, each ending in '\n' (the input's last line may lack it). Owns its ArrayBuffer. */
  readonly bytes: Uint8Array
  /** The 1-based number of its first line. */
  readonly firstLine: number
  /** Records (non-blank lines) before it in the input: the 0-based row index of its first record. */
  readonly firstRow: number
  /** Records in it. */
  readonly records: number
  /** It starts at the input's first byte (a byte order mark there is skipped). */
  readonly atStart: boolean
}

/** Where a chunk's lines are in the input: a `LineChunk` without its bytes. */
export type ChunkNumbering = Omit<LineChunk, 'bytes'>

/** Chunk bounds: a chunk ends at the first line end where either is reached. */
export interface LineChunkLimits {
  readonly rows: number
  readonly bytes: number
  /** The longest line accepted, in bytes without its terminator. Default 64 MiB. */
  readonly maxLineBytes?: number | undefined
}

const NEWLINE = 0x0a

/**
 * Splits `input` into chunks of whole lines, at most `limits.rows` records and about
 * `limits.bytes` bytes each (a chunk holds at least one line). Chunks without records (only blank
 * lines) are not yielded.
 * @throws IngestError `InvalidArgument` (context `{ line, maxLineBytes }`) for a line longer than `maxLineBytes`.
 */
export async function* lineChunks(input: AsyncIterable<Uint8Array>, limits: LineChunkLimits): AsyncGenerator<LineChunk> {
  const cutter = new ChunkCutter(limits)
  for await (const chunk of input) yield* cutter.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
  yield* cutter.end()
}

/** The state of the cut: pieces of the chunk being filled, the line being read, the counts. */
export class ChunkCutter {
  readonly #limits: LineChunkLimits
  readonly #max: number
  #pieces: Buffer[] = []
  #size = 0
  #line = 1
  #firstLine = 1
  #rows = 0
  #records = 0
  #atStart = true
  /** Bytes of the current line seen in earlier buffers (it continues in the next one). */
  #partial = 0
  /** The pieces of the current line seen in earlier buffers, kept only when its first byte needs a closer look. */
  #partialPieces: Buffer[] | undefined
  /** The last byte of the current line seen so far. */
  #partialLast = 0

  constructor(limits: LineChunkLimits) {
    this.#limits = limits
    this.#max = limits.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
  }

  /** Cuts `buf` (the input's next bytes), copying each chunk out of the pieces read so far. */
  *push(buf: Buffer): Generator<LineChunk> {
    let from = 0
    for (const cut of this.scan(buf)) {
      this.#pieces.push(buf.subarray(from, cut.end))
      from = cut.end
      const bytes = concatOwned(this.#pieces)
      this.#pieces = []
      if (cut.chunk !== undefined) yield { ...cut.chunk, bytes }
    }
    if (from < buf.length) this.#pieces.push(buf.subarray(from))
  }

  *end(): Generator<LineChunk> {
    const chunk = this.finish()
    const bytes = concatOwned(this.#pieces)
    this.#pieces = []
    if (chunk !== undefined) yield { ...chunk, bytes }
  }

  /**
   * Scans `buf` (the input's next bytes) and yields each offset in it where a chunk ends (after a
   * line end), with the chunk's numbering (`undefined` for a chunk without records, which is dropped).
   * Keeps no reference to `buf` (the caller may move or reuse it once the scan is done).
   */
  *scan(buf: Buffer): Generator<{ readonly end: number; readonly chunk: ChunkNumbering | undefined }> {
    let start = 0
    let from = 0
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      this.#endLine(buf, start, nl)
      start = nl + 1
      if (this.#records >= this.#limits.rows || this.#size + start - from >= this.#limits.bytes) {
        from = start
        yield { end: start, chunk: this.#take() }
      }
    }
    if (start < buf.length) {
      // A copy: `buf` may be reused before the line ends (rare: only lines whose first byte needs a closer look).
      const rest = Buffer.from(buf.subarray(start))
      if (this.#partial === 0 && !plainStart(rest[0] as number)) this.#partialPieces = []
      this.#partialPieces?.push(rest)
      this.#partial += rest.length
      this.#partialLast = rest[rest.length - 1] as number
      if (this.#partial > this.#max + 1) throw lineTooLong(this.#line, this.#max)
    }
    this.#size += buf.length - from
  }

  /** The input ended: counts its unterminated last line and returns the last chunk's numbering (`undefined` when it has no records). */
  finish(): ChunkNumbering | undefined {
    if (this.#partial > 0) this.#countLine(this.#partialPieces === undefined ? undefined : Buffer.concat(this.#partialPieces), this.#partial, this.#partialLast)
    return this.#take()
  }

  /** Counts the line that ends at `nl` of `buf` (begun `#partial` bytes earlier). */
  #endLine(buf: Buffer, start: number, nl: number): void {
    const length = this.#partial + nl - start
    const first = this.#partial > 0 ? undefined : buf[start]
    let bytes: Buffer | undefined
    if (this.#partialPieces !== undefined) bytes = Buffer.concat([...this.#partialPieces, buf.subarray(start, nl)])
    else if (first !== undefined && !plainStart(first)) bytes = buf.subarray(start, nl)
    this.#countLine(bytes, length, nl > start ? (buf[nl - 1] as number) : this.#partialLast)
  }

  /** `bytes`: the line, when its first byte is not plainly the start of a record; `last`: its last byte. */
  #countLine(bytes: Buffer | undefined, length: number, last: number): void {
    const stop = length > 0 && last === 0x0d ? length - 1 : length
    if (stop > this.#max) throw lineTooLong(this.#line, this.#max)
    if (bytes === undefined || !isBlank(bytes.subarray(0, stop), this.#line === 1)) this.#records++
    this.#line++
    this.#partial = 0
    this.#partialPieces = undefined
  }

  #take(): ChunkNumbering | undefined {
    const records = this.#records
    const chunk = { firstLine: this.#firstLine, firstRow: this.#rows, records, atStart: this.#atStart }
    this.#size = 0
    this.#rows += records
    this.#records = 0
    this.#firstLine = this.#line
    this.#atStart = false
    return records > 0 ? chunk : undefined
  }
}

/** The pieces in a fresh ArrayBuffer of their own (Buffer.concat may hand out a slice of the shared pool, which must never be transferred). */
function concatOwned(pieces: readonly Buffer[]): Uint8Array {
  let size = 0
  for (const piece of pieces) size += piece.length
  const bytes = new Uint8Array(size)
  let at = 0
  for (const piece of pieces) {
    bytes.set(piece, at)
    at += piece.length
  }
  return bytes
}

/** A printable ASCII character other than space: the line is not blank, nothing more to check. */
function plainStart(byte: number): boolean {
  return byte > 0x20 && byte < 0x7f
}

/** Blank as the NDJSON reader sees it: valid UTF-8 whose text (after a leading BOM on the input's first line) trims to ''. */
function isBlank(bytes: Buffer, firstOfInput: boolean): boolean {
  if (!isUtf8(bytes)) return false
  const text = bytes.toString('utf8')
  return (firstOfInput && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).trim() === ''
}
