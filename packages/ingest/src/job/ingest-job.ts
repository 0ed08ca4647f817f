// runIngestJob: exactly-once incremental ingestion from a Source into a Delta table. The offset
// log (planned batches) is written before reading; the table's txn is the commit log.

import { randomUUID } from 'node:crypto'
import { engineCodec, loadSnapshot, resolveTable, tryLoadSnapshot } from '@lake/core/internal'
import type { TableLocation } from '@lake/core'
import type { StructType } from '@lake/parquet'
import type { ObjectStore, OpenStoreOptions } from '@lake/storage'
import { checkTarget } from '../append/check-target.js'
import { createEncoder } from '../encode/encoder.js'
import type { Encoder } from '../encode/encoder-types.js'
import type { FileWriteOptions } from '../append/append-types.js'
import { IngestError } from '../errors.js'
import { MetricsCounter } from '../metrics.js'
import type { Source } from '../sources/source.js'
import type { IngestMetrics } from '../types.js'
import type { DeadLetterSink } from './dead-letter.js'
import { lockJob } from './job-lock.js'
import type { JobLock } from './job-lock.js'
import { JobStateStore } from './job-state.js'
import type { JobHeader } from './job-state.js'
import { planNextBatch, resumePoint } from './plan-batch.js'
import type { SchemaPolicy } from './record-coercer.js'
import { RejectBudget } from './reject-budget.js'
import { runBatch } from './run-batch.js'
import { baseOf } from './encode-batch.js'
import type { BatchBase } from './encode-batch.js'
import { removeUnusedState } from './remove-state.js'
import type { BatchContext } from './run-batch.js'
import { maybeOptimize } from './maybe-optimize.js'
import { verifyHeader } from './verify-header.js'

/** Options of `runIngestJob`. */
export interface IngestJobOptions extends FileWriteOptions {
  /** The target table (URI, store or engine). When missing, the first batch's commit creates it (version 0 holds the data). */
  readonly table: TableLocation
  readonly storage?: OpenStoreOptions
  /** The job's stable identity: the txn appId and the state directory name (`isValidAppId`). */
  readonly appId: string
  readonly source: Source
  /** Batch size in the source's unit (lines, records, pages). Default: the whole available range. */
  readonly batchLimit?: number
  /** Stop after this many batches in this run (the rest is ingested by the next run). */
  readonly maxBatches?: number
  /** Schema of a new table; default `source.schema()`. */
  readonly schema?: StructType
  readonly partitionBy?: readonly string[]
  /** New columns: `evolve` (default; merged in their own commit), `freeze` (record rejected), `discard` (dropped). */
  readonly schemaPolicy?: SchemaPolicy
  readonly deadLetters?: DeadLetterSink
  /** Bad records allowed in one run before it fails with `TooManyBadRecords`. Default 0. */
  readonly maxBadRecords?: number
  /** Where the job state lives. Default: `_lake_ingest/<appId>/` in the table's own store. */
  readonly state?: { readonly store: ObjectStore; readonly prefix?: string }
  /** Lock the state directory when it is local (default true); `staleMs` for a dead holder (default 10 s, min 2 s). */
  readonly lock?: boolean | { readonly staleMs: number }
  /** Compact small files (core `optimize`, dataChange=false) after every N committed batches. */
  readonly optimizeEvery?: number
  readonly optimizeTargetBytes?: number
  /** Stops between batches; an in-flight batch commits entirely or not at all. */
  readonly signal?: AbortSignal
}

/** How a run ended: `completed` (source drained), `limited` (maxBatches reached), `aborted` (signal). */
export interface IngestJobResult {
  readonly status: 'completed' | 'limited' | 'aborted'
  /** Batches committed by this run. */
  readonly batches: number
  /** The last batch committed for this appId (-1 when none). */
  readonly lastBatchId: number
  readonly tableVersion: number
  readonly metrics: IngestMetrics
}

const APP_ID = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * True when `appId` can name a job: 1-128 of `[A-Za-z0-9._:-]`, and not `.` or `..` (it names
 * the state directory `_lake_ingest/<appId>/`, which must not be the parent or the prefix itself).
 */
export function isValidAppId(appId: string): boolean {
  return APP_ID.test(appId) && appId !== '.' && appId !== '..'
}

/**
 * Runs an ingestion job until the source has no new data (or `maxBatches`, or the signal).
 * Restarts resume exactly: committed batches are skipped, a planned-but-uncommitted batch is
 * re-read over the same range. A missing table is created by the first batch's commit (version 0
 * holds the data). A run that fails or stops with nothing of this job in the table removes the
 * default job state (`_lake_ingest/<appId>/`); the files of an uncommitted batch are deleted.
 * @throws IngestError `JobMismatch` (state of another table/source/appId), `TooManyBadRecords`,
 *   `CommitConflict` (another runner holds the job or committed this batch), `InvalidArgument`
 *   (bad appId, partitionBy other than the table's); ProtocolError `UnsupportedFeature`.
 */
