// `lake ingest` as one pipeline: one reader (the input as a @lake/ingest Source, typed by the
// table's schema), one plan from the options, and the writer the plan names:
// - commits: per --batch-rows batch with txn(appId, batch) when an --app-id job appends (exactly
//   once, resumable), else one atomic commit of the whole input;
// - writer: @lake/ingest (parallel encode and upload, commitFiles) for appends, core's streamed
//   writeDelta when the write removes or replaces data or changes the schema.
// A new table is created by the commit holding the first data (version 0).

import { writeDelta } from '@lake/core'
import { tryLoadSnapshot } from '@lake/core/internal'
import type { Engine, SchemaMode, Snapshot, StructType, WriteMode } from '@lake/core'
import { IngestError, appendRows, runIngestJob } from '@lake/ingest/append'
import type { Encoder, IngestEvent, Source } from '@lake/ingest'
import { isLakeError } from '@lake/storage'
import { UsageError } from '../usage-error.js'
import { openInput } from './ingest-input.js'
import type { IngestInput, InputSpec } from './ingest-input.js'
import { appendLines, startLineEncoder } from './line-route.js'
import { appendCsvInput } from './csv-route.js'
import { emptyDirsCleanup } from './leave-nothing.js'
import type { ProgressCounts } from './progress.js'
import { fileWriteOptions } from './resources.js'
import { RowLines } from './row-lines.js'
import { resolvedRows, sourceRows } from './source-rows.js'
import { withLaterColumns } from './later-columns.js'

/** Everything `lake ingest` was asked to do. */
export interface IngestRequest {
  readonly input: Omit<InputSpec, 'identify' | 'signal'>
  readonly mode: WriteMode
  readonly partitionBy?: readonly string[] | undefined
  readonly schemaMode?: SchemaMode | undefined
  readonly replaceWhere?: string | undefined
  readonly appId?: string | undefined
  readonly batchRows: number
  readonly concurrency?: number | undefined
  readonly signal: AbortSignal
  readonly onProgress: (counts: ProgressCounts) => void
}

/** What an ingest did. `batches` counts commits of this run; `skippedBatches` what earlier runs committed. */
export interface IngestSummary {
  readonly version: number | null
  readonly rows: number
  readonly batches: number
  readonly files: number
  readonly skippedBatches: number
}

/** How the request is written (pure). */
export interface IngestPlan {
  /** `batches`: a commit per batch with txn(appId, batch); `one`: one commit of everything. */
  readonly commits: 'batches' | 'one'
  /** `files`: @lake/ingest's parallel file pipeline + commitFiles; `writeDelta`: core's streamed write. */
  readonly writer: 'files' | 'writeDelta'
}

/** The plan for a request's options. */
export function ingestPlan(request: Pick<IngestRequest, 'mode' | 'schemaMode' | 'replaceWhere' | 'appId'>): IngestPlan {
  const appends = request.mode === 'append' && request.replaceWhere === undefined && request.schemaMode !== 'overwrite'
  if (appends && request.appId !== undefined) return { commits: 'batches', writer: 'files' }
  return { commits: 'one', writer: appends && request.schemaMode === undefined ? 'files' : 'writeDelta' }
}

/**
 * Runs the ingest. A failure commits nothing of the failed batch (earlier batches of a job stay),
 * deletes its data files, and leaves no empty directories where no table was.
 */
export async function runIngest(engine: Engine, request: IngestRequest): Promise<IngestSummary> {
  const plan = ingestPlan(request)
  const input = await openInput({ ...request.input, identify: plan.commits === 'batches', signal: request.signal })
  const lineRoute = plan.commits === 'one' && plan.writer === 'files' && (request.input.format === 'ndjson' || request.input.format === 'csv')
  const encoder = lineRoute ? startLineEncoder(engine, request.concurrency, input.bytes) : undefined
  const cleanup = await emptyDirsCleanup(engine)
  let snapshot: Snapshot | undefined
  try {
    snapshot = await tryLoadSnapshot(engine, request.signal)
    if (snapshot === undefined) await requireRecords(engine, input, request)
    if (plan.commits === 'batches') return await viaJob(engine, input.source, request)
    if (plan.writer === 'files') return await viaFiles(engine, snapshot, input, request, encoder)
    return await viaWriteDelta(engine, snapshot, input, request)
  } catch (err) {
    if (snapshot === undefined) await cleanup()
    throw err
  } finally {
    await encoder?.close()
    await input.close()
  }
}

async function viaJob(engine: Engine, source: Source, request: IngestRequest): Promise<IngestSummary> {
  const appId = request.appId ?? ''
  const result = await runIngestJob({
    table: engine, appId, source, batchLimit: request.batchRows, schemaPolicy: request.schemaMode === 'merge' ? 'evolve' : 'freeze',
    signal: request.signal, onEvent: progressOf(request), ...fileWriteOptions(request.concurrency),
    ...(request.partitionBy === undefined ? {} : { partitionBy: request.partitionBy }),
  }).catch((err: unknown) => {
    throw inputDiffers(err, appId)
  })
  request.signal.throwIfAborted()
  const m = result.metrics
  return { version: result.tableVersion < 0 ? null : result.tableVersion, rows: m.rows, batches: result.batches, files: m.files, skippedBatches: result.lastBatchId + 1 - result.batches }
}

