// CSV source: streaming csv-parse over a file or replayable stream, header line required.
// Offsets are { line: records consumed, byte }; the batch unit is records. Cells are typed.

import { parse } from 'csv-parse'
import type { Parser } from 'csv-parse'
import type { DataType, StructType } from '@lake/parquet'
import type { JsonValue } from '../types.js'
import { resolveByteInput } from './byte-source.js'
import type { ByteInput, OpenBytes } from './byte-source.js'
import { castCell, inferCsvSchema } from './csv-cast.js'
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
}

type Event = { readonly kind: 'record'; readonly cells: string[]; readonly raw: string; readonly end: number } | { readonly kind: 'error'; readonly raw: string; readonly message: string; readonly end: number }

/**
 * Reads CSV with a header line. Each cell is cast to the table column's type (`castCell`); for
 * a column the table lacks, to the type inferred from the sample (`inferCsvSchema`: long, double,
 * boolean, date, timestamp, else string). A record with the wrong number of cells, a cell that
 * does not parse as its type, or malformed quoting becomes an `invalid` record with the raw text
 * and its 1-based record number as `position`.
 */
export class CsvSource implements Source {
  readonly #open: OpenBytes
  readonly #identity: string
  readonly #delimiter: string
  readonly #sampleRecords: number
  #header: Promise<{ columns: string[]; byte: number }> | undefined
  #inferred: Promise<StructType | undefined> | undefined

  constructor(options: CsvSourceOptions) {
    const input = resolveByteInput(options)
    this.#open = input.open
    this.#identity = input.identity
    this.#delimiter = options.delimiter ?? ','
    this.#sampleRecords = options.sampleRecords ?? 1000
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
    let n = from.line
    for await (const event of this.#events(from.byte, to.byte)) {
      context.signal?.throwIfAborted()
      n++
      if (event.kind === 'error') {
        yield { kind: 'invalid', raw: event.raw, code: 'InvalidCsv', message: `record ${n}: ${event.message}`, position: n }
      } else if (event.cells.length !== columns.length) {
        yield { kind: 'invalid', raw: event.raw, code: 'InvalidCsv', message: `record ${n}: expected ${columns.length} cells, found ${event.cells.length}`, position: n }
      } else {
        yield toRecord(event, columns, types, n)
      }
    }
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
        if (event.kind === 'record') return { columns: event.cells, byte: event.end }
        break
      }
      return { columns: [], byte: 0 }
    })()
    return this.#header
  }

  /** Parsed records (and malformed ones) of bytes [from, to), each with its end byte offset. */
  async *#events(from: number, to: number | undefined): AsyncGenerator<Event> {
    const parser: Parser = parse({ delimiter: this.#delimiter, info: true, raw: true, relax_column_count: true, skip_records_with_error: true, bom: from === 0 })
    const errors: Event[] = []
    parser.on('skip', (err: Error & { raw?: string }) => errors.push({ kind: 'error', raw: err.raw ?? '', message: err.message, end: from + parser.info.bytes }))
    const feed = pipeBytes(this.#open(from, to), parser)
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; raw: string; info: { bytes: number } }>) {
        while (errors.length > 0) yield errors.shift() as Event
        yield { kind: 'record', cells: item.record, raw: item.raw.replace(/\r?\n$/, ''), end: from + item.info.bytes }
      }
      while (errors.length > 0) yield errors.shift() as Event
    } finally {
      parser.destroy()
      await feed
    }
  }
}

function toRecord(event: { cells: string[]; raw: string }, columns: readonly string[], types: readonly DataType[], n: number): SourceRecord {
  const value: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as string
    const cast = castCell(event.cells[i] ?? '', types[i] as DataType, column)
    if (!cast.ok) return { kind: 'invalid', raw: event.raw, code: 'SchemaMismatch', message: `record ${n}: ${cast.message}`, position: n }
    value[column] = cast.value
  }
  return { kind: 'record', value, position: n }
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
