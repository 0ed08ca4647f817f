// The columnar MERGE executor (docs/row-level-plan.md §5.7): a plain upsert (unconditional updateAll /
// delete / insertAll on equality keys of integral or string columns) over a table without constraints
// or generated columns runs without row objects for the source or the new rows: the source is held as
// the table's columns (columnar-source.ts) and hashed on its key column(s) (columnar-hash.ts), the
// target's key columns are probed file by file (columnar-pass.ts), and the new rows (update
// post-images in target order, then inserts in source order, as the row route writes them; or the
// source's own columns when they are the whole source, each row once) are taken from the source
// columns by index and encoded as they are; the deletion vectors are written while the
// new file uploads (copy-on-write: the changed files' other rows and the new rows are joined into files
// of the target size). Where it cannot decide exactly as the row route (several source rows for one
// target row, a NULL in a NOT NULL column) it writes nothing and says so: the caller runs the row
// route, which reports the error.

import type { ArrowColumn, ArrowRecordBatch, ParquetCodec, StructType } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import { engineCodec } from '../../engine.js'
import type { Engine } from '../../engine.js'
import type { AddCDCFile } from '../../actions/types.js'
import { batchOfColumns, takeColumn } from '../../arrow-values.js'
import { applyOutcomes, discardWritten } from '../../rewrite/apply-outcomes.js'
import type { AppliedOutcomes, DecidedFile, RewriteTarget } from '../../rewrite/apply-outcomes.js'
import { keptLayout } from '../../rewrite/columnar-rewrite.js'
import type { KeptLayout } from '../../rewrite/kept-columns.js'
import { rewriteTarget } from '../../rewrite/decide-files.js'
import type { FileReader } from '../../scan/read-scan-file.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import type { ChangeCounts } from './change-sink.js'
import { copyMarkedFiles } from './columnar-copy-on-write.js'
import type { ColumnarFileWriter } from './columnar-writer.js'
import type { ColumnHash } from './columnar-hash.js'
import { keyColumns, readKeyColumns, readKeysAhead } from './columnar-keys.js'
import { MULTIPLE_MATCHES, passColumnarFile } from './columnar-pass.js'
import type { ColumnarPass } from './columnar-pass.js'
import type { SourceColumns } from './columnar-source.js'
import { mergeMetrics } from './metrics.js'
import type { MergeMetrics } from './metrics.js'
import type { MergePlan } from './plan.js'
import { keyReads, targetReader } from './target-reads.js'
import { mergeCandidates } from './target-pruning.js'
import type { TargetCandidates } from './target-pruning.js'

/** The source as the columnar executor holds it. */
export interface ColumnarSource {
  readonly columns: SourceColumns
  readonly hash: ColumnHash
}

/** What the executor did, for the metrics and the commit. */
export interface ColumnarOutcome {
  readonly applied: AppliedOutcomes | undefined
  readonly adds: readonly AddFile[]
  readonly counts: ChangeCounts
  /** When the target pass ended (performance.now()). */
  readonly scanned: number
}

/** What one columnar attempt needs. */
interface ColumnarAttempt {
  /** Copy-on-write: how the changed files' other rows are read and written again (columnar-copy-on-write.ts); undefined with deletion vectors. */
  readonly layout: KeptLayout | undefined
  readonly engine: Engine
  readonly snapshot: Snapshot
  readonly plan: MergePlan
  readonly source: ColumnarSource
  readonly candidates: TargetCandidates
  readonly reader: FileReader
  readonly writer: ColumnarFileWriter
  readonly signal: AbortSignal | undefined
}

/** A columnar attempt's result, as the MERGE executor stages it. */
export interface ColumnarDone {
  readonly plan: MergePlan
  readonly candidates: TargetCandidates
  readonly applied: AppliedOutcomes | undefined
  readonly adds: readonly AddFile[]
  readonly cdc: readonly AddCDCFile[]
  readonly metrics: MergeMetrics
}

/**
 * One attempt of a MERGE the columnar executor can run (columnar-route.ts), from the source held as
 * columns; undefined, with nothing written, when only the row route can decide it.
 * @param started when materializing the source began (performance.now()), for the metrics
 * @throws errors of the reads and writes; files it wrote are deleted first.
 */
export async function runColumnar(engine: Engine, snapshot: Snapshot, plan: MergePlan, source: ColumnarSource, writer: ColumnarFileWriter, signal: AbortSignal | undefined, started: number): Promise<ColumnarDone | undefined> {
  const materialized = performance.now()
  const layout = plan.mode === 'copyOnWrite' && !plan.insertOnly ? copyLayout(engine, snapshot) : undefined
  if (layout === null) return undefined
  const pruning = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode }
  const candidates = mergeCandidates(snapshot.files(), pruning, plan.join, source.hash.keyValues, { wholeTable: false, anyMatchable: source.hash.size > 0 })
  const reader = targetReader(snapshot, keyReads(plan, snapshot.schema, snapshot.partitionColumns))
  let outcome: ColumnarOutcome | undefined
  try {
    outcome = await executeColumnar({ engine, snapshot, plan, source, candidates, reader, writer, signal, layout })
  } catch (err) {
    await writer.abort()
    throw err
  }
  if (outcome === undefined) {
    await writer.abort()
    return undefined
  }
  const end = performance.now()
  const timesMs = { execution: Math.round(end - started), materializeSource: Math.round(materialized - started), scan: Math.round(outcome.scanned - materialized), rewrite: Math.round(end - outcome.scanned) }
  const metrics = mergeMetrics({ sourceRows: source.columns.length, changes: outcome.counts, applied: outcome.applied, adds: outcome.adds, changeFiles: 0, timesMs })
  return { plan, candidates, applied: outcome.applied, adds: outcome.adds, cdc: [], metrics }
}

