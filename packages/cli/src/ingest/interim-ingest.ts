// `lake ingest` over `writeDelta`, for what @lake/ingest's jobs don't cover. Appends commit batch by
// batch (with an appId each batch carries txn {appId, batchNo}, so a rerun skips what landed). Any
// other mode (overwrite, replaceWhere, error, ignore) is one atomic commit: the input is streamed
// into a single `writeDelta` (bounded memory), so a failure leaves the table as it was.

import type { Readable } from 'node:stream'
import { loadSnapshot, writeDelta } from '@lake/core'
import type { Engine, SchemaMode, WriteMode, WriteOptions } from '@lake/core'
import { isLakeError } from '@lake/storage'
import { resolveRows } from '@lake/ingest'
import type { StructType } from '@lake/core'
import { openRecords } from './read-records.js'
import type { InputFormat, InputRecord } from './read-records.js'
import type { ProgressCounts } from './progress.js'

/** What to ingest and how. */
export interface IngestRequest {
  readonly input: Readable
  readonly inputFormat: InputFormat
  readonly mode: WriteMode
  readonly partitionBy?: readonly string[]
  readonly schemaMode?: SchemaMode
  readonly replaceWhere?: string
  readonly appId?: string
  readonly batchRows: number
  readonly signal: AbortSignal
  readonly onProgress: (counts: ProgressCounts) => void
}

/** What an ingest did. */
export interface IngestSummary {
  readonly version: number | null
  readonly rows: number
  readonly batches: number
  readonly files: number
  readonly skippedBatches: number
}

/** Writes the input to the table batch by batch (append) or as one streamed write; returns the counts and the last version. */
export async function ingestInterim(engine: Engine, request: IngestRequest): Promise<IngestSummary> {
  const counts = { rows: 0, batches: 0, files: 0, skippedBatches: 0 }
  let version: number | null = null
  const table = request.schemaMode === 'overwrite' ? undefined : await tableSchema(engine)
  const input = await openRecords(request.input, request.inputFormat, request.batchRows, request.signal, table)
  const batches = typedBatches(input.batches, table, request.signal)
  if (request.mode !== 'append') {
    const result = await writeDelta(engine, rowsOf(batches), batchOptions(request, 0, input.schema))
    counts.batches = 1
    if (result.status === 'committed') {
      counts.rows = result.numRows
      counts.files = result.numFilesAdded
    } else {
      counts.skippedBatches = 1
    }
    request.onProgress(counts)
    return { version: result.version, ...counts }
  }
  let batchNo = 0
  for await (const rows of batches) {
    const result = await writeDelta(engine, rows, batchOptions(request, batchNo, input.schema))
    batchNo++
    counts.batches++
    if (result.status === 'committed') {
      counts.rows += result.numRows
      counts.files += result.numFilesAdded
    } else {
      counts.skippedBatches++
    }
    version = result.version
    request.onProgress(counts)
  }
  return { version, ...counts }
}

/**
 * The input's records as rows, batch by batch, typed by @lake/ingest's reader for the table's schema
 * (CSV cells cast; NDJSON numbers a double cannot hold exactly made exact per column type).
 */
async function* typedBatches(batches: AsyncIterable<InputRecord[]>, schema: StructType | undefined, signal: AbortSignal): AsyncGenerator<readonly unknown[]> {
  let read = 0
  for await (const raw of batches) {
    signal.throwIfAborted()
    yield resolveRows(raw, schema, read)
    read += raw.length
  }
}

/** The rows of a stream of batches, one by one (writeDelta streams them into files). */
async function* rowsOf(batches: AsyncIterable<readonly unknown[]>): AsyncGenerator<unknown> {
  for await (const batch of batches) yield* batch
}

/** `schema`: the inferred CSV schema of a new table (given with the first batch). */
function batchOptions(request: IngestRequest, batchNo: number, schema: StructType | undefined): WriteOptions {
  const first = batchNo === 0
  return {
    ...(first && schema !== undefined ? { schema } : {}),
    mode: first ? request.mode : 'append',
    signal: request.signal,
    ...(request.partitionBy === undefined ? {} : { partitionBy: request.partitionBy }),
    ...(request.schemaMode === undefined ? {} : { schemaMode: first || request.schemaMode === 'merge' ? request.schemaMode : 'merge' }),
    ...(first && request.replaceWhere !== undefined ? { replaceWhere: request.replaceWhere } : {}),
    ...(request.appId === undefined ? {} : { txn: { appId: request.appId, version: batchNo } }),
  }
}

async function tableSchema(engine: Engine): Promise<StructType | undefined> {
  try {
    return (await loadSnapshot(engine)).schema
  } catch (err) {
    if (isLakeError(err, 'TableNotFound')) return undefined
    throw err
  }
}
