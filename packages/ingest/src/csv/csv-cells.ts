// The cells of one parsed CSV record written straight into the Arrow column builders, each with the
// casting rules of the row route (`castCell`, then core's row coercer): empty is null, longs exact
// (bigint), doubles as `Number` reads them. Plain cells take a fast path from the bytes (short
// integers, short decimals, true/false, string bytes copied as they are); any other cell is cast as
// text by `castCell` and coerced by its column's coercer, so values and errors stay those of the row route.

import { createRowCoercer } from '@lake/core/encode'
import type { RowCoercer } from '@lake/core/encode'
import type { BatchBuilder, DataType, StructField } from '@lake/parquet'
import { isLakeError } from '@lake/storage'
import type { ErrorContext, LakeErrorCode } from '@lake/storage'
import { castCell } from '../sources/csv-cast.js'
import { fieldText } from './csv-record-parser.js'
import type { CsvRecordParser } from './csv-record-parser.js'

type Kind = 'string' | 'long' | 'int' | 'double' | 'boolean' | 'date' | 'other'

/** A column of the table as the cells of one CSV column fill it. */
interface CellColumn {
  /** The table column's index (its builder). */
  readonly k: number
  readonly field: StructField
  readonly kind: Kind
  readonly min: number
  readonly max: number
  readonly coerce: RowCoercer
}

/** A refused cell, as a result the pool can carry. */
export interface CellFailure {
  readonly code: LakeErrorCode
  readonly message: string
  readonly context: ErrorContext
}

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = { integer: [-2147483648, 2147483647], short: [-32768, 32767], byte: [-128, 127] }
/** Digits (and point) in a number from which the text route takes over: below it, mantissa and 10^scale are exact. */
const SAFE_DIGITS = 15
const POW10 = Array.from({ length: SAFE_DIGITS + 1 }, (_, i) => 10 ** i)
const TRUE = [0x74, 0x72, 0x75, 0x65]
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65]

/** Writes records of one CSV header (its columns mapped to table columns) into a `BatchBuilder`. */
export class CsvCellWriter {
  readonly #columns: readonly CellColumn[]
  /** Table columns no CSV column fills: null in every row (or the coercer's error). */
  readonly #absent: readonly CellColumn[]
  #scratch = new Uint8Array(1024)

  /** `at[i]`: the table column of CSV column `i` (every one mapped). */
  constructor(fields: readonly StructField[], at: readonly number[]) {
    const column = (k: number): CellColumn => cellColumn(k, fields[k] as StructField)
    this.#columns = at.map(column)
    this.#absent = fields.flatMap((_, k) => (at.includes(k) ? [] : [column(k)]))
  }

  /** Appends the record `parser` holds (its cells in `b`) as row `row` on line `line`; a refused cell's failure otherwise. */
  write(parser: CsvRecordParser, b: Buffer, builder: BatchBuilder, line: number, row: number): CellFailure | undefined {
    const columns = this.#columns
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as CellColumn
      const start = parser.starts[i] as number
      const end = parser.ends[i] as number
      if (parser.escaped[i] === 0 && this.#fast(column, b, start, end, builder)) continue
      const failure = this.#exact(column, fieldText(parser, b, i), builder, line, row)
      if (failure !== undefined) return failure
    }
    for (const column of this.#absent) {
      const failure = coerceInto(column, null, builder, line, row)
      if (failure !== undefined) return failure
    }
    builder.endRow()
    return undefined
  }