export async function runIngestJob(options: IngestJobOptions): Promise<IngestJobResult> {
  if (!isValidAppId(options.appId)) {
    throw new IngestError('InvalidArgument', `runIngestJob: expected an appId of 1-128 characters [A-Za-z0-9._:-], not '.' or '..', found ${JSON.stringify(options.appId)}`, { context: { appId: options.appId } })
  }
  const engine = await resolveTable(options.table, options.storage)
  const stateStore = options.state?.store ?? engine.store
  const prefix = options.state?.prefix ?? `_lake_ingest/${options.appId}/`
  const lockOption = options.lock ?? true
  const lock: JobLock | undefined = lockOption === false ? undefined : await lockJob(stateStore, prefix, options.appId, lockOption === true ? undefined : lockOption.staleMs)
  const signals = [options.signal, lock?.compromised].filter((s): s is AbortSignal => s !== undefined)
  const signal = signals.length === 0 ? new AbortController().signal : AbortSignal.any(signals)
  let encoder: Encoder | undefined
  let committedNothing = true
  try {
    encoder = options.encoder ?? createEncoder(options.encoders, engineCodec(engine))
    const result = await runLocked(options, { engine, state: new JobStateStore(stateStore, prefix), encoder, signal })
    committedNothing = result.status === 'aborted'
    return result
  } finally {
    if (options.encoder === undefined) await encoder?.close()
    await lock?.release()
    // A run that failed (or was stopped) with nothing of this job in the table leaves no job state.
    if (committedNothing && options.state === undefined) await removeUnusedState(engine, prefix, options.appId)
  }
}

interface JobRuntime {
  readonly engine: BatchContext['engine']
  readonly state: JobStateStore
  readonly encoder: Encoder
  readonly signal: AbortSignal
}

async function runLocked(options: IngestJobOptions, rt: JobRuntime): Promise<IngestJobResult> {
  const { engine, state, signal } = rt
  const { appId, source } = options
  const metrics = new MetricsCounter()
  let snapshot = await tryLoadSnapshot(engine, signal)
  if (snapshot !== undefined) checkTarget(snapshot, options.partitionBy, `job '${appId}'`)
  let base = snapshot === undefined ? await newTableBase(options, rt) : baseOf(snapshot)
  const identity = { appId, snapshot, newTableId: randomUUID(), tableUri: engine.store.url, sourceFingerprint: source.fingerprint(), now: () => engine.now() }
  let header = await verifyHeader(state, identity, signal)
  const startedWithoutTable = snapshot === undefined
  let point = await resumePoint(engine, state, snapshot, appId, signal)
  const ctx: BatchContext = { ...batchSettings(options), engine, appId, source, encoder: rt.encoder, budget: new RejectBudget(options.maxBadRecords ?? 0), metrics, now: engine.now, tableId: header.tableId, signal }
  let committed = 0
  let version = snapshot?.version ?? -1
  const result = (status: IngestJobResult['status']): IngestJobResult => ({ status, batches: committed, lastBatchId: point.batchId - 1, tableVersion: Math.max(version, snapshot?.version ?? -1), metrics: metrics.snapshot() })
  for (;;) {
    if (signal.aborted) return result('aborted')
    if (options.maxBatches !== undefined && committed >= options.maxBatches) return result('limited')
    const batch = await planNextBatch(state, source, point, options.batchLimit, signal)
    if (batch === undefined) return result('completed')
    options.onEvent?.({ type: 'batchPlanned', appId, batchId: batch.batchId, start: batch.start, end: batch.end, replay: point.end !== undefined })
    let outcome
    try {
      outcome = await runBatch(ctx, base, batch)
    } catch (err) {
      if (!signal.aborted) throw err
      if (signal.reason instanceof IngestError) throw signal.reason
      return result('aborted')
    }
    if (outcome.status === 'skipped') {
      options.onEvent?.({ type: 'batchSkipped', appId, batchId: batch.batchId, reason: outcome.reason })
      throw new IngestError('CommitConflict', `job '${appId}' batch ${batch.batchId}: another runner committed it (${outcome.reason}); Help: run one runner per appId`, {
        context: { appId, batchId: batch.batchId },
      })
    }
    committed++
    version = outcome.version
    point = { batchId: batch.batchId + 1, start: batch.end }
    await source.commit?.(batch.end)
    if (signal.aborted) return result('aborted')
    await state.prune(batch.batchId, signal)
    await maybeOptimize(engine, { every: options.optimizeEvery, targetBytes: options.optimizeTargetBytes, batchId: batch.batchId, appId, onEvent: options.onEvent, signal })
    snapshot = await loadSnapshot(engine, { signal })
    base = baseOf(snapshot)
    if (startedWithoutTable) header = await adoptTableId(state, header, snapshot.metadata.id, signal)
  }
}

/**
 * After the job's first batch landed in a table another writer created first (a lost race for
 * version 0), the header takes that table's id, so the job resumes into it.
 */
async function adoptTableId(state: JobStateStore, header: JobHeader, tableId: string, signal: AbortSignal): Promise<JobHeader> {
  if (header.tableId === tableId) return header
  const adopted = { ...header, tableId }
  await state.replaceHeader(adopted, signal)
  return adopted
}

/** What the first batch of a job into a missing table is encoded against: the schema it creates. */
async function newTableBase(options: IngestJobOptions, rt: JobRuntime): Promise<BatchBase> {
  const schema = options.schema ?? (await options.source.schema?.({ signal: rt.signal }))
  if (schema === undefined) {
    throw new IngestError('InvalidArgument', `job '${options.appId}': table ${rt.engine.store.url} does not exist and no schema is known; Help: pass options.schema or a source that infers one`)
  }
  return { snapshot: undefined, schema, partitionColumns: options.partitionBy ?? [] }
}

function batchSettings(options: IngestJobOptions): Omit<BatchContext, 'engine' | 'appId' | 'source' | 'encoder' | 'budget' | 'metrics' | 'now' | 'signal' | 'tableId'> {
  return {
    schemaPolicy: options.schemaPolicy ?? 'evolve',
    deadLetters: options.deadLetters,
    uploadConcurrency: options.uploadConcurrency,
    chunkRows: options.chunkRows,
    chunkBytes: options.chunkBytes,
    rowsPerFile: options.rowsPerFile,
    targetFileBytes: options.targetFileBytes,
    compression: options.compression,
    commit: options.commit,
    onEvent: options.onEvent,
  }
}
