// The plain append of CSV input: the bytes go to @lake/ingest's `appendCsv`, which parses them in the
// encoders (this thread reads the header and cuts records, then encodes a share as the NDJSON route
// does: `startLineEncoder`), instead of rows read here.
// When that route refuses the input (a cell its column refuses, a malformed record, a dialect it
// does not read, such as bare CR line ends), it has committed nothing, and the caller re-reads the
// input by the row route, which writes it or reports the first bad record exactly as it always has.

import type { Engine, Snapshot, StructType } from '@lake/core'
import { appendCsv } from '@lake/ingest/append'
import type { AppendResult, Encoder, IngestEvent } from '@lake/ingest'
import { isLakeError } from '@lake/storage'
import { lineWriteOptions } from './resources.js'

/** What the CSV route needs of the request. */
export interface CsvRouteRequest {
  readonly open: () => AsyncIterable<Uint8Array>
  /** The input's size in bytes (sizes the encoders). */
  readonly bytes: number
  /** The encoder `startLineEncoder` started for it (closed by the caller). */
  readonly encoder?: Encoder | undefined
  readonly batchRows: number
  readonly concurrency?: number | undefined
  readonly partitionBy?: readonly string[] | undefined
  readonly signal: AbortSignal
  readonly onEvent: (e: IngestEvent) => void
}

/**
 * Appends the CSV input in one commit through `appendCsv`, typed by the table's schema or `schema`
 * (a new table's, inferred from the input's first records); undefined when the route refused the
 * input's data (nothing committed: take the row route).
 * @throws what `appendCsv` throws for anything but the input's data (storage, commit, abort).
 */
export async function appendCsvInput(engine: Engine, snapshot: Snapshot | undefined, schema: StructType | undefined, request: CsvRouteRequest): Promise<AppendResult | undefined> {
  try {
    return await appendCsv(engine, request.open(), {
      chunkRows: request.batchRows, signal: request.signal, onEvent: request.onEvent, ...lineWriteOptions(request.concurrency, request.bytes),
      ...(request.encoder === undefined ? {} : { encoder: request.encoder }),
      ...(snapshot === undefined && schema !== undefined ? { schema } : {}),
      ...(request.partitionBy === undefined ? {} : { partitionBy: request.partitionBy }),
    })
  } catch (err) {
    if (request.signal.aborted || !isLakeError(err) || (err.code !== 'SchemaMismatch' && err.code !== 'InvalidArgument')) throw err
    return undefined
  }
}