  /** The cell `b[start, end)` appended from its bytes: true; false when the text route decides. */
  #fast(column: CellColumn, b: Buffer, start: number, end: number, builder: BatchBuilder): boolean {
    const k = column.k
    if (start === end) {
      if (!column.field.nullable) return false
      builder.appendValue(k, null)
      return true
    }
    switch (column.kind) {
      case 'string':
        builder.appendUtf8(k, b, start, end)
        return true
      case 'boolean': {
        const value = word(b, start, end, TRUE) ? true : word(b, start, end, FALSE) ? false : undefined
        if (value === undefined) return false
        builder.appendValue(k, value)
        return true
      }
      case 'long':
      case 'int':
      case 'double': {
        const value = plainNumber(b, start, end, column.kind === 'double')
        if (value === undefined || (column.kind === 'int' && (value < column.min || value > column.max))) return false
        builder.appendValue(k, column.kind === 'long' ? BigInt(value) : value)
        return true
      }
      case 'date':
        if (!plainDate(b, start, end)) return false
        builder.appendValue(k, b.toString('latin1', start, end))
        return true
      default:
        return false
    }
  }

  /** The cell's text cast as `castCell` casts it and coerced by its column's coercer. */
  #exact(column: CellColumn, text: string, builder: BatchBuilder, line: number, row: number): CellFailure | undefined {
    if (column.kind === 'string' && text !== '') {
      const bytes = Buffer.from(text, 'utf8')
      if (bytes.length > this.#scratch.length) this.#scratch = new Uint8Array(bytes.length * 2)
      this.#scratch.set(bytes)
      builder.appendUtf8(column.k, this.#scratch, 0, bytes.length)
      return undefined
    }
    const cast = castCell(text, column.field.type, column.field.name)
    if (!cast.ok) return { code: 'SchemaMismatch', message: `line ${line}: ${cast.message}`, context: { line, row, column: column.field.name } }
    return coerceInto(column, cast.value, builder, line, row)
  }
}

/** `value` coerced by the column's coercer into its builder; its error said at `line`. */
function coerceInto(column: CellColumn, value: unknown, builder: BatchBuilder, line: number, row: number): CellFailure | undefined {
  const input = Object.create(null) as Record<string, unknown>
  input[column.field.name] = value
  try {
    builder.appendValue(column.k, column.coerce(input, row)[column.field.name] ?? null)
    return undefined
  } catch (err) {
    if (!isLakeError(err)) throw err
    return { code: err.code, message: err.message.replace(new RegExp(`\\bin row ${row}\\b`), `on line ${line}`), context: { ...err.context, line } }
  }
}

function cellColumn(k: number, field: StructField): CellColumn {
  const type: DataType = field.type
  const name = type.kind === 'primitive' ? type.name : ''
  const kind: Kind = name === 'string' || name === 'long' || name === 'double' || name === 'boolean' || name === 'date' ? name : INT_RANGES[name] === undefined ? 'other' : 'int'
  const [min, max] = INT_RANGES[name] ?? [0, 0]
  return { k, field, kind, min, max, coerce: createRowCoercer({ kind: 'struct', fields: [field] }) }
}

/** `b[start, end)` equals `letters` in any case. */
function word(b: Uint8Array, start: number, end: number, letters: readonly number[]): boolean {
  if (end - start !== letters.length) return false
  for (let j = 0; j < letters.length; j++) if (((b[start + j] as number) | 0x20) !== letters[j]) return false
  return true
}

/**
 * `[+-]?\d+` (and `\.\d+` when `fraction`) with at most 15 digits, as its exact number (`Number`
 * reads the same: mantissa and 10^scale are exact, so the quotient is correctly rounded); else undefined.
 */
function plainNumber(b: Uint8Array, start: number, end: number, fraction: boolean): number | undefined {
  let i = start
  const sign = b[i]
  const negative = sign === 0x2d
  if (negative || sign === 0x2b) i++
  let mantissa = 0
  let digits = 0
  let scale = -1
  for (; i < end; i++) {
    const c = b[i] as number
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30)
      digits++
      if (scale >= 0) scale++
    } else if (c === 0x2e && fraction && scale < 0 && digits > 0) scale = 0
    else return undefined
  }
  if (digits === 0 || digits > SAFE_DIGITS || scale === 0) return undefined
  const value = scale > 0 ? mantissa / (POW10[scale] as number) : mantissa
  return negative ? -value : value
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** `YYYY-MM-DD` of a valid date in 0001..9999: what the date coercer keeps as it is. */
function plainDate(b: Uint8Array, start: number, end: number): boolean {
  if (end - start !== 10 || b[start + 4] !== 0x2d || b[start + 7] !== 0x2d) return false
  const year = digits(b, start, 4)
  const month = digits(b, start + 5, 2)
  const day = digits(b, start + 8, 2)
  if (!(year >= 1 && month >= 1 && month <= 12 && day >= 1)) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number))
}

/** The number of the ASCII digits `b[at, at + count)`, or -1 when one is not a digit. */
function digits(b: Uint8Array, at: number, count: number): number {
  let n = 0
  for (let i = at; i < at + count; i++) {
    const digit = (b[i] as number) - 0x30
    if (!(digit >= 0 && digit <= 9)) return -1
    n = n * 10 + digit
  }
  return n
}
