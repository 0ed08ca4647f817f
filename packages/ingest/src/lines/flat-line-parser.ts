// The fast path of the line route: a flat JSON object of plain values parsed from its UTF-8 bytes
// straight into the Arrow column builders, with its column's coercion, and no row object or string
// made on the way (a long is stored without a bigint). The caller walks a chunk with it line by line:
// each parse finds its line's end itself, so the bytes are read once. It takes only what it is sure
// of (a date only as `YYYY-MM-DD` text): a line with escapes, nesting, a number `JSON.parse` could round or that was written as a double
// (`5.0`, `1e3`, 16+ digits), an unknown, repeated or differently cased key, or a value its column
// would refuse, is left to the exact path (`NdjsonSource`'s parser and the row coercer), which gives
// the same values or the error.

import { daysFromCivil } from '@lake/parquet/rows'
import type { BatchBuilder, StructType } from '@lake/parquet'

type Kind = 'long' | 'int' | 'double' | 'float' | 'string' | 'boolean' | 'date'

interface Column {
  readonly name: Uint8Array
  /** `"name":` as bytes, when the name needs no escape in JSON (matched in one go); else undefined. */
  readonly key: Uint8Array | undefined
  readonly kind: Kind
  readonly nullable: boolean
  readonly min: number
  readonly max: number
}

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = { integer: [-2147483648, 2147483647], short: [-32768, 32767], byte: [-128, 127] }
/** Beyond this magnitude a float column's value goes the exact way (which refuses it beyond float32). */
const FLOAT_SAFE = 3.4e38
/** Digits and points in a row from which the exact parser takes over (as `needsExactParse` decides). */
const RISKY_RUN = 16
const POW10 = Array.from({ length: RISKY_RUN }, (_, i) => 10 ** i)

// Value slots of one line, per column.
const MISSING = 0
const NULL = 1
const NUMBER = 2
const TRUE = 3
const FALSE = 4
const STRING = 5
/** Added to NUMBER for a number written with a fraction (a double, never an integer column's value). */
const FRACTION = 0x10

const NEWLINE = 0x0a

/** Parses flat NDJSON lines of one schema into a `BatchBuilder`. */
export class FlatLineParser {
  readonly #columns: readonly Column[]
  readonly #slots: Uint8Array
  readonly #numbers: Float64Array
  readonly #starts: Int32Array
  readonly #ends: Int32Array
  /** The bytes of the line being parsed. */
  #bytes: Uint8Array = new Uint8Array(0)
  #pos = 0

  constructor(columns: readonly Column[]) {
    this.#columns = columns
    this.#slots = new Uint8Array(columns.length)
    this.#numbers = new Float64Array(columns.length)
    this.#starts = new Int32Array(columns.length)
    this.#ends = new Int32Array(columns.length)
  }

