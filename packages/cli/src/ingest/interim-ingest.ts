// `lake ingest` over `writeDelta`, for what @lake/ingest's jobs don't cover. Appends commit batch by
// batch (with an appId each batch carries txn {appId, batchNo}, so a rerun skips what landed). Any
// other mode (overwrite, replaceWhere, error, ignore) must be one atomic commit: the whole input is
// read, then written by a single `writeDelta`, so a failure leaves the table as it was.

import type { Readable } from 'node:stream'
import { loadSnapshot, writeDelta } from '@lake/core'
import type { Engine, SchemaMode, WriteMode, WriteOptions } from '@lake/core'
import { isLakeError } from '@lake/storage'
import { resolveRows } from '@lake/ingest'
import type { StructType } from '@lake/core'
import { inferTyping, typeCsvRecord, typingFromSchema } from './csv-values.js'
import type { CsvTyping } from './csv-values.js'
import { readRecords } from './read-records.js'
import type { InputFormat } from './read-records.js'
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

/** Writes the input to the table batch by batch; returns the counts and the last version. */
export async function ingestInterim(engine: Engine, request: IngestRequest): Promise<IngestSummary> {
  const counts = { rows: 0, batches: 0, files: 0, skippedBatches: 0 }
  let version: number | null = null
  let typing: CsvTyping | undefined
  let schema: { readonly value: StructType | undefined } | undefined
  let batchNo = 0
  const atomic = request.mode !== 'append'
  const held: unknown[] = []
  for await (const raw of readRecords(request.input, request.inputFormat, request.batchRows, request.signal)) {
    request.signal.throwIfAborted()
    if (request.inputFormat === 'csv') typing ??= await csvTyping(engine, raw)
    // NDJSON numbers a double cannot hold exactly arrive as JsonNumber: make them exact per column type.
    if (request.inputFormat === 'ndjson') schema ??= { value: await tableSchema(engine) }
    const rows = typing !== undefined ? raw.map((r) => typeCsvRecord(r, typing as CsvTyping)) : resolveRows(raw, schema?.value, counts.rows + held.length)
    if (atomic) {
      for (const row of rows) held.push(row)
      continue
    }
    const result = await writeDelta(engine, rows, batchOptions(request, batchNo))
    batchNo++
    counts.batches++
    if (result.status === 'committed') {
      version = result.version
      counts.rows += result.numRows
      counts.files += result.numFilesAdded
    } else {
      counts.skippedBatches++
      version = result.version
    }
    request.onProgress(counts)
  }
  if (atomic) {
    const result = await writeDelta(engine, held, batchOptions(request, 0))
    counts.batches = 1
    if (result.status === 'committed') {
      counts.rows = result.numRows
      counts.files = result.numFilesAdded
    } else {
      counts.skippedBatches = 1
    }
    version = result.version
    request.onProgress(counts)
  }
  return { version, ...counts }
}

function batchOptions(request: IngestRequest, batchNo: number): WriteOptions {
  const first = batchNo === 0
  return {
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

async function csvTyping(engine: Engine, sample: readonly Record<string, unknown>[]): Promise<CsvTyping> {
  try {
    return typingFromSchema((await loadSnapshot(engine)).schema)
  } catch (err) {
    if (isLakeError(err, 'TableNotFound')) return inferTyping(sample)
    throw err
  }
}
