// Reads one planned batch from its source and turns it into uploaded data files, coerced and
// encoded against one snapshot's schema. Collects rejected records; never commits.

import type { AddFile, Engine, Snapshot } from '@lake/core'
import type { Compression, Row, StructType } from '@lake/parquet'
import { DEFAULT_CHUNK_BYTES, DEFAULT_CHUNK_ROWS } from '../append/chunk-rows.js'
import { estimateBytes } from '@lake/core/internal'
import { discardFiles } from '../append/discard-files.js'
import { FilePipeline } from '../append/file-pipeline.js'
import type { Encoder } from '../encode/encoder-types.js'
import type { Source } from '../sources/source.js'
import type { IngestEventHandler } from '../types.js'
import { rawOf } from './dead-letter.js'
import type { DeadLetter } from './dead-letter.js'
import type { PlannedBatch } from './job-state.js'
import { RecordCoercer } from './record-coercer.js'
import type { SchemaPolicy } from './record-coercer.js'

/** What encoding a batch needs from its job. */
export interface EncodeBatchContext {
  readonly engine: Engine
  readonly appId: string
  readonly source: Source
  readonly encoder: Encoder
  readonly schemaPolicy: SchemaPolicy
  readonly uploadConcurrency?: number | undefined
  readonly chunkRows?: number | undefined
  readonly chunkBytes?: number | undefined
  readonly rowsPerFile?: number | undefined
  readonly targetFileBytes?: number | undefined
  readonly compression?: Compression | undefined
  readonly onEvent?: IngestEventHandler | undefined
  readonly signal: AbortSignal
}

/** Called for each rejected record (it may throw to stop the batch, e.g. past the budget). */
export type RejectRecord = (position: DeadLetter['position'], raw: string, code: string, message: string) => void

/**
 * What a batch is encoded against: the table at one version, or (`snapshot` undefined) the table
 * the batch's commit will create, with the schema and partitioning a new table gets.
 */
export interface BatchBase {
  readonly snapshot: Snapshot | undefined
  readonly schema: StructType
  readonly partitionColumns: readonly string[]
}

/** The base of an existing table. */
export function baseOf(snapshot: Snapshot): BatchBase {
  return { snapshot, schema: snapshot.schema, partitionColumns: snapshot.partitionColumns }
}

/** The uploaded files of a batch, encoded against `base`; `coercer` knows the evolved columns. */
export interface EncodedBatch {
  readonly base: BatchBase
  readonly adds: readonly AddFile[]
  readonly rows: number
  readonly coercer: RecordCoercer
  /** Store keys of the uploaded files (deleted when the batch is not committed). */
  readonly keys: readonly string[]
}

/**
 * Reads `[batch.start, batch.end)`, coerces every record to `base`'s schema (plus columns the
 * policy evolves), encodes and uploads the files. Every file is encoded against `base.schema`,
 * `base.partitionColumns`, or a schema that only adds columns to it. When it fails, the files it
 * uploaded are deleted (best effort).
 */
export async function encodeBatch(ctx: EncodeBatchContext, base: BatchBase, batch: PlannedBatch, reject: RejectRecord): Promise<EncodedBatch> {
  const { signal } = ctx
  const ids = { appId: ctx.appId, batchId: batch.batchId }
  const mapping = { mode: base.snapshot?.columnMappingMode ?? 'none', configuration: base.snapshot?.metadata.configuration ?? {} }
  const coercer = new RecordCoercer(base.schema, base.partitionColumns, ctx.schemaPolicy, mapping)
  const pipeline = new FilePipeline({
    engine: ctx.engine,
    encoder: ctx.encoder,
    partitionColumns: base.partitionColumns,
    columnMappingMode: base.snapshot?.columnMappingMode,
    statsColumnLimit: base.snapshot?.config.statsColumnLimit,
    compression: ctx.compression,
    maxRowsPerFile: ctx.rowsPerFile,
    targetFileBytes: ctx.targetFileBytes,
    uploadConcurrency: ctx.uploadConcurrency,
    onFile: (add, file) => ctx.onEvent?.({ type: 'fileWritten', ...ids, path: add.path, bytes: add.size, rows: file.numRecords }),
    signal,
  })
  let rows = 0
  let ok = false
  try {
    const maxRows = ctx.chunkRows ?? DEFAULT_CHUNK_ROWS
    const maxBytes = ctx.chunkBytes ?? DEFAULT_CHUNK_BYTES
    let chunk: Row[] = []
    let bytes = 0
    let schema: StructType = coercer.schema
    for await (const record of ctx.source.read(batch.start, batch.end, { schema: base.schema, signal })) {
      if (record.kind === 'invalid') {
        reject(record.position, record.raw, record.code, record.message)
        continue
      }
      const outcome = coercer.coerce(record.value, rows)
      if (!outcome.ok) {
        reject(record.position, rawOf(record.value), outcome.code, atPosition(outcome.message, rows, ctx.source.describePosition?.(record.position) ?? `position ${JSON.stringify(record.position)}`))
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
    const encoded = { base, adds: await pipeline.finish(), rows, coercer, keys: pipeline.uploadedKeys() }
    ok = true
    return encoded
  } finally {
    await pipeline.drain()
    if (!ok) await discardFiles(ctx.engine, pipeline.uploadedKeys())
  }
}

/** `message` with the coercer's "in row N" / "in record N" (N: the index within the batch) said as where the input holds it. */
function atPosition(message: string, index: number, where: string): string {
  return message.replace(new RegExp(`\\bin (?:row|record) ${index}\\b`), `at ${where}`)
}
