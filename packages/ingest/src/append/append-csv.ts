// appendCsv: CSV bytes appended to a Delta table in one commit, parsed where they are encoded. The
// calling thread reads the header once and cuts the records into chunks at record ends outside
// quotes (`csvChunks`); each encoder worker parses its chunk's records, casts and coerces their
// cells to the table's schema and encodes them (Arrow column builders where the schema allows).

import { availableParallelism } from 'node:os'
import type { TableLocation } from '@lake/core'
import { IngestError } from '../errors.js'
import { csvChunks } from '../csv/csv-chunks.js'
import type { CsvHeader } from '../csv/csv-chunks.js'
import { abortError } from './abort-error.js'
import { DEFAULT_LINE_CHUNK_BYTES } from './append-ndjson.js'
import type { AppendOptions, AppendResult } from './append-types.js'
import { DEFAULT_CHUNK_ROWS } from './chunk-rows.js'
import { runAppend } from './run-append.js'

/** Options of `appendCsv`. */
export interface CsvAppendOptions extends AppendOptions {
  /** The field delimiter, one ASCII character. Default `,`. */
  readonly delimiter?: string
  /** The longest record accepted, in bytes. Default 64 MiB (`DEFAULT_MAX_LINE_BYTES`). */
  readonly maxLineBytes?: number
}

/**
 * Appends the records of CSV `bytes` (UTF-8 with a header record; a byte order mark before it
 * skipped; records end in LF or CRLF, as the first line end after the header says) in **one**
 * commit, like `appendRows`. Cells are cast as `CsvSource` casts them to the table's column types
 * (or `options.schema`'s for a new table; `castCell`: empty is null, longs exact, decimals as their
 * digits) and coerced as the row route coerces; a CSV column fills the table column of its name (or
 * the one differing only in case), table columns the CSV lacks are null. Chunks hold at most
 * `chunkRows` records and about `chunkBytes` bytes (default 16 MiB) of whole records; `encoders`
 * defaults to one per core (this thread does not parse).
 * @throws IngestError `InvalidArgument` for a new table without `options.schema`, a malformed header
 *   (context `{ column }` for an empty or repeated name), a bare CR line end, a record over
 *   `maxLineBytes` (context `{ line, maxLineBytes }`), a malformed record or one with another number
 *   of cells than the header (context `{ line, record: 'InvalidCsv' }`), bytes that are not UTF-8
 *   (`record: 'InvalidUtf8'`); SchemaError `SchemaMismatch` for a cell its column refuses (message
 *   `line N: ...`, context `line` and `row`); and what `appendRows` throws.
 */
export async function appendCsv(location: TableLocation, bytes: AsyncIterable<Uint8Array>, options: CsvAppendOptions = {}): Promise<AppendResult> {
  const encoders = options.encoders ?? Math.max(1, availableParallelism())
  const delimiter = checkDelimiter(options.delimiter ?? ',')
  return runAppend(location, { ...options, encoders }, 'appendCsv', async (pipeline, schema, signal) => {
    if (schema === undefined) {
      throw new IngestError('InvalidArgument', 'appendCsv: expected options.schema to create a new table with, found none; Help: pass the schema (e.g. CsvSource.schema() infers one)', {
        context: { option: 'schema' },
      })
    }
    let rows = 0
    let header: CsvHeader | undefined
    const limits = { rows: options.chunkRows ?? DEFAULT_CHUNK_ROWS, bytes: options.chunkBytes ?? DEFAULT_LINE_CHUNK_BYTES, maxLineBytes: options.maxLineBytes, delimiter: options.delimiter }
    for await (const piece of csvChunks(bytes, limits)) {
      if (signal?.aborted) throw abortError(signal, 'appendCsv')
      if (piece.kind === 'header') header = piece
      else if (header !== undefined) {
        await pipeline.pushCsv(piece, header, delimiter, schema)
        rows += piece.records
      }
    }
    return { rows, schema }
  })
}

/** The delimiter's byte. @throws IngestError `InvalidArgument` unless one ASCII character other than a quote or a line end. */
function checkDelimiter(delimiter: string): number {
  const byte = delimiter.charCodeAt(0)
  if (delimiter.length !== 1 || byte > 0x7f || byte === 0x22 || byte === 0x0a || byte === 0x0d) {
    throw new IngestError('InvalidArgument', `appendCsv: expected a delimiter of one ASCII character other than a quote or a line end, found ${JSON.stringify(delimiter)}`, { context: { option: 'delimiter' } })
  }
  return byte
}
