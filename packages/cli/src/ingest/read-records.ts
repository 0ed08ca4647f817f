// Streams records from NDJSON or CSV input in batches of bounded size, read and typed by @lake/ingest's
// one reader and typer (`readTextRecords`): the same rules as its sources, for files and stdin.

import { addAbortSignal } from 'node:stream'
import type { Readable } from 'node:stream'
import type { StructType } from '@lake/core'
import { readTextRecords } from '@lake/ingest'

/** Input formats of `lake ingest`. */
export type InputFormat = 'ndjson' | 'csv'

/** One record, column name → value (a null-prototype object for CSV). */
export type InputRecord = Record<string, unknown>

/** The input's batches, and the schema a new table gets from them. */
export interface OpenedRecords {
  /** CSV into a new table (no `tableSchema`): the inferred column types (`date` included); else undefined. */
  readonly schema: StructType | undefined
  readonly batches: AsyncGenerator<InputRecord[]>
}

/**
 * Opens `input`: reads its first batch and returns the batches (of at most `batchRows` records), that
 * one first; they stop with the signal's reason when it aborts. `tableSchema` is the existing table's:
 * CSV cells are cast to its column types (columns it lacks, and every column of a new table, are typed
 * from the first 1,000 records). NDJSON numbers: `number` when a double holds them exactly, `bigint`
 * for integers beyond 2^53, and core's `JsonNumber` (exact text) otherwise, also for doubles written
 * as `5.0`; `appendRows` and `writeDelta` turn those into their column's exact value.
 * @throws IngestError `InvalidArgument` naming the line of malformed input; SchemaError for a CSV cell its column refuses.
 */
export async function openRecords(input: Readable, format: InputFormat, batchRows: number, signal: AbortSignal, tableSchema: StructType | undefined): Promise<OpenedRecords> {
  let inferred: StructType | undefined
  // The signal destroys the input, so a read waiting on stdin ends too.
  const bytes = addAbortSignal(signal, input) as AsyncIterable<Uint8Array>
  const all = batchesOf(readTextRecords(bytes, { format, schema: tableSchema, signal, onSchema: (s) => (inferred = s) }), batchRows, signal)
  const first = await all.next()
  async function* batches(): AsyncGenerator<InputRecord[]> {
    if (first.done === true) return
    yield first.value
    yield* all
  }
  return { schema: tableSchema === undefined ? inferred : undefined, batches: batches() }
}

async function* batchesOf(records: AsyncIterable<InputRecord>, batchRows: number, signal: AbortSignal): AsyncGenerator<InputRecord[]> {
  let batch: InputRecord[] = []
  for await (const record of records) {
    batch.push(record)
    if (batch.length >= batchRows) {
      yield batch
      batch = []
    }
  }
  signal.throwIfAborted()
  if (batch.length > 0) yield batch
}
