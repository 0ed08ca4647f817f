// The worker side of the CSV route: one chunk of CSV records (cut at record ends by `csvChunks` on
// the main thread, after the header) parsed, cast, coerced and encoded where it lands. A flat
// unpartitioned schema goes from bytes straight into the Arrow column builders (`CsvCellWriter`);
// other chunks become rows (cells cast by `castCell`) and take `encodeChunk`'s way. Pure CPU, no I/O.

import { isUtf8 } from 'node:buffer'
import { DEFAULT_CODEC } from '@lake/core/encode'
import { batchBuilderFor } from '@lake/parquet/arrow'
import type { BatchBuilder, DataType, ParquetCodec, StructType } from '@lake/parquet'
import { isLakeError } from '@lake/storage'
import { encodeChunk } from '../encode/encode-chunk.js'
import type { EncodeResult, EncodeTask } from '../encode/encode-chunk.js'
import { encodeBuilt } from '../encode/encode-columns.js'
import type { LinesResult } from '../lines/lines-result.js'
import { castCell } from '../sources/csv-cast.js'
import { CsvCellWriter } from './csv-cells.js'
import { CsvRecordParser, fieldText } from './csv-record-parser.js'
import type { CsvEol } from './csv-record-parser.js'

/** One chunk of CSV records to parse and encode. Crosses the worker boundary with its bytes transferred. */
export interface CsvTask extends Omit<EncodeTask, 'rows' | 'coerceFrom'> {
  readonly kind: 'csv'
  /** Whole CSV records (no header); owns its ArrayBuffer (moved to the worker). */
  readonly bytes: Uint8Array
  /** The 1-based line the first record starts on. */
  readonly firstLine: number
  /** The 0-based row index of the first record in the input. */
  readonly firstRow: number
  /** The header's column names, in the input's order. */
  readonly columns: readonly string[]
  /** The field delimiter (an ASCII byte). */
  readonly delimiter: number
  readonly eol: CsvEol
}

/**
 * Parses the records of `task`, casts and coerces their cells to `task.schema` and encodes them. A
 * malformed record or one with another number of cells than the header is an `invalid` result
 * (`InvalidCsv`; `InvalidUtf8` for bytes that are not UTF-8), a refused cell a `failed` one
 * (`SchemaMismatch`, message `line N: ...`, context `line` and `row`).
 */
export function encodeCsv(task: CsvTask, codec: ParquetCodec = DEFAULT_CODEC): LinesResult {
  const buf = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength)
  if (!isUtf8(buf)) return invalidUtf8(buf, task.firstLine)
  const at = task.columns.map((c) => columnIndex(task.schema, c))
  const builder = columnsRoute(task, at, codec)
  const records = new Records(task, buf)
  return builder === undefined ? viaRows(task, records, at, codec) : viaColumns(task, records, builder, new CsvCellWriter(task.schema.fields, at), codec)
}

/** The records of a chunk, one at a time, with their line and row. */
export class Records {
  readonly parser: CsvRecordParser
  line: number
  row: number
  #pos = 0
  #next: number

  constructor(
    readonly task: Pick<CsvTask, 'delimiter' | 'eol' | 'firstLine' | 'firstRow' | 'columns'>,
    readonly buf: Buffer,
  ) {
    this.parser = new CsvRecordParser(task.delimiter, task.eol)
    this.line = task.firstLine
    this.#next = task.firstLine
    this.row = task.firstRow - 1
  }

