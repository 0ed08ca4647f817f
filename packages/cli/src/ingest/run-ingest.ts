// Chooses how `lake ingest` writes: an exactly-once @lake/ingest job (file input with --app-id),
// one parallel @lake/ingest append (plain appends), or batches through core's writeDelta for what
// those do not cover (overwrite, replaceWhere, error/ignore, mergeSchema without a job, stdin jobs).

import type { Readable } from 'node:stream'
import { tryLoadSnapshot } from '@lake/core'
import type { Engine, SchemaMode, WriteMode } from '@lake/core'
import { CsvSource, NdjsonSource, appendRows, runIngestJob } from '@lake/ingest'
import type { IngestEvent } from '@lake/ingest'
import { ingestInterim } from './interim-ingest.js'
import type { IngestSummary } from './interim-ingest.js'
import type { ProgressCounts } from './progress.js'
import { openRecords } from './read-records.js'
import type { InputFormat } from './read-records.js'

/** Everything `lake ingest` was asked to do. */
export interface IngestPlanInput {
  /** A file path, or undefined for stdin. */
  readonly path: string | undefined
  readonly openInput: () => Readable
  readonly inputFormat: InputFormat
  readonly mode: WriteMode
  readonly partitionBy?: readonly string[]
  readonly schemaMode?: SchemaMode
  readonly replaceWhere?: string
  readonly appId?: string
  readonly batchRows: number
  readonly concurrency?: number
  readonly signal: AbortSignal
  readonly onProgress: (counts: ProgressCounts) => void
}

/** Which writer handles the request. */
export type IngestRoute = 'job' | 'append' | 'batches'

/** The route for a request (pure): jobs need a re-readable file; appends need plain append semantics. */
export function ingestRoute(input: Pick<IngestPlanInput, 'path' | 'mode' | 'schemaMode' | 'replaceWhere' | 'appId'>): IngestRoute {
  const plainAppend = input.mode === 'append' && input.replaceWhere === undefined && input.schemaMode !== 'overwrite'
  if (plainAppend && input.appId !== undefined && input.path !== undefined) return 'job'
  if (plainAppend && input.appId === undefined && input.schemaMode === undefined) return 'append'
  return 'batches'
}

/** Runs the ingest on the chosen route. */
export async function runIngest(engine: Engine, input: IngestPlanInput): Promise<IngestSummary & { readonly route: IngestRoute }> {
  const route = ingestRoute(input)
  const counts = { rows: 0, batches: 0, files: 0 }
  const onEvent = (e: IngestEvent): void => {
    if (e.type !== 'batchCommitted') return
    counts.rows += e.rows
    counts.batches++
    counts.files += e.files
    input.onProgress(counts)
  }
  const workers = input.concurrency === undefined ? {} : { encoders: input.concurrency, uploadConcurrency: input.concurrency }
  const partitionBy = input.partitionBy === undefined ? {} : { partitionBy: input.partitionBy }
  if (route === 'job' && input.path !== undefined && input.appId !== undefined) {
    const source = input.inputFormat === 'csv' ? new CsvSource({ path: input.path }) : new NdjsonSource({ path: input.path })
    const result = await runIngestJob({
      table: engine, appId: input.appId, source, batchLimit: input.batchRows, schemaPolicy: input.schemaMode === 'merge' ? 'evolve' : 'freeze',
      signal: input.signal, onEvent, ...workers, ...partitionBy,
    })
    input.signal.throwIfAborted()
    const m = result.metrics
    return { route, version: result.tableVersion, rows: m.rows, batches: result.batches, files: m.files, skippedBatches: 0 }
  }
  if (route === 'append') {
    const table = (await tryLoadSnapshot(engine, input.signal))?.schema
    const records = await openRecords(input.openInput(), input.inputFormat, input.batchRows, input.signal, table)
    const schema = records.schema === undefined ? {} : { schema: records.schema }
    const result = await appendRows(engine, flatten(records.batches), { chunkRows: input.batchRows, signal: input.signal, onEvent, ...workers, ...partitionBy, ...schema })
    return { route, version: result.version, rows: result.metrics.rows, batches: result.status === 'committed' ? 1 : 0, files: result.metrics.files, skippedBatches: 0 }
  }
  const summary = await ingestInterim(engine, {
    input: input.openInput(), inputFormat: input.inputFormat, mode: input.mode, batchRows: input.batchRows, signal: input.signal, onProgress: input.onProgress,
    ...partitionBy,
    ...(input.schemaMode === undefined ? {} : { schemaMode: input.schemaMode }),
    ...(input.replaceWhere === undefined ? {} : { replaceWhere: input.replaceWhere }),
    ...(input.appId === undefined ? {} : { appId: input.appId }),
  })
  return { route, ...summary }
}

async function* flatten<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch
}
