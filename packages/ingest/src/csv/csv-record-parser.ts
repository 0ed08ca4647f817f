// One CSV record parsed from UTF-8 bytes, in place: where each field starts and ends, and whether it
// holds doubled quotes (`""`) to collapse. The dialect is csv-parse's as `CsvSource` configures it,
// for well-formed input: fields split at the delimiter, records end at the line end detected for
// the input (LF or CRLF; in an LF input a CR is data, in a CRLF input a bare LF is), a field that
// starts with a quote runs to the closing quote (delimiters and line ends inside are data), an empty
// line is a record of one empty field. A quote anywhere else, text after a closing quote, or an
// unclosed quote is malformed: `error` says what was found. No strings are made.

/** How records end: `\n` or `\r\n`. */
export type CsvEol = 'lf' | 'crlf'

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

/** Parses records of one input; reusable from record to record. */
export class CsvRecordParser {
  /** Fields of the last record parsed. */
  count = 0
  starts: Int32Array = new Int32Array(16)
  ends: Int32Array = new Int32Array(16)
  /** 1 where the field was quoted and holds doubled quotes. */
  escaped = new Uint8Array(16)
  /** `\n` bytes inside the last record, terminator included: lines it spans. */
  newlines = 0
  /** Why the last record is malformed, or undefined. */
  error: string | undefined

  constructor(
    readonly delimiter: number,
    readonly eol: CsvEol,
  ) {}

  /** Parses the record at `b[pos..end)`; returns the index after its terminator (or `end`). Check `error`. */
  parse(b: Uint8Array, pos: number, end: number): number {
    this.count = 0
    this.newlines = 0
    this.error = undefined
    let i = pos
    for (;;) {
      const next = b[i] === QUOTE && i < end ? this.#quoted(b, i, end) : this.#plain(b, i, end)
      if (next < 0) return end
      if (next >= end) return end
      const c = b[next] as number
      if (c === this.delimiter) {
        i = next + 1
        continue
      }
      // A line end: LF, or CR LF.
      this.newlines++
      return c === CR ? next + 2 : next + 1
    }
  }

  /** An unquoted field from `i`: its end (delimiter, line end or `end`), or -1 after setting `error`. */
  #plain(b: Uint8Array, i: number, end: number): number {
    const d = this.delimiter
    const crlf = this.eol === 'crlf'
    let j = i
    for (; j < end; j++) {
      const c = b[j] as number
      if (c === d) break
      if (c === LF) {
        if (!crlf) break
        this.newlines++
      } else if (c === CR && crlf && b[j + 1] === LF && j + 1 < end) break
      else if (c === QUOTE) {
        this.error = `a quote inside an unquoted field (field ${this.count + 1})`
        return -1
      }
    }
    this.#field(i, j, 0)
    return j
  }

  /** A quoted field opening at `i`: the index after its closing quote, or -1 after setting `error`. */
  #quoted(b: Uint8Array, i: number, end: number): number {
    let escaped = 0
    let j = i + 1
    for (;;) {
      const q = indexOf(b, QUOTE, j, end)
      if (q < 0) {
        this.error = `a quoted field (field ${this.count + 1}) that is not closed`
        return -1
      }
      this.newlines += countLf(b, j, q)
      if (b[q + 1] === QUOTE && q + 1 < end) {
        escaped = 1
        j = q + 2
        continue
      }
      const after = q + 1
      if (after < end && !this.#fieldEnd(b, after, end)) {
        this.error = `text after the closing quote of field ${this.count + 1}`
        return -1
      }
      this.#field(i + 1, q, escaped)
      return after
    }
  }

  /** A delimiter or a line end at `i`. */
  #fieldEnd(b: Uint8Array, i: number, end: number): boolean {
    const c = b[i]
    if (c === this.delimiter) return true
    if (this.eol === 'lf') return c === LF
    return c === CR && b[i + 1] === LF && i + 1 < end
  }

  #field(start: number, stop: number, escaped: number): void {
    const n = this.count++
    if (n >= this.starts.length) {
      this.starts = grow(this.starts)
      this.ends = grow(this.ends)
      const e = new Uint8Array(this.escaped.length * 2)
      e.set(this.escaped)
      this.escaped = e
    }
    this.starts[n] = start
    this.ends[n] = stop
    this.escaped[n] = escaped
  }
}

/** Field `n` of the last record as text (doubled quotes collapsed). */
export function fieldText(parser: CsvRecordParser, b: Uint8Array, n: number): string {
  const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8', parser.starts[n], parser.ends[n])
  return parser.escaped[n] === 1 ? text.replaceAll('""', '"') : text
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2)
  next.set(a)
  return next
}

function indexOf(b: Uint8Array, byte: number, from: number, end: number): number {
  const at = b.indexOf(byte, from)
  return at >= end ? -1 : at
}

function countLf(b: Uint8Array, from: number, to: number): number {
  let n = 0
  for (let at = b.indexOf(LF, from); at !== -1 && at < to; at = b.indexOf(LF, at + 1)) n++
  return n
}
