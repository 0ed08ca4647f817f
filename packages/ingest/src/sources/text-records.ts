// Records of a one-pass NDJSON or CSV byte stream (a file or stdin), read and typed exactly as the
// sources read them: the same line splitter, JSON parser, CSV reader and CSV typer. Bad input is an
// error naming its line, not a dead letter.

import { SchemaError } from '@lake/core'
import type { DataType, StructType } from '@lake/parquet'
import { IngestError } from '../errors.js'
import { castCell, inferCsvSchema } from './csv-cast.js'
import { checkHeader, csvEvents } from './csv-records.js'
import type { CsvEvent } from './csv-records.js'
import { parseJsonExact } from './exact-numbers.js'
import { describeLine } from './scan-json-line.js'
import { splitLines } from './split-lines.js'

/** Options of `readTextRecords`. */
export interface TextRecordsOptions {
  readonly format: 'ndjson' | 'csv'
  /** The existing table's schema: CSV cells of its columns are cast to their types. */
  readonly schema?: StructType | undefined
  /** CSV field delimiter. Default `,`. */
  readonly delimiter?: string
  /** CSV records that type the columns `schema` lacks (held in memory until typed; none are held when it has every column). Default 1000. */
  readonly sampleRecords?: number
  /** The longest line (NDJSON) or record (CSV) accepted. Default 64 MiB. */
  readonly maxLineBytes?: number
  /** NDJSON objects and arrays nest at most this deep. Default 100. */
  readonly maxDepth?: number
  readonly signal?: AbortSignal | undefined
  /**
   * CSV: called once, before the first record, with the schema of the input's columns: the table's
   * types where it has the column, else the inferred ones (so a new table gets `date` columns, which
   * the string values alone would not tell). Pass it as the schema of a new table.
   */
  readonly onSchema?: (schema: StructType) => void
}

/**
 * The records of `bytes`, read once. NDJSON: each non-blank line a JSON object, numbers as
 * `parseJsonExact` gives them (a BOM before the first line is skipped). CSV: a header line, then
 * cells cast by `castCell` to the table's column types, or to the types `inferCsvSchema` gives the
 * first `sampleRecords` records for columns the table lacks; empty cells are null.
 * @throws IngestError `InvalidArgument` (context `{ line }`) for malformed JSON or CSV, a non-object
 *   line, invalid UTF-8, a line over `maxLineBytes`, JSON deeper than `maxDepth`, or a bad CSV header;
 *   SchemaError `SchemaMismatch` (context `{ column, expected, found, line }`) for a cell its column type refuses.
 */
export function readTextRecords(bytes: AsyncIterable<Uint8Array>, options: TextRecordsOptions): AsyncGenerator<Record<string, unknown>> {
  return options.format === 'csv' ? csvRecords(bytes, options) : ndjsonRecords(bytes, options)
}

async function* ndjsonRecords(bytes: AsyncIterable<Uint8Array>, options: TextRecordsOptions): AsyncGenerator<Record<string, unknown>> {
  const parse = options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }
  for await (const { text, line, invalidUtf8 } of splitLines(bytes, 0, options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes })) {
    options.signal?.throwIfAborted()
    if (invalidUtf8) throw atLine(line, 'expected UTF-8 text, found invalid UTF-8 bytes')
    const json = line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
    if (json.trim() === '') continue
    let value: unknown
    try {
      value = parseJsonExact(json, parse)
    } catch (err) {
      if (err instanceof IngestError) throw atLine(line, err.message, err)
      throw err
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw atLine(line, `expected a JSON object, found ${describeLine(json)}`)
    yield value as Record<string, unknown>
  }
}

async function* csvRecords(bytes: AsyncIterable<Uint8Array>, options: TextRecordsOptions): AsyncGenerator<Record<string, unknown>> {
  const events = csvEvents(bytes, 0, {
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    ...(options.maxLineBytes === undefined ? {} : { maxRecordChars: options.maxLineBytes }),
  })
  const first = await events.next()
  if (first.done === true) return
  if (first.value.kind === 'error') throw atLine(first.value.line, `CSV header: ${first.value.message}`)
  const columns = checkHeader(first.value.cells)
  const sample: CsvRecord[] = []
  // Only columns the table lacks need a sample: appends to a table wait for no records.
  const limit = columns.every((c) => tableType(options.schema, c) !== undefined) ? 0 : (options.sampleRecords ?? 1000)
  while (sample.length < limit) {
    const next = await events.next()
    if (next.done === true) break
    options.signal?.throwIfAborted()
    sample.push(checked(next.value, columns.length))
  }
  const types = columnTypes(columns, options.schema, sample)
  options.onSchema?.({ kind: 'struct', fields: columns.map((name, i) => ({ name, type: (types[i] as ColumnType).type, nullable: true, metadata: {} })) })
  for (const record of sample) yield typed(record, columns, types)
  for await (const event of events) {
    options.signal?.throwIfAborted()
    yield typed(checked(event, columns.length), columns, types)
  }
}

type CsvRecord = { readonly cells: readonly string[]; readonly line: number }

function checked(event: CsvEvent, width: number): CsvRecord {
  if (event.kind === 'error') throw atLine(event.line, event.message)
  if (event.cells.length !== width) throw atLine(event.line, `expected ${width} cells as in the header, found ${event.cells.length}`)
  return event
}

/** A column's type, and how many sample records inferred it (0: the table's type). */
type ColumnType = { readonly type: DataType; readonly sampled: number }

/** Each column's type: the table's (matched like core matches names), else inferred from the sample. */
function columnTypes(columns: readonly string[], table: StructType | undefined, sample: readonly CsvRecord[]): ColumnType[] {
  const inferred = inferCsvSchema(columns, sample.map((r) => r.cells))
  return columns.map((c, i) => {
    const type = tableType(table, c)
    return type === undefined ? { type: (inferred.fields[i] as { type: DataType }).type, sampled: sample.length } : { type, sampled: 0 }
  })
}

/** The table's type of a column, matched like core matches names (exactly, else case-insensitively). */
function tableType(table: StructType | undefined, name: string): DataType | undefined {
  const fields = table?.fields ?? []
  return (fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase()))?.type
}

function typed(record: CsvRecord, columns: readonly string[], types: readonly ColumnType[]): Record<string, unknown> {
  const value = Object.create(null) as Record<string, unknown>
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as string
    const { type, sampled } = types[i] as ColumnType
    const cast = castCell(record.cells[i] ?? '', type, column)
    if (!cast.ok) {
      const hint = sampled === 0 ? '' : `\nHelp: the type was inferred from the first ${sampled} records; declare the schema (create the table first, e.g. \`lake create --schema\`) to write other values`
      throw new SchemaError('SchemaMismatch', `line ${record.line}: ${cast.message}${hint}`, {
        context: { column, expected: type.kind === 'primitive' ? type.name : type.kind, found: record.cells[i], line: record.line },
      })
    }
    value[column] = cast.value
  }
  return value
}

function atLine(line: number, message: string, cause?: IngestError): IngestError {
  return new IngestError('InvalidArgument', `line ${line}: ${message}`, { context: { ...cause?.context, line }, ...(cause === undefined ? {} : { cause }) })
}
