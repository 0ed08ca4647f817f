// Runs one planned batch of a job: read [start, end) from the source, apply the schema policy,
// dead-letter bad records, encode and upload in parallel, evolve the schema in its own commit,
// then commit every file with txn { appId, version: batchId } in one commit.

import { loadSnapshot, mergeSchemas, serializeSchema } from '@lake/core'
import type { CommitOptions, Engine, Snapshot } from '@lake/core'
import type { Compression, Row, StructType } from '@lake/parquet'
import { commitBatch } from '../append/commit-batch.js'
import type { CommitBatchResult } from '../append/commit-batch.js'
import { DEFAULT_CHUNK_BYTES, DEFAULT_CHUNK_ROWS } from '../append/chunk-rows.js'
import { estimateBytes } from '../append/estimate-bytes.js'
import { FilePipeline } from '../append/file-pipeline.js'
import type { Encoder } from '../encode/encoder.js'
import type { MetricsCounter } from '../metrics.js'
import type { Source } from '../sources/source.js'
import type { IngestEventHandler } from '../types.js'
import type { PlannedBatch } from './job-state.js'
import { rawOf } from './dead-letter.js'
import type { DeadLetter, DeadLetterSink } from './dead-letter.js'
import { RecordCoercer } from './record-coercer.js'
import type { SchemaPolicy } from './record-coercer.js'
import { RejectBudget } from './reject-budget.js'

/** Everything a batch needs from its job. */
export interface BatchContext {
  readonly engine: Engine
  readonly appId: string
  readonly source: Source
  readonly encoder: Encoder
  readonly schemaPolicy: SchemaPolicy
  readonly budget: RejectBudget
  readonly deadLetters?: DeadLetterSink | undefined
  readonly uploadConcurrency?: number | undefined
  readonly chunkRows?: number | undefined
  readonly chunkBytes?: number | undefined
  readonly rowsPerFile?: number | undefined
  readonly targetFileBytes?: number | undefined
  readonly compression?: Compression | undefined
  readonly commit?: CommitOptions | undefined
  readonly metrics: MetricsCounter
  readonly onEvent?: IngestEventHandler | undefined
  readonly now: () => number
  readonly signal: AbortSignal
}

/** Runs `batch` against the table as of `snapshot`; returns the commit outcome. */
export async function runBatch(ctx: BatchContext, snapshot: Snapshot, batch: PlannedBatch): Promise<CommitBatchResult> {
  const { appId, signal } = ctx
  const ids = { appId, batchId: batch.batchId }
  const coercer = new RecordCoercer(snapshot.schema, snapshot.partitionColumns, ctx.schemaPolicy)
  const pipeline = new FilePipeline({
    engine: ctx.engine,
    encoder: ctx.encoder,
    partitionColumns: snapshot.partitionColumns,
    compression: ctx.compression,
    maxRowsPerFile: ctx.rowsPerFile,
    targetFileBytes: ctx.targetFileBytes,
    uploadConcurrency: ctx.uploadConcurrency,
    onFile: (add, file) => ctx.onEvent?.({ type: 'fileWritten', ...ids, path: add.path, bytes: add.size, rows: file.numRecords }),
    signal,
  })
  const letters: DeadLetter[] = []
  const reject = (position: DeadLetter['position'], raw: string, code: string, message: string): void => {
    letters.push({ appId, batchId: batch.batchId, position, raw, code, message, rejectedAt: new Date(ctx.now()).toISOString() })
    ctx.metrics.rejected++
    ctx.onEvent?.({ type: 'recordRejected', ...ids, position, code, message })
    ctx.budget.spend(appId, batch.batchId, message)
  }
  let rows = 0
  try {
    const maxRows = ctx.chunkRows ?? DEFAULT_CHUNK_ROWS
    const maxBytes = ctx.chunkBytes ?? DEFAULT_CHUNK_BYTES
    let chunk: Row[] = []
    let bytes = 0
    let schema: StructType = coercer.schema
    for await (const record of ctx.source.read(batch.start, batch.end, { schema: snapshot.schema, signal })) {
      if (record.kind === 'invalid') {
        reject(record.position, record.raw, record.code, record.message)
        continue
      }
      const outcome = coercer.coerce(record.value, rows)
      if (!outcome.ok) {
        reject(record.position, rawOf(record.value), outcome.code, outcome.message)
        continue
      }
      if (coercer.schema !== schema && chunk.length > 0) {
        await pipeline.push(chunk, schema)
        chunk = []
        bytes = 0
      }
      schema = coercer.schema
      chunk.push(outcome.row)
      rows++
      bytes += estimateBytes(outcome.row)
      if (chunk.length >= maxRows || bytes >= maxBytes) {
        await pipeline.push(chunk, schema)
        chunk = []
        bytes = 0
      }
    }
    if (chunk.length > 0) await pipeline.push(chunk, schema)
    const adds = await pipeline.finish()
    if (letters.length > 0) await ctx.deadLetters?.write(letters, { signal })
    signal.throwIfAborted()
    let latest = await loadSnapshot(ctx.engine, { signal })
    const done = latest.txnVersion(appId)
    if (done !== undefined && done >= batch.batchId) {
      return { status: 'skipped', version: latest.version, reason: `appId '${appId}' already committed version ${done} (>= ${batch.batchId})` }
    }
    if (coercer.addedColumns.length > 0) latest = await evolveSchema(ctx, latest, coercer, batch.batchId)
    return await commitBatch({
      engine: ctx.engine,
      snapshot: latest,
      adds,
      rows,
      txn: { appId, version: batch.batchId },
      userMetadata: JSON.stringify({ lakeIngest: { appId, batchId: batch.batchId, start: batch.start, end: batch.end } }),
      commit: ctx.commit,
      metrics: ctx.metrics,
      onEvent: ctx.onEvent,
      appId,
      batchId: batch.batchId,
      signal,
    })
  } finally {
    await pipeline.drain()
  }
}

/** Commits the evolved schema on its own (a metadata-only commit), then returns the new snapshot. */
async function evolveSchema(ctx: BatchContext, latest: Snapshot, coercer: RecordCoercer, batchId: number): Promise<Snapshot> {
  const merged = mergeSchemas(latest.schema, coercer.schema)
  if (!merged.changed) return latest
  const metadata = { ...latest.metadata, schemaString: serializeSchema(merged.schema) }
  const result = await commitBatch({ engine: ctx.engine, snapshot: latest, adds: [], rows: 0, metadata, commit: ctx.commit, metrics: ctx.metrics, appId: ctx.appId, batchId, signal: ctx.signal })
  ctx.onEvent?.({ type: 'schemaEvolved', appId: ctx.appId, batchId, version: result.version, columns: coercer.addedColumns })
  return loadSnapshot(ctx.engine, { signal: ctx.signal })
}
