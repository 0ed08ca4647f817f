// CSV source: streaming csv-parse over a file or replayable stream, header line required.
// Offsets are { line: records consumed, byte }; the batch unit is records. Cells are typed.

import type { DataType, StructType } from '@lake/parquet'
import type { JsonValue } from '../types.js'
import { resolveByteInput } from './byte-source.js'
import type { ByteInput, OpenBytes } from './byte-source.js'
import { castCell, inferCsvSchema } from './csv-cast.js'
import { checkHeader, csvEvents } from './csv-records.js'
import type { CsvEvent } from './csv-records.js'
import { fingerprintOf } from './fingerprint.js'
import { lineOffsetJson, parseLineOffset } from './line-offset.js'
import type { LineOffset } from './line-offset.js'
import type { ReadContext, Source, SourceRecord } from './source.js'

/** Options of `CsvSource`. */
export type CsvSourceOptions = ByteInput & {
  /** Field delimiter. Default `,`. */
  readonly delimiter?: string
  /** Records read by `schema()` to infer types. Default 1000. */
  readonly sampleRecords?: number
  /** The longest record accepted, in characters; a longer one fails the read. Default 64 Mi. */
  readonly maxLineBytes?: number
}

/**
 * Reads UTF-8 CSV with a header line (`csvEvents`; a header with an empty or repeated name, also
 * differing only in case, is an IngestError `InvalidArgument` naming the column). Each cell is cast
 * to the table column's type (`castCell`); for a column the table lacks, to the type inferred from
 * the sample (`inferCsvSchema`: long, double, boolean, date, timestamp, else string). A record with
 * the wrong number of cells, a cell that does not parse as its type, or malformed quoting becomes an
 * `invalid` record with the raw text and its 1-based record number as `position`; its message names
 * the input's 1-based line when this source knows it (a read from the start, or from where an
 * earlier read of this instance ended), else the record number. Bytes that are not UTF-8, or a
 * record longer than `maxLineBytes`, fail the read.
 */
export class CsvSource implements Source {
  readonly #open: OpenBytes
  readonly #identity: string
  readonly #delimiter: string
  readonly #sampleRecords: number
  readonly #maxRecordChars: number | undefined
  #header: Promise<{ columns: string[]; byte: number }> | undefined
  /** Lines before a byte offset, for the offsets whose line is known (the header's end, ends of ranges read). */
  readonly #linesBefore = new Map<number, number>([[0, 0]])
  #inferred: Promise<StructType | undefined> | undefined

  constructor(options: CsvSourceOptions) {
    const input = resolveByteInput(options)
    this.#open = input.open
    this.#identity = input.identity
    this.#delimiter = options.delimiter ?? ','
    this.#sampleRecords = options.sampleRecords ?? 1000
    this.#maxRecordChars = options.maxLineBytes
  }

  /** Positions are 1-based record numbers (the header is not a record): `record 3`. */
  describePosition(position: JsonValue): string {
    return `record ${JSON.stringify(position)}`
  }

  fingerprint(): string {
    return fingerprintOf('csv', { input: this.#identity, delimiter: this.#delimiter })
  }

  async initialOffset(): Promise<JsonValue> {
    return lineOffsetJson({ line: 0, byte: (await this.#readHeader()).byte })
  }

  async latestOffset(start: JsonValue, limit: number | undefined): Promise<JsonValue> {
    const from = parseLineOffset(start, 'csv')
    let end: LineOffset = from
    const max = limit ?? Number.POSITIVE_INFINITY
    for await (const event of this.#events(from.byte, undefined)) {
      end = { line: end.line + 1, byte: event.end }
      if (end.line - from.line >= max) break
    }
    return lineOffsetJson(end)
  }

  async *read(start: JsonValue, end: JsonValue, context: ReadContext = {}): AsyncGenerator<SourceRecord> {
    const from = parseLineOffset(start, 'csv')
    const to = parseLineOffset(end, 'csv')
    const { columns } = await this.#readHeader()
    const types = await this.#columnTypes(columns, context.schema)
    // Messages name the input's line when the range starts where the line is known, else the record.
    const known = this.#linesBefore.get(from.byte)
    let n = from.line
    let last: CsvEvent | undefined
    for await (const event of this.#events(from.byte, to.byte)) {
      context.signal?.throwIfAborted()
      n++
      last = event
      const at = known === undefined ? `record ${n}` : `line ${event.line}`
      if (event.kind === 'error') {
        yield { kind: 'invalid', raw: event.raw, code: 'InvalidCsv', message: `${at}: ${event.message}`, position: n }
      } else if (event.cells.length !== columns.length) {
        yield { kind: 'invalid', raw: event.raw, code: 'InvalidCsv', message: `${at}: expected ${columns.length} cells, found ${event.cells.length}`, position: n }
      } else {
        yield toRecord(event, columns, types, n, at)
      }
    }
    // The next range starts here: its lines are known too.
    if (known !== undefined && last !== undefined) this.#linesBefore.set(last.end, last.line)
  }

  async schema(): Promise<StructType | undefined> {
    this.#inferred ??= this.#infer()
    return this.#inferred
  }

  async #infer(): Promise<StructType | undefined> {
    const { columns, byte } = await this.#readHeader()
    const rows: string[][] = []
    for await (const event of this.#events(byte, undefined)) {
      if (event.kind === 'record' && event.cells.length === columns.length) rows.push(event.cells)
      if (rows.length >= this.#sampleRecords) break
    }
    return inferCsvSchema(columns, rows)
  }

  async #columnTypes(columns: readonly string[], table: StructType | undefined): Promise<DataType[]> {
    const inferred = await this.schema()
    const find = (s: StructType | undefined, name: string): DataType | undefined => s?.fields.find((f) => f.name === name || f.name.toLowerCase() === name.toLowerCase())?.type
    return columns.map((c) => find(table, c) ?? find(inferred, c) ?? { kind: 'primitive', name: 'string' })
  }

  #readHeader(): Promise<{ columns: string[]; byte: number }> {
    this.#header ??= (async () => {
      for await (const event of this.#events(0, undefined)) {
        if (event.kind !== 'record') break
        this.#linesBefore.set(event.end, event.line)
        return { columns: checkHeader(event.cells), byte: event.end }
      }
      return { columns: [], byte: 0 }
    })()
    return this.#header
  }

  /** Parsed records (and malformed ones) of bytes [from, to), each with its end byte offset. */
  #events(from: number, to: number | undefined): AsyncGenerator<CsvEvent> {
    const before = this.#linesBefore.get(from)
    return csvEvents(this.#open(from, to), from, {
      delimiter: this.#delimiter,
      ...(this.#maxRecordChars === undefined ? {} : { maxRecordChars: this.#maxRecordChars }),
      ...(before === undefined ? {} : { firstLine: before + 1 }),
    })
  }
}

function toRecord(event: { cells: string[]; raw: string }, columns: readonly string[], types: readonly DataType[], n: number, at: string): SourceRecord {
  const value: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as string
    const cast = castCell(event.cells[i] ?? '', types[i] as DataType, column)
    if (!cast.ok) return { kind: 'invalid', raw: event.raw, code: 'SchemaMismatch', message: `${at}: ${cast.message}`, position: n }
    value[column] = cast.value
  }
  return { kind: 'record', value, position: n }
}