async function viaFiles(engine: Engine, snapshot: Snapshot | undefined, input: IngestInput, request: IngestRequest, encoder?: Encoder): Promise<IngestSummary> {
  const schema = snapshot === undefined ? await input.source.schema?.({ signal: request.signal }) : undefined
  if (request.input.format === 'ndjson') {
    const result = await appendLines(engine, snapshot, schema, { ...request, path: input.path, bytes: input.bytes, encoder, onEvent: progressOf(request) })
    const committed = result.status === 'committed'
    return { version: result.version, rows: result.metrics.rows, batches: committed ? 1 : 0, files: result.metrics.files, skippedBatches: committed ? 0 : 1 }
  }
  const viaCsv = request.input.format === 'csv' ? await appendCsvInput(engine, snapshot, schema, { ...request, open: input.open, bytes: input.bytes, encoder, onEvent: progressOf(request) }) : undefined
  if (viaCsv !== undefined) return { version: viaCsv.version, rows: viaCsv.metrics.rows, batches: viaCsv.status === 'committed' ? 1 : 0, files: viaCsv.metrics.files, skippedBatches: viaCsv.status === 'committed' ? 0 : 1 }
  const lines = new RowLines(request.input.format === 'csv' ? 'record' : 'line')
  const rows = sourceRows(input.source, input.bytes, snapshot?.schema ?? schema, request.signal, snapshot === undefined, lines)
  const result = await appendRows(engine, rows, {
    chunkRows: request.batchRows, signal: request.signal, onEvent: progressOf(request), ...fileWriteOptions(request.concurrency),
    ...(schema === undefined ? {} : { schema }),
    ...(request.partitionBy === undefined ? {} : { partitionBy: request.partitionBy }),
  }).catch((err: unknown) => {
    throw lines.relabel(err)
  })
  const committed = result.status === 'committed'
  return { version: result.version, rows: result.metrics.rows, batches: committed ? 1 : 0, files: result.metrics.files, skippedBatches: committed ? 0 : 1 }
}

async function viaWriteDelta(engine: Engine, snapshot: Snapshot | undefined, input: { readonly source: Source; readonly bytes: number }, request: IngestRequest): Promise<IngestSummary> {
  const sampled = snapshot === undefined || request.schemaMode !== undefined ? await input.source.schema?.({ signal: request.signal }) : undefined
  const merged = request.schemaMode === 'merge' ? await withLaterColumns(input, sampled, request.signal) : sampled
  const schema = snapshot === undefined || request.schemaMode === 'overwrite' ? merged : request.schemaMode === 'merge' ? withNewColumns(snapshot.schema, merged) : undefined
  const castTo = schema ?? snapshot?.schema
  const lines = new RowLines(request.input.format === 'csv' ? 'record' : 'line')
  const rows = sourceRows(input.source, input.bytes, castTo, request.signal, sampled !== undefined, lines)
  const result = await writeDelta(engine, resolvedRows(rows, castTo), {
    mode: request.mode,
    signal: request.signal,
    ...(schema === undefined ? {} : { schema }),
    ...(request.partitionBy === undefined ? {} : { partitionBy: request.partitionBy }),
    ...(request.schemaMode === undefined ? {} : { schemaMode: request.schemaMode }),
    ...(request.replaceWhere === undefined ? {} : { replaceWhere: request.replaceWhere }),
    ...(request.appId === undefined ? {} : { txn: { appId: request.appId, version: 0 } }),
  }).catch((err: unknown) => {
    throw lines.relabel(err)
  })
  const counts = result.status === 'committed' ? { rows: result.numRows, batches: 1, files: result.numFilesAdded, skippedBatches: 0 } : { rows: 0, batches: 0, files: 0, skippedBatches: 1 }
  request.onProgress(counts)
  return { version: result.version, ...counts }
}

/**
 * A new table needs records to infer its schema from.
 * @throws UsageError when the input has none, or naming the line of the first unreadable one.
 */
async function requireRecords(engine: Engine, input: { readonly source: Source; readonly bytes: number }, request: IngestRequest): Promise<void> {
  const schema = await input.source.schema?.({ signal: request.signal })
  if (schema !== undefined && schema.fields.length > 0) return
  // The sample skips unreadable lines: an input of only those fails on its first, naming the line.
  for await (const _ of sourceRows(input.source, input.bytes, undefined, request.signal)) break
  const name = request.input.path === undefined ? 'stdin' : `input file '${request.input.path}'`
  throw new UsageError(`${name}: expected records to create table ${engine.store.url} from, found none`, 'a new table is created by the first write that holds data; use lake create for an empty table')
}

/**
 * The table's schema plus the columns of `sampled` it lacks (schemaMode merge): rows already cast
 * to the table's types are checked against it instead of having their types inferred again.
 */
function withNewColumns(table: StructType, sampled: StructType | undefined): StructType {
  const known = new Set(table.fields.map((f) => f.name))
  return { ...table, fields: [...table.fields, ...(sampled?.fields ?? []).filter((f) => !known.has(f.name))] }
}

function progressOf(request: IngestRequest): (e: IngestEvent) => void {
  const counts = { rows: 0, batches: 0, files: 0 }
  return (e) => {
    if (e.type !== 'batchCommitted') return
    counts.rows += e.rows
    counts.batches++
    counts.files += e.files
    request.onProgress(counts)
  }
}

/** A job whose state belongs to other input bytes: said as such, with what to do. */
function inputDiffers(err: unknown, appId: string): unknown {
  if (!isLakeError(err, 'JobMismatch') || err.context['field'] !== 'source fingerprint') return err
  return new IngestError('JobMismatch', `input differs from the one job '${appId}' started with (its content hash changed); Help: rerun with the original input to resume, or use a new --app-id for new input`, {
    context: { appId, field: 'source fingerprint' },
    cause: err,
  })
}
