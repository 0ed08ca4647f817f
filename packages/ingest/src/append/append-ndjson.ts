// appendNdjson: NDJSON bytes appended to a Delta table in one commit, parsed where they are encoded.
// The calling thread only cuts the bytes into line-aligned chunks (`lineChunks`); each encoder
// worker parses its chunk's lines, coerces the records to the table's schema and encodes them
// (Arrow column builders where the schema allows), so no row object is built or cloned here.

import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import type { TableLocation } from '@lake/core'
import { IngestError } from '../errors.js'
import { lineChunks } from '../lines/line-chunks.js'
import { ChunkPool } from '../lines/chunk-pool.js'
import { CHUNK_READ_BYTES, readLineChunks } from '../lines/read-line-chunks.js'
import type { ReadInto } from '../lines/read-line-chunks.js'
import { abortError } from './abort-error.js'
import type { AppendOptions, AppendResult } from './append-types.js'
import { DEFAULT_CHUNK_ROWS } from './chunk-rows.js'
import { runAppend } from './run-append.js'

/** Input bytes per chunk of lines unless `chunkRows` cuts first. */
export const DEFAULT_LINE_CHUNK_BYTES = 16 << 20 // 16 MiB

/** Pooled chunk buffers are at most this long (plus a read); a longer chunk gets a buffer of its own. */
const MAX_POOLED_CHUNK_BYTES = 64 << 20 // 64 MiB

/** An NDJSON file, read straight into reused chunk buffers (no copy of its bytes on the calling thread). */
export interface NdjsonFile {
  readonly path: string
}

/** Options of `appendNdjson`. */
export interface NdjsonAppendOptions extends AppendOptions {
  /** The longest line accepted, in bytes. Default 64 MiB (`DEFAULT_MAX_LINE_BYTES`). */
  readonly maxLineBytes?: number
  /** Objects and arrays nest at most this deep. Default 100. */
  readonly maxDepth?: number
}

/**
 * Appends the records of NDJSON `bytes` (UTF-8, one JSON object per line; blank lines skipped; a
 * byte order mark before the first line skipped; a stream, or a file read into reused buffers) in **one** commit, like `appendRows`: a missing
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
export async function appendNdjson(location: TableLocation, bytes: AsyncIterable<Uint8Array> | NdjsonFile, options: NdjsonAppendOptions = {}): Promise<AppendResult> {
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
    const file = Symbol.asyncIterator in bytes ? undefined : await open(bytes.path, 'r')
    try {
      // A file is read straight into pooled buffers that the workers hand back; the chunks in flight, plus the one being filled.
      const pool = new ChunkPool(Math.min(limits.bytes, MAX_POOLED_CHUNK_BYTES) + CHUNK_READ_BYTES, pipeline.maxInFlight + 1)
      const reuse = (buffer: ArrayBuffer): void => pool.give(buffer)
      const chunks = file === undefined ? lineChunks(bytes as AsyncIterable<Uint8Array>, limits) : readLineChunks(readerOf(file), limits, pool)
      for await (const chunk of chunks) {
        if (signal?.aborted) throw abortError(signal, 'appendNdjson')
        await pipeline.pushLines(chunk, schema, options.maxDepth, file === undefined ? undefined : reuse)
        rows += chunk.records
      }
    } finally {
      await file?.close()
    }
    return { rows, schema }
  })
}

/** Reads `file` from where the last read ended. */
function readerOf(file: FileHandle): ReadInto {
  return async (into) => (await file.read(into, 0, into.length, null)).bytesRead
}
