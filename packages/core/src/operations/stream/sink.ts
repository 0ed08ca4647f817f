// The sinks of a table stream: `writeTo` commits each micro-batch to a target table with an app
// transaction (appId = query id, version = batchId), so a batch replayed after a crash is skipped
// by the target; `foreachBatch` hands each batch and its id to user code. A batch is committed to
// the checkpoint only after the sink returned. An empty batch (it only moves the stream past commits
// contributing nothing) makes no target commit; `foreachBatch` still sees it, as in Spark.
//
//   await writeBatchesTo(stream, target, write, { mode: 'complete', complete: (batch, previous) => totals(previous, batch) })

import type { Row, StructType } from '@lake/parquet'
import type { Engine } from '../../engine.js'
import { StreamError } from '../../errors.js'
import { scan } from '../../scan/scan.js'
import { tryLoadSnapshot } from '../../snapshot/load-snapshot.js'
import type { MicroBatch } from './batch.js'

/** What a sink asks of the table writer (`writeDelta` fits). */
export interface SinkWriteOptions {
  readonly mode: 'append' | 'overwrite'
  readonly schema?: StructType
  readonly partitionBy?: readonly string[]
  readonly schemaMode?: 'merge' | 'overwrite'
  readonly txn: { readonly appId: string; readonly version: number }
  readonly signal?: AbortSignal
}

/** The table writer a sink uses. */
export type SinkWriter = (target: Engine, rows: AsyncIterable<unknown> | readonly unknown[], options: SinkWriteOptions) => Promise<{ readonly status: 'committed' | 'skipped'; readonly version: number }>

/** Options of `writeTo`. */
export interface WriteToOptions {
  /** `append` (default): the batch's rows; `complete`: the target replaced by the full result each batch. */
  readonly mode?: 'append' | 'complete'
  readonly partitionBy?: readonly string[]
  readonly schemaMode?: 'merge' | 'overwrite'
  /** Complete mode: the new full result from the batch and the previous result (default: previous + batch). */
  readonly complete?: (batch: readonly Row[], previous: readonly Row[], batchId: number) => readonly Row[] | Promise<readonly Row[]>
  /** Complete mode: the result's schema (default: inferred from the result rows, or the batch's without a function). */
  readonly schema?: StructType
  /** Called after each batch is committed to the target (or skipped there as already written: `rows` 0). */
  readonly onBatch?: (progress: BatchProgress) => void
}

/** What one batch did. */
export interface BatchProgress {
  readonly batchId: number
  readonly startVersion: number
  readonly endVersion: number
  readonly files: number
  readonly rows: number
  readonly lag: number
  /** `skipped`: the target already held this batch (a replay after a crash); `empty`: nothing to write (no target commit). */
  readonly status: 'committed' | 'skipped' | 'done' | 'empty'
  readonly targetVersion?: number | undefined
}

/** What a sink run did. */
export interface StreamSummary {
  readonly batches: number
  readonly rows: number
  readonly skippedBatches: number
}

/**
 * Runs `batches` into the target table, one commit per batch carrying txn(queryId, batchId).
 * @throws StreamError `InvalidArgument` without a query id; errors of the stream and the writer.
 */
export async function writeBatchesTo(
  batches: AsyncIterable<MicroBatch>,
  queryId: () => string | undefined,
  target: Engine,
  write: SinkWriter,
  options: WriteToOptions & { readonly signal?: AbortSignal } = {},
): Promise<StreamSummary> {
  let count = 0
  let rows = 0
  let skipped = 0
  for await (const batch of batches) {
    const appId = queryId()
    if (appId === undefined) throw new StreamError('InvalidArgument', 'writeTo: expected a started stream with a query id, found none')
    const done =
      batch.empty ? progressOf(batch, 0, { status: 'empty', version: -1 })
      : options.mode === 'complete' ? await writeComplete(batch, appId, target, write, options) : await writeAppend(batch, appId, target, write, options)
    count++
    rows += done.rows
    if (done.status === 'skipped') skipped++
    options.onBatch?.(done)
  }
  return { batches: count, rows, skippedBatches: skipped }
}

async function writeAppend(batch: MicroBatch, appId: string, target: Engine, write: SinkWriter, options: WriteToOptions & { readonly signal?: AbortSignal }): Promise<BatchProgress> {
  let rows = 0
  async function* counted(): AsyncGenerator<Row> {
    for await (const chunk of batch.rows) {
      rows += chunk.length
      yield* chunk
    }
  }
  const result = await write(target, counted(), {
    mode: 'append',
    schema: batch.schema,
    txn: { appId, version: batch.batchId },
    ...(options.partitionBy === undefined ? {} : { partitionBy: options.partitionBy }),
    ...(options.schemaMode === undefined ? {} : { schemaMode: options.schemaMode }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  })
  return progressOf(batch, result.status === 'skipped' ? 0 : rows, result)
}

async function writeComplete(batch: MicroBatch, appId: string, target: Engine, write: SinkWriter, options: WriteToOptions & { readonly signal?: AbortSignal }): Promise<BatchProgress> {
  const { signal } = options
  const snapshot = await tryLoadSnapshot(target, signal)
  if (snapshot !== undefined && (snapshot.txnVersion(appId) ?? -1) >= batch.batchId) {
    return progressOf(batch, 0, { status: 'skipped', version: snapshot.version })
  }
  const previous: Row[] = []
  if (snapshot !== undefined) for await (const chunk of scan(target, snapshot, signal === undefined ? {} : { signal })) previous.push(...chunk)
  const rows = await batch.toArray()
  const result = options.complete === undefined ? [...previous, ...rows] : await options.complete(rows, previous, batch.batchId)
  const schema = options.schema ?? (options.complete === undefined ? batch.schema : undefined)
  const written = await write(target, result, {
    mode: 'overwrite',
    txn: { appId, version: batch.batchId },
    ...(schema === undefined ? {} : { schema }),
    ...(options.partitionBy === undefined ? {} : { partitionBy: options.partitionBy }),
    ...(options.schemaMode === undefined ? {} : { schemaMode: options.schemaMode }),
    ...(signal === undefined ? {} : { signal }),
  })
  return progressOf(batch, result.length, written)
}

function progressOf(batch: MicroBatch, rows: number, result: { readonly status: 'committed' | 'skipped' | 'empty'; readonly version: number }): BatchProgress {
  return {
    batchId: batch.batchId,
    startVersion: batch.startVersion,
    endVersion: batch.endVersion,
    files: batch.files.length,
    rows,
    lag: batch.lag,
    status: result.status,
    targetVersion: result.status === 'empty' ? undefined : result.version,
  }
}

/** Runs `fn` on every batch (with its id: replays after a crash repeat the id). */
export async function eachBatch(
  batches: AsyncIterable<MicroBatch>,
  fn: (batch: MicroBatch, batchId: number) => void | Promise<void>,
  onBatch?: (progress: BatchProgress) => void,
): Promise<StreamSummary> {
  let count = 0
  for await (const batch of batches) {
    await fn(batch, batch.batchId)
    count++
    onBatch?.({ ...progressOf(batch, 0, { status: 'committed', version: -1 }), status: 'done', targetVersion: undefined })
  }
  return { batches: count, rows: 0, skippedBatches: 0 }
}
