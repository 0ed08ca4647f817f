// appendNdjson: NDJSON bytes appended to a Delta table in one commit, parsed where they are encoded.
// The calling thread only cuts the bytes into line-aligned chunks (`lineChunks`); each encoder
// worker parses its chunk's lines, coerces the records to the table's schema and encodes them
// (Arrow column builders where the schema allows), so no row object is built or cloned here.

import { availableParallelism } from 'node:os'
import type { TableLocation } from '@lake/core'
import { IngestError } from '../errors.js'
import { lineChunks } from '../lines/line-chunks.js'
import { abortError } from './abort-error.js'
import type { AppendOptions, AppendResult } from './append-types.js'
import { DEFAULT_CHUNK_ROWS } from './chunk-rows.js'
import { runAppend } from './run-append.js'

/** Input bytes per chunk of lines unless `chunkRows` cuts first. */
export const DEFAULT_LINE_CHUNK_BYTES = 16 << 20 // 16 MiB

/** Options of `appendNdjson`. */
export interface NdjsonAppendOptions extends AppendOptions {
  /** The longest line accepted, in bytes. Default 64 MiB (`DEFAULT_MAX_LINE_BYTES`). */
  readonly maxLineBytes?: number
  /** Objects and arrays nest at most this deep. Default 100. */
  readonly maxDepth?: number
}

/**
 * Appends the records of NDJSON `bytes` (UTF-8, one JSON object per line; blank lines skipped; a
 * byte order mark before the first line skipped) in **one** commit, like `appendRows`: a missing
 * table is created by that commit, a failure commits nothing and deletes the uploaded files. Lines
 * are read as `NdjsonSource` reads them (numbers exact for their column: bigint longs, decimal
 * digits) against the table's schema, or `options.schema` for a new table. Chunks hold at most
 * `chunkRows` records and about `chunkBytes` bytes (default 16 MiB) of whole lines; `encoders`
 * defaults to one per core (this thread does not parse).
 * @throws IngestError `InvalidArgument` for a new table without `options.schema`, a line over
 *   `maxLineBytes` (context `{ line, maxLineBytes }`), and a line that is not a JSON object (context
 *   `{ line, record }`, `record` being `InvalidJson`, `NotAnObject` or `InvalidUtf8`); SchemaError
 *   `SchemaMismatch` for a value its column refuses (context `line` and `row`; `record` when a number
 *   cannot be parsed for its long column); and what `appendRows` throws.
 */
export async function appendNdjson(location: TableLocation, bytes: AsyncIterable<Uint8Array>, options: NdjsonAppendOptions = {}): Promise<AppendResult> {
  // This thread only cuts lines, so by default every core encodes.
  const encoders = options.encoders ?? Math.max(1, availableParallelism())
  return runAppend(location, { ...options, encoders }, 'appendNdjson', async (pipeline, schema, signal) => {
    if (schema === undefined) {
      throw new IngestError('InvalidArgument', 'appendNdjson: expected options.schema to create a new table with, found none; Help: pass the schema (e.g. NdjsonSource.schema() infers one)', {
        context: { option: 'schema' },
      })
    }
    let rows = 0
    const limits = { rows: options.chunkRows ?? DEFAULT_CHUNK_ROWS, bytes: options.chunkBytes ?? DEFAULT_LINE_CHUNK_BYTES, maxLineBytes: options.maxLineBytes }
    for await (const chunk of lineChunks(bytes, limits)) {
      if (signal?.aborted) throw abortError(signal, 'appendNdjson')
      await pipeline.pushLines(chunk, schema, options.maxDepth)
      rows += chunk.records
    }
    return { rows, schema }
  })
}