  /**
   * Parses the line that starts at `bytes[start]` (valid UTF-8; the line ends at the next '\n' or at
   * `end`) and appends its row to `builder`: returns where the next line starts (after the '\n', or
   * `end`). -1 when the line needs the exact path; nothing is appended then.
   */
  parse(bytes: Uint8Array, start: number, end: number, builder: BatchBuilder): number {
    this.#slots.fill(MISSING)
    this.#bytes = bytes
    const next = this.#object(bytes, start, end)
    if (next < 0) return -1
    const columns = this.#columns
    for (let k = 0; k < columns.length; k++) if (!this.#fits(columns[k] as Column, k)) return -1
    for (let k = 0; k < columns.length; k++) this.#append(builder, bytes, k)
    builder.endRow()
    return next
  }

  /** The index after the line's '\n' (or `stop`) when the line is one flat object this parser reads, else -1. */
  #object(b: Uint8Array, start: number, stop: number): number {
    let i = ws(b, start, stop)
    if (b[i] !== 0x7b) return -1
    i = ws(b, i + 1, stop)
    let expect = 0
    if (b[i] === 0x7d) return lineEnd(b, i + 1, stop)
    for (;;) {
      const k = this.#key(b, i, stop, expect)
      if (k < 0 || this.#slots[k] !== MISSING) return -1
      expect = k + 1
      if (!this.#value(b, stop, k)) return -1
      i = ws(b, this.#pos, stop)
      if (b[i] === 0x7d) return lineEnd(b, i + 1, stop)
      if (b[i] !== 0x2c) return -1
      i = ws(b, i + 1, stop)
    }
  }

  /**
   * The column of the key at `b[i]` (tried first: `expect`, the one after the previous key, as
   * `"name":` in one go), with `#pos` after the key's colon and whitespace; -1 when it is none.
   */
  #key(b: Uint8Array, i: number, stop: number, expect: number): number {
    const key = expect < this.#columns.length ? (this.#columns[expect] as Column).key : undefined
    if (key !== undefined && i + key.length <= stop && sameBytes(key, b, i, i + key.length)) {
      this.#pos = ws(b, i + key.length, stop)
      return expect
    }
    if (b[i] !== 0x22) return -1
    const keyEnd = plainString(b, i + 1, stop)
    if (keyEnd < 0) return -1
    const k = this.#column(b, i + 1, keyEnd, expect)
    const colon = ws(b, keyEnd + 1, stop)
    if (k < 0 || b[colon] !== 0x3a) return -1
    this.#pos = ws(b, colon + 1, stop)
    return k
  }

  /** The column whose name is `b[start, end)` (tried first: `expect`, the one after the previous key), or -1. */
  #column(b: Uint8Array, start: number, end: number, expect: number): number {
    const columns = this.#columns
    if (expect < columns.length && sameBytes((columns[expect] as Column).name, b, start, end)) return expect
    for (let k = 0; k < columns.length; k++) if (sameBytes((columns[k] as Column).name, b, start, end)) return k
    return -1
  }

  #value(b: Uint8Array, stop: number, k: number): boolean {
    const i = this.#pos
    const c = b[i]
    if (c === 0x22) {
      const end = plainString(b, i + 1, stop)
      if (end < 0) return false
      this.#slots[k] = STRING
      this.#starts[k] = i + 1
      this.#ends[k] = end
      this.#pos = end + 1
      return true
    }
    if (c === 0x6e) return this.#word(b, stop, NULL_BYTES, NULL, k)
    if (c === 0x74) return this.#word(b, stop, TRUE_BYTES, TRUE, k)
    if (c === 0x66) return this.#word(b, stop, FALSE_BYTES, FALSE, k)
    return this.#number(b, stop, k)
  }

