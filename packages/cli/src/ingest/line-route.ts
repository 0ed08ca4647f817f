// The plain append of NDJSON input: the bytes go to @lake/ingest's `appendNdjson`, which parses
// them in the encoder workers (this thread only cuts lines), instead of rows read here. Its errors
// are said as the row route says them: a line that is not a record is a usage error naming the line.

import type { Engine, Snapshot, StructType } from '@lake/core'
import { engineCodec } from '@lake/core/internal'
import { appendNdjson, createEncoder, createSharedEncoder } from '@lake/ingest/append'
import type { AppendResult, Encoder, IngestEvent } from '@lake/ingest'
import { isLakeError } from '@lake/storage'
import { lineWriteOptions } from './resources.js'
import { unreadable } from './source-rows.js'

/** What the line route needs of the request. */
export interface LineRouteRequest {
  /** The input file (read straight into reused chunk buffers). */
  readonly path: string
  /** The input's size in bytes (sizes the encoder pool). */
  readonly bytes: number
  /** The pool `startLineEncoder` started (closed by the caller). */
  readonly encoder?: Encoder | undefined
  readonly batchRows: number
  readonly concurrency?: number | undefined
  readonly partitionBy?: readonly string[] | undefined
  readonly signal: AbortSignal
  readonly onEvent: (e: IngestEvent) => void
}

/**
 * Inputs this small are encoded on the main thread alone: a worker's start-up (~0.25 s of CPU, and
 * its modules loading while the main thread waits) costs more than encoding them (a one-line ingest:
 * 0.47 s instead of 0.56 s wall, 0.51 s instead of 0.63 s CPU; bench/RESULTS.md).
 */
export const INLINE_LINE_BYTES = 2 << 20 // 2 MiB

/**
 * The encoders of the NDJSON and CSV routes (sized to the input), started before the table is read and
 * the schema sampled, so their workers load their modules meanwhile. The caller closes them.
 */
export function startLineEncoder(engine: Engine, concurrency: number | undefined, bytes: number): Encoder {
  const encoders = lineWriteOptions(concurrency, bytes).encoders ?? 1
  // This thread only reads and cuts lines meanwhile: it encodes a share itself instead of a last worker
  // starting, and a small input all of it, with no worker at all.
  if (encoders > 1) return createSharedEncoder(encoders - 1, engineCodec(engine))
  return createEncoder(bytes <= INLINE_LINE_BYTES ? 0 : 1, engineCodec(engine))
}

/**
 * Appends the NDJSON input in one commit through `appendNdjson`, typed by the table's schema or
 * `schema` (a new table's, inferred from the input's first records).
 * @throws UsageError / SchemaError for the first line that is not a record (as `sourceRows`), and what `appendNdjson` throws.
 */
export async function appendLines(engine: Engine, snapshot: Snapshot | undefined, schema: StructType | undefined, request: LineRouteRequest): Promise<AppendResult> {
  return appendNdjson(engine, { path: request.path }, {
    chunkRows: request.batchRows, signal: request.signal, onEvent: request.onEvent, ...lineWriteOptions(request.concurrency, request.bytes),
    ...(schema === undefined ? {} : { schema }),
    ...(request.encoder === undefined ? {} : { encoder: request.encoder }),
    ...(request.partitionBy === undefined ? {} : { partitionBy: request.partitionBy }),
  }).catch((err: unknown) => {
    const record = isLakeError(err) ? err.context['record'] : undefined
    throw typeof record === 'string' ? unreadable({ code: record, message: err instanceof Error ? err.message : String(err) }, snapshot === undefined) : err
  })
}