/** The layout copy-on-write rewrites files with, or null when the codec cannot read and encode Arrow batches. */
function copyLayout(engine: Engine, snapshot: Snapshot): KeptLayout | null {
  const codec = engineCodec(engine) as ParquetCodec<ArrowRecordBatch>
  if (codec.readBatches === undefined || codec.encodeBatch === undefined) return null
  return keptLayout(snapshot, { read: codec.readBatches.bind(codec), encode: codec.encodeBatch.bind(codec) })
}

/** Source rows written: update post-images (target order), then unmatched source rows when the MERGE inserts. */
function outputIndexes(plan: MergePlan, pass: ColumnarPass, length: number): Int32Array {
  const inserts = plan.notMatched.length > 0
  let count = pass.updates.length
  if (inserts) for (let i = 0; i < length; i++) count += pass.matchedSource[i] === 1 ? 0 : 1
  const out = new Int32Array(count)
  out.set(pass.updates)
  let next = pass.updates.length
  if (inserts) for (let i = 0; i < length; i++) if (pass.matchedSource[i] !== 1) out[next++] = i
  return out
}

/**
 * The new rows as one batch's columns; undefined when a NOT NULL column would hold a NULL (the row route
 * reports it). When the new rows are the whole source, each once (an upsert that inserts, no source row
 * updating two target rows), the source's own columns are written, in source order: the same rows.
 */
function outputColumns(schema: StructType, source: SourceColumns, indexes: Int32Array, inserts: boolean): ArrowColumn[] | undefined {
  const whole = inserts && indexes.length === source.length && source.columns.every((chunks) => chunks.length === 1)
  const columns: ArrowColumn[] = []
  for (const [k, field] of schema.fields.entries()) {
    const chunks = source.columns[k] ?? []
    const column = whole && chunks[0] !== undefined ? chunks[0] : takeColumn(chunks, indexes)
    if (!field.nullable && column.nullCount > 0) return undefined
    columns.push(column)
  }
  return columns
}

/**
 * Runs one attempt's target pass and writes its new rows; undefined (nothing written) when only the
 * row route can decide it.
 * @throws errors of the reads and writes (the caller aborts the writer).
 */
async function executeColumnar(attempt: ColumnarAttempt): Promise<ColumnarOutcome | undefined> {
  const { engine, snapshot, plan, source, signal } = attempt
  const keys = keyColumns(engine, attempt.reader, plan)
  const pass: ColumnarPass = { engine, plan, hash: source.hash, reader: attempt.reader, keyColumns: keys, signal, matchedSource: new Uint8Array(source.columns.length), updates: [], deleted: 0 }
  const decided: DecidedFile[] = []
  const files = attempt.candidates.files
  const reads = keys === undefined ? undefined : readKeysAhead((file) => readKeyColumns(engine, attempt.reader, keys, file, signal), files)
  for (const file of files) {
    const outcome = await passColumnarFile(pass, file, reads?.next().value ?? undefined)
    if (outcome === MULTIPLE_MATCHES) return undefined
    decided.push(outcome)
  }
  const scanned = performance.now()
  const indexes = outputIndexes(plan, pass, source.columns.length)
  const counts: ChangeCounts = { inserted: indexes.length - pass.updates.length, matchedUpdated: pass.updates.length, matchedDeleted: pass.deleted, notMatchedBySourceUpdated: 0, notMatchedBySourceDeleted: 0, copied: 0 }
  let output: ArrowRecordBatch | undefined
  if (indexes.length > 0) {
    const columns = outputColumns(plan.schema, source.columns, indexes, plan.notMatched.length > 0)
    if (columns === undefined) return undefined
    output = batchOfColumns(plan.schema, columns, indexes.length)
  }
  const changed = decided.filter((d) => d.outcome.kind !== 'untouched')
  const target = { ...rewriteTarget(snapshot), schema: plan.schema }
  if (attempt.layout !== undefined) return copyOnWrite(attempt, attempt.layout, changed, target, output, { counts, scanned })
  if (output !== undefined) await attempt.writer.writeBatches([output])
  // The deletion vectors are written while the new data file is written (its upload and fsync).
  const [added, applied] = await Promise.allSettled([attempt.writer.finish(), plan.insertOnly ? undefined : applyOutcomes(engine, changed, target, { signal })])
  if (added.status === 'rejected') {
    if (applied.status === 'fulfilled') await discardWritten(engine, applied.value?.adds ?? [], applied.value?.dvPath)
    throw added.reason
  }
  if (applied.status === 'rejected') throw applied.reason
  return { applied: applied.value, adds: [...added.value, ...(applied.value?.adds ?? [])], counts, scanned }
}

/**
 * Copy-on-write: the changed files' other rows, then the new rows, go through the writer, which joins
 * them into files of the target size (columnar-copy-on-write.ts); the changed files are removed.
 * @throws errors of the reads and writes (the caller aborts the writer, deleting its files).
 */
async function copyOnWrite(attempt: ColumnarAttempt, layout: KeptLayout, changed: readonly DecidedFile[], target: RewriteTarget, output: ArrowRecordBatch | undefined, pass: { counts: ChangeCounts; scanned: number }): Promise<ColumnarOutcome> {
  const { engine, signal, writer } = attempt
  const copies = await copyMarkedFiles(engine, layout, changed, writer, signal)
  if (output !== undefined) await writer.appendBatch(output)
  const adds = await writer.finish()
  const applied = await applyOutcomes(engine, copies.decided, target, { signal, copiedRows: copies.copied })
  return { applied, adds, counts: { ...pass.counts, copied: applied.copiedRows }, scanned: pass.scanned }
}