  #word(b: Uint8Array, stop: number, word: Uint8Array, slot: number, k: number): boolean {
    const at = this.#pos
    if (at + word.length > stop) return false
    for (let j = 1; j < word.length; j++) if (b[at + j] !== word[j]) return false
    this.#pos = at + word.length
    this.#slots[k] = slot
    return true
  }

  /** `-?(0|[1-9]\d*)(\.\d+)?` with fewer than 16 digits and points and a fraction not of zeros only; no exponent. */
  #number(b: Uint8Array, stop: number, k: number): boolean {
    let i = this.#pos
    const negative = b[i] === 0x2d
    if (negative) i++
    if (i >= stop) return false
    const first = b[i] as number
    if (first < 0x30 || first > 0x39 || (first === 0x30 && i + 1 < stop && isDigit(b[i + 1] as number))) return false
    let mantissa = 0
    let digits = 0
    for (; i < stop && isDigit(b[i] as number); i++, digits++) mantissa = mantissa * 10 + ((b[i] as number) - 0x30)
    let scale = 0
    if (i < stop && b[i] === 0x2e) {
      let nonZero = false
      for (i++; i < stop && isDigit(b[i] as number); i++, scale++) {
        nonZero ||= b[i] !== 0x30
        mantissa = mantissa * 10 + ((b[i] as number) - 0x30)
      }
      if (scale === 0 || !nonZero) return false
    }
    if ((i < stop && (b[i] === 0x65 || b[i] === 0x45)) || digits + scale + (scale > 0 ? 1 : 0) >= RISKY_RUN) return false
    // Both exact (< 2^53, 10^scale <= 10^14), so the quotient is the correctly rounded value, as JSON.parse gives.
    const value = scale === 0 ? mantissa : mantissa / (POW10[scale] as number)
    this.#numbers[k] = negative ? -value : value
    this.#slots[k] = scale === 0 ? NUMBER : NUMBER + FRACTION
    this.#pos = i
    return true
  }

  /** True when column `k`'s slot is a value the column takes as is (else the exact path decides). */
  #fits(column: Column, k: number): boolean {
    const slot = this.#slots[k] as number
    if (slot === MISSING || slot === NULL) return column.nullable
    switch (column.kind) {
      case 'string': return slot === STRING
      case 'boolean': return slot === TRUE || slot === FALSE
      case 'long': return slot === NUMBER
      case 'int': return slot === NUMBER && (this.#numbers[k] as number) >= column.min && (this.#numbers[k] as number) <= column.max
      case 'double': return (slot & 0x0f) === NUMBER
      case 'float': return (slot & 0x0f) === NUMBER && Math.abs(this.#numbers[k] as number) <= FLOAT_SAFE
      case 'date': return slot === STRING && this.#dateDays(k)
    }
  }

  /** Column `k`'s string as a `YYYY-MM-DD` date (years 0001-9999) into its number slot (days); false for any other text. */
  #dateDays(k: number): boolean {
    const days = bytesDays(this.#bytes, this.#starts[k] as number, this.#ends[k] as number)
    this.#numbers[k] = days
    return days === days
  }

  /** Appends column `k`'s slot, checked by `#fits`: a number as it is (a long without a bigint), a string as its bytes. */
  #append(builder: BatchBuilder, b: Uint8Array, k: number): void {
    const slot = this.#slots[k] as number
    if (slot === STRING && (this.#columns[k] as Column).kind === 'date') builder.appendNumber(k, this.#numbers[k] as number)
    else if (slot === STRING) builder.appendUtf8(k, b, this.#starts[k] as number, this.#ends[k] as number)
    else if (slot === MISSING || slot === NULL) builder.appendValue(k, null)
    else if (slot === TRUE || slot === FALSE) builder.appendValue(k, slot === TRUE)
    else builder.appendNumber(k, this.#numbers[k] as number)
  }
}

const NULL_BYTES = new TextEncoder().encode('null')
const TRUE_BYTES = new TextEncoder().encode('true')
const FALSE_BYTES = new TextEncoder().encode('false')

/**
 * A parser for `schema` when every column is long, integer, short, byte, double, float, string,
 * boolean or date and none is generated; undefined otherwise.
 */
export function flatLineParserFor(schema: StructType): FlatLineParser | undefined {
  const columns: Column[] = []
  const encoder = new TextEncoder()
  for (const field of schema.fields) {
    if (field.type.kind !== 'primitive' || field.metadata['delta.generationExpression'] !== undefined) return undefined
    const type = field.type.name
    const kind: Kind | undefined = type === 'long' || type === 'double' || type === 'float' || type === 'string' || type === 'boolean' || type === 'date' ? type : INT_RANGES[type] === undefined ? undefined : 'int'
    if (kind === undefined) return undefined
    const [min, max] = INT_RANGES[type] ?? [0, 0]
    const name = encoder.encode(field.name)
    const plain = name.every((c) => c >= 0x20 && c !== 0x22 && c !== 0x5c)
    columns.push({ name, key: plain ? encoder.encode(`"${field.name}":`) : undefined, kind, nullable: field.nullable, min, max })
  }
  return new FlatLineParser(columns)
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** The number of the ASCII digits `b[start, start + count)`, or -1 when one is not a digit. */
function digitsAt(b: Uint8Array, start: number, count: number): number {
  let n = 0
  for (let i = start; i < start + count; i++) {
    const d = (b[i] as number) - 0x30
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}

/** Days since the epoch of the bytes `b[start, end)` when they are a real `YYYY-MM-DD` date of years 0001-9999 (the row coercer's dates), else NaN. */
function bytesDays(b: Uint8Array, start: number, end: number): number {
  if (end - start !== 10 || b[start + 4] !== 0x2d || b[start + 7] !== 0x2d) return Number.NaN
  const y = digitsAt(b, start, 4)
  const m = digitsAt(b, start + 5, 2)
  const d = digitsAt(b, start + 8, 2)
  if (y < 1 || m < 1 || m > 12 || d < 1) return Number.NaN
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  return d > (m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] as number)) ? Number.NaN : daysFromCivil(y, m, d)
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** The index after JSON whitespace from `i`, within the line (a newline ends the line, so it is not skipped). */
function ws(b: Uint8Array, i: number, stop: number): number {
  let j = i
  while (j < stop && (b[j] === 0x20 || b[j] === 0x09 || b[j] === 0x0d)) j++
  return j
}

/** After a record's closing brace at `i - 1`: the start of the next line when only whitespace and the line's end follow, else -1. */
function lineEnd(b: Uint8Array, i: number, stop: number): number {
  const j = ws(b, i, stop)
  if (j === stop) return stop
  return b[j] === NEWLINE ? j + 1 : -1
}

/** The index of the quote closing a string that starts at `i` (after its opening quote), or -1 for an escape, a control character (a newline too) or no end. */
function plainString(b: Uint8Array, i: number, stop: number): number {
  for (let j = i; j < stop; j++) {
    const c = b[j] as number
    if (c === 0x22) return j
    if (c === 0x5c || c < 0x20) return -1
  }
  return -1
}

function sameBytes(name: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (name.length !== end - start) return false
  for (let j = 0; j < name.length; j++) if (name[j] !== b[start + j]) return false
  return true
}