  /** Parses the next record: true, or false at the end; an invalid result when it is malformed or has the wrong number of cells. */
  next(): boolean | LinesResult {
    if (this.#pos >= this.buf.length) return false
    this.line = this.#next
    this.row++
    this.#pos = this.parser.parse(this.buf, this.#pos, this.buf.length)
    this.#next = this.line + this.parser.newlines
    const { error, count } = this.parser
    const expected = this.task.columns.length
    const message = error === undefined ? (count === expected ? undefined : `expected ${expected} cells, found ${count}`) : `expected a well-formed CSV record, found ${error}`
    return message === undefined ? true : { status: 'invalid', code: 'InvalidCsv', message: `line ${this.line}: ${message}`, line: this.line }
  }
}

/** The builder of a chunk that can go straight into columns, else undefined. */
function columnsRoute(task: CsvTask, at: readonly number[], codec: ParquetCodec): BatchBuilder | undefined {
  if (task.partitionColumns.length > 0 || task.targetFileBytes !== undefined || codec.encodeBatch === undefined) return undefined
  if ((task.columnMappingMode ?? 'none') !== 'none') return undefined
  if (at.includes(-1) || task.schema.fields.some((f) => f.metadata['delta.generationExpression'] !== undefined)) return undefined
  return batchBuilderFor(task.schema)
}

function viaColumns(task: CsvTask, records: Records, builder: BatchBuilder, cells: CsvCellWriter, codec: ParquetCodec): LinesResult {
  for (let next = records.next(); next !== false; next = records.next()) {
    if (next !== true) return next
    const failure = cells.write(records.parser, records.buf, builder, records.line, records.row)
    if (failure !== undefined) return { status: 'failed', ...failure }
  }
  try {
    return { status: 'encoded', files: encodeBuilt(builder, task, codec) }
  } catch (err) {
    if (!isLakeError(err)) throw err
    return { status: 'failed', code: err.code, message: err.message, context: err.context }
  }
}

/** Every record cast into a row object (`castCell`, keys as the header names them), then `encodeChunk`. */
function viaRows(task: CsvTask, records: Records, at: readonly number[], codec: ParquetCodec): LinesResult {
  const types: DataType[] = at.map((k) => task.schema.fields[k]?.type ?? { kind: 'primitive', name: 'string' })
  const rows: unknown[] = []
  const lineOf: number[] = []
  for (let next = records.next(); next !== false; next = records.next()) {
    if (next !== true) return next
    const row = Object.create(null) as Record<string, unknown>
    for (let i = 0; i < task.columns.length; i++) {
      const column = task.columns[i] as string
      const cast = castCell(fieldText(records.parser, records.buf, i), types[i] as DataType, column)
      if (!cast.ok) return { status: 'failed', code: 'SchemaMismatch', message: `line ${records.line}: ${cast.message}`, context: { line: records.line, row: records.row, column } }
      row[column] = cast.value
    }
    rows.push(row)
    lineOf.push(records.line)
  }
  const { schema, partitionColumns, compression, maxRowsPerFile, targetFileBytes, statsColumnLimit, columnMappingMode, firstRow } = task
  const result = encodeChunk({ schema, partitionColumns, compression, maxRowsPerFile, targetFileBytes, statsColumnLimit, columnMappingMode, rows, coerceFrom: firstRow }, codec)
  return result.status === 'failed' ? onLine(result, lineOf, firstRow) : result
}

/** The table column a CSV column fills: its exact name, else the one name differing only in case; -1 for none. */
function columnIndex(schema: StructType, name: string): number {
  const exact = schema.fields.findIndex((f) => f.name === name)
  return exact >= 0 ? exact : schema.fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase())
}

/** A refused value's error said at its line: `on line 7`, context `line`. */
function onLine(result: Extract<EncodeResult, { status: 'failed' }>, lineOf: readonly number[], firstRow: number): EncodeResult {
  const row = result.context['row']
  const line = typeof row === 'number' ? lineOf[row - firstRow] : undefined
  if (line === undefined) return result
  return { ...result, message: result.message.replace(new RegExp(`\\bin row ${String(row)}\\b`), `on line ${line}`), context: { ...result.context, line } }
}

/** The first line of `buf` (counted from `firstLine`) that is not UTF-8. */
function invalidUtf8(buf: Buffer, firstLine: number): LinesResult {
  let line = firstLine
  for (let start = 0; start < buf.length; line++) {
    const nl = buf.indexOf(0x0a, start)
    const end = nl === -1 ? buf.length : nl
    if (!isUtf8(buf.subarray(start, end))) break
    start = end + 1
  }
  return { status: 'invalid', code: 'InvalidUtf8', message: `line ${line}: expected UTF-8 text, found invalid UTF-8 bytes`, line }
}
