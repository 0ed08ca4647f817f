// The frame of an append in one commit (appendRows, appendNdjson): checks the table, skips a txn
// already committed, runs the encode → upload pipeline over what the caller feeds it, commits once,
// and deletes the uploaded files when nothing was committed.

import { engineCodec, resolveTable, tryLoadSnapshot } from '@lake/core/internal'
import type { TableLocation } from '@lake/core'
import type { StructType } from '@lake/parquet'
import { createEncoder } from '../encode/encoder.js'
import { MetricsCounter } from '../metrics.js'
import { abortError } from './abort-error.js'
import type { AppendOptions, AppendResult } from './append-types.js'
import { commitBatch } from './commit-batch.js'
import { checkTarget } from './check-target.js'
import { discardFiles, provesNothingCommitted } from './discard-files.js'
import { FilePipeline } from './file-pipeline.js'

/** What a feed pushed: its rows, and the schema they were encoded with (undefined: no rows and no schema). */
export interface Fed {
  readonly rows: number
  readonly schema: StructType | undefined
}

/** Pushes the input's chunks into `pipeline`; `schema` is the table's, or `options.schema` for a new table. */
export type Feed = (pipeline: FilePipeline, schema: StructType | undefined, signal: AbortSignal | undefined) => Promise<Fed>

/** Runs one append of what `feed` pushes, as documented on `appendRows`; `method` names it in errors. */
export async function runAppend(location: TableLocation, options: AppendOptions, method: string, feed: Feed): Promise<AppendResult> {
  const engine = await resolveTable(location, options.storage)
  const metrics = new MetricsCounter()
  const signal = options.signal
  const snapshot = await tryLoadSnapshot(engine, signal)
  if (snapshot !== undefined) checkTarget(snapshot, options.partitionBy, method)
  const done = options.txn === undefined ? undefined : snapshot?.txnVersion(options.txn.appId)
  if (options.txn !== undefined && done !== undefined && done >= options.txn.version) {
    const reason = `appId '${options.txn.appId}' already committed version ${done} (>= ${options.txn.version})`
    return { status: 'skipped', version: snapshot?.version ?? -1, reason, metrics: metrics.snapshot() }
  }
  const encoder = options.encoder ?? createEncoder(options.encoders, engineCodec(engine))
  const pipeline = new FilePipeline({
    engine,
    encoder,
    partitionColumns: snapshot?.partitionColumns ?? options.partitionBy ?? [],
    columnMappingMode: snapshot?.columnMappingMode,
    statsColumnLimit: snapshot?.config.statsColumnLimit,
    compression: options.compression,
    maxRowsPerFile: options.rowsPerFile,
    targetFileBytes: options.targetFileBytes,
    uploadConcurrency: options.uploadConcurrency,
    onFile: (add, file) => options.onEvent?.({ type: 'fileWritten', path: add.path, bytes: add.size, rows: file.numRecords }),
    signal,
  })
  let committing = false
  try {
    const { rows: count, schema } = await feed(pipeline, snapshot?.schema ?? options.schema, signal)
    const adds = await pipeline.finish()
    if (signal?.aborted) throw abortError(signal, method)
    const newTable = snapshot === undefined ? { schema: schema ?? { kind: 'struct' as const, fields: [] }, partitionBy: options.partitionBy } : undefined
    committing = true
    const result = await commitBatch({ engine, snapshot, newTable, adds, rows: count, txn: options.txn, commit: options.commit, metrics, onEvent: options.onEvent, signal })
    return { ...result, metrics: metrics.snapshot() }
  } catch (err) {
    await pipeline.drain()
    if (!committing || provesNothingCommitted(err)) await discardFiles(engine, pipeline.uploadedKeys())
    throw signal?.aborted === true ? abortError(signal, method, err) : err
  } finally {
    if (options.encoder === undefined) await encoder.close()
  }
}
