// MERGE (docs/row-level-plan.md §5): check the clauses and the table's features, materialize the source
// as a hash on its join keys (under a byte budget), plan, stream the candidate target files through the
// clauses, insert unmatched source rows, write deletion vectors or copy-on-write files, and commit one
// MERGE with what it read. A failed MERGE leaves the table as it was: files it wrote are deleted. On a
// conflict it re-plans against the new snapshot over the source read and hashed once (operations/run.ts).

import type { AddCDCFile, AddFile } from '../../actions/types.js'
import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import { assertCanWrite } from '../../features/index.js'
import { RollingFileWriter } from '../../files/rolling-file-writer.js'
import { engineCodec } from '../../engine.js'
import { applyOutcomes, discardWritten } from '../../rewrite/apply-outcomes.js'
import type { AppliedOutcomes, DecidedFile } from '../../rewrite/apply-outcomes.js'
import { createChangeSink } from '../../rewrite/change-sink.js'
import type { ChangeSink } from '../../rewrite/change-sink.js'
import { rewriteTarget } from '../../rewrite/decide-files.js'
import { bindConstraints, constraintEvaluator } from '../../rows/row-constraints.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import type { CommitOptions } from '../../transaction/commit-request.js'
import { runOperation } from '../run.js'
import type { Executed, RunStats } from '../run.js'
import { MergeChangeSink } from './change-sink.js'
import type { ColumnarDone, ColumnarSource } from './columnar-execute.js'
import type * as ColumnarKit from './columnar-kit.js'
import type { ColumnarFileWriter, MergeRowWriter } from './columnar-writer.js'
import { columnarKeys, isPlainUpsert, mergeWriteRoute } from './columnar-route.js'
import type { ColumnarTarget } from './columnar-route.js'
import type { MergeWriteRoute } from './columnar-route.js'
import { checkClauseOrder, isInsertOnly } from './plan-clauses.js'
import { insertUnmatched, mergeIntent } from './insert-only.js'
import { changedNothing, mergeMetrics } from './metrics.js'
import type { MergeMetrics } from './metrics.js'
import { planMerge } from './plan.js'
import type { MergePlan, MergeSpec } from './plan.js'
import { DEFAULT_MERGE_SOURCE_MAX_BYTES, collectSource, hashSource } from './source-hash.js'
import type { CollectedSource, MergeSourceInput, SourceHash } from './source-hash.js'
import { sourceSchema, typedSourceRows } from './source-schema.js'
import { passFile } from './target-pass.js'
import { targetReader, targetReads } from './target-reads.js'
import { mergeCandidates } from './target-pruning.js'

/** Options of a MERGE's `execute`. */
export interface MergeExecuteOptions {
  /** Budget of the in-memory source (estimated bytes); default 512 MiB. Above it: MergeError `SourceTooLarge`. */
  readonly mergeSourceMaxBytes?: number
  /** Size new data files roll at (estimated bytes). */
  readonly targetFileBytes?: number
  readonly commit?: CommitOptions
  readonly signal?: AbortSignal
}

/** Which executor decided a MERGE attempt: the columnar executor (columnar-execute.ts) or the row route. */
export type MergeExecutor = 'columnar' | 'rows'

/**
 * `executeMerge`'s internal switches (tests and benchmarks compare the routes), a parameter of their own
 * that `MergeBuilder.execute` never passes: no option of the public API reaches them.
 */
export interface MergeInternals {
  /** false: the row route even where the columnar executor could run (columnar-route.ts). */
  readonly columnarExecutor?: boolean
  /** Told, per attempt, which executor decided it (after a columnar hand-over: 'rows'). */
  readonly onExecutor?: (executor: MergeExecutor) => void
}

/**
 * A MERGE's outcome: the committed version (undefined when nothing changed: nothing committed), its
 * metrics (of the attempt that committed), and how many times it ran (`attempts` = 1 + `replans`).
 */
export interface MergeResult extends RunStats {
  readonly version: number | undefined
  readonly metrics: MergeMetrics
}

/**
 * A MERGE planned over one snapshot: the plan, the source as columns when the columnar executor runs it,
 * the source hashed as rows (made on first use when the source is held as columns), and how long
 * planning took (typing and hashing the source).
 */
interface Planned {
  readonly plan: MergePlan
  readonly columnar: ColumnarSource | undefined
  readonly rowHash: () => SourceHash
  readonly planMs: number
  readonly route: MergeWriteRoute
  /** The columnar parts, loaded for a plain upsert (columnar-kit.ts); the route is 'rows' without them. */
  readonly kit: Kit | undefined
}

type Kit = typeof ColumnarKit

type Done = ColumnarDone

/**
 * Merges `source` into the table's latest version. The source is read once; on a conflicting
 * concurrent commit the MERGE re-plans against the new version over the same source (`runOperation`).
 * @throws MergeError (`InvalidArgument`, `SourceTooLarge`, `MultipleSourceRowsMatched`); PredicateError
 *   `InvalidPredicate`; SchemaError; ConstraintViolationError; ProtocolError `UnsupportedFeature` (change
 *   data feed with updates or deletes, generated columns, ...); CommitConflictError when re-planning is off
 *   or exhausted (`context.replans`); StorageError, ParquetError.
 */
export async function executeMerge(engine: Engine, source: MergeSourceInput, spec: MergeSpec, options: MergeExecuteOptions = {}, internals: MergeInternals = {}): Promise<MergeResult> {
  const started = performance.now()
  checkClauseOrder(spec.clauses)
  const collected = await collectSource(source, options.mergeSourceMaxBytes ?? DEFAULT_MERGE_SOURCE_MAX_BYTES, options.signal)
  const collectMs = performance.now() - started
  const hashed: HashedSource = { collected, schemaKey: undefined, hash: undefined, columnar: undefined }
  const kit = isPlainUpsert(spec) ? await import('./columnar-kit.js') : undefined
  return runOperation(
    engine,
    {
      name: 'MERGE',
      plan: (snapshot) => planAttempt(engine, snapshot, hashed, spec, kit, internals.columnarExecutor !== false),
      execute: (planned, snapshot, context) => executeAttempt(engine, snapshot, planned, { ...options, ...context }, collectMs, internals.onExecutor),
    },
    options,
  )
}

/**
 * The source read once, and its hash on the join keys for the schemas it was typed against (kept across
 * attempts): as rows, and as columns for the columnar executor (null: it cannot hold this source).
 */
interface HashedSource {
  readonly collected: CollectedSource
  schemaKey: string | undefined
  hash: SourceHash | undefined
  columnar: ColumnarSource | null | undefined
}

/**
 * Pure over `snapshot`: checks the table's features, types the source against its schema, plans, and
 * hashes the source, re-using the previous attempt's hash unless the table's schema changed.
 */
function planAttempt(engine: Engine, snapshot: Snapshot, hashed: HashedSource, spec: MergeSpec, kit: Kit | undefined, columnarExecutor: boolean): Planned {
  const started = performance.now()
  const target = { protocol: snapshot.protocol, schema: snapshot.schema, configuration: snapshot.metadata.configuration }
  assertCanWrite(target, mergeIntent(isInsertOnly(spec.clauses), snapshot.config.enableDeletionVectors), { canEvaluate: constraintEvaluator(snapshot.schema) })
  const schema = sourceSchema(snapshot.schema, hashed.collected)
  const plan = planMerge(snapshot, schema, spec, { nowMs: engine.now() })
  const schemaKey = JSON.stringify([snapshot.schema, schema], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))
  if (hashed.schemaKey !== schemaKey) Object.assign(hashed, { schemaKey, hash: undefined, columnar: undefined })
  const route = kit === undefined ? 'rows' : mergeWriteRoute(spec, plan, snapshot)
  const keys = kit !== undefined && route === 'columnar' && columnarExecutor ? columnarKeys(plan, columnarTarget(engine, snapshot, plan)) : undefined
  if (kit !== undefined && keys !== undefined && hashed.columnar === undefined) hashed.columnar = columnarSource(kit, snapshot.schema, schema, hashed.collected, plan, keys) ?? null
  const rowHash = (): SourceHash => (hashed.hash ??= hashSource(typedSourceRows(hashed.collected, schema), plan.join))
  const columnar = keys === undefined ? undefined : (hashed.columnar ?? undefined)
  if (columnar === undefined) rowHash()
  return { plan, columnar, rowHash, planMs: performance.now() - started, route, kit }
}

/** What the columnar executor needs of the table beyond the plan. */
function columnarTarget(engine: Engine, snapshot: Snapshot, plan: MergePlan): ColumnarTarget {
  const constraints = bindConstraints(plan.schema, snapshot.metadata.configuration).length
  return { partitionColumns: snapshot.partitionColumns, encodesBatches: engineCodec(engine).encodeBatch !== undefined, constraints }
}

/** The source as columns with its key hash, or undefined when the columnar executor cannot hold it. */
function columnarSource(kit: Kit, table: Snapshot['schema'], schema: Snapshot['schema'], collected: CollectedSource, plan: MergePlan, keys: readonly number[]): ColumnarSource | undefined {
  const columns = kit.sourceColumns(table, schema, collected, keys)
  const hash = columns === undefined ? undefined : kit.hashColumns(columns, plan.join, keys)
  return columns === undefined || hash === undefined ? undefined : { columns, hash }
}

/** One attempt: streams the target through the clauses, writes, stages the MERGE commit. */
async function executeAttempt(engine: Engine, snapshot: Snapshot, planned: Planned, options: MergeExecuteOptions, collectMs: number, observe: MergeInternals['onExecutor']): Promise<Executed<Omit<MergeResult, keyof RunStats>>> {
  // Materializing the source (Spark's materializeSourceTimeMs) is reading it and typing and hashing it.
  const done = await run(engine, snapshot, planned, options, performance.now() - collectMs - planned.planMs, observe)
  const written = { adds: done.adds, cdc: done.cdc, keys: done.applied?.dvPath === undefined ? [] : [done.applied.dvPath] }
  const result = (version: number | undefined): Omit<MergeResult, keyof RunStats> => ({ version, metrics: done.metrics })
  if (changedNothing(done) && done.plan.metadata === undefined) return { txn: undefined, written, result }
  return { txn: stage(engine, snapshot, done, options), written, result }
}

async function run(engine: Engine, snapshot: Snapshot, planned: Planned, options: MergeExecuteOptions, started: number, observe: MergeInternals['onExecutor']): Promise<Done> {
  if (planned.columnar !== undefined && planned.kit !== undefined) {
    const writer = newWriter(engine, snapshot, planned, options) as ColumnarFileWriter
    const done = await planned.kit.runColumnar(engine, snapshot, planned.plan, planned.columnar, writer, options.signal, started)
    observe?.(done === undefined ? 'rows' : 'columnar')
    if (done !== undefined) return done
  } else observe?.('rows')
  const { signal } = options
  const { plan } = planned
  const hash = planned.rowHash()
  const materialized = performance.now()
  const pruning = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode }
  const candidates = mergeCandidates(snapshot.files(), pruning, plan.join, hash.keyValues, { wholeTable: plan.notMatchedBySource.length > 0, anyMatchable: hash.matchable.length > 0 })
  const writer = newWriter(engine, snapshot, planned, options)
  const configuration = plan.metadata?.configuration ?? snapshot.metadata.configuration
  const changes = createChangeSink(engine, { schema: plan.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode, config: snapshot.config }, signal === undefined ? {} : { signal })
  const sink = new MergeChangeSink(writer, plan.schema, snapshot.partitionColumns, bindConstraints(plan.schema, configuration), plan.metadata !== undefined, changes.enabled ? changes : undefined)
  const times = { scanned: materialized, end: materialized }
  try {
    const matchedSource = new Uint8Array(hash.rows.length)
    const reads = targetReads(plan, snapshot.schema, snapshot.partitionColumns, changes.enabled)
    const readers = { reader: targetReader(snapshot, reads.probe), imageReader: targetReader(snapshot, reads.image), deferred: reads.deferred }
    const pass = { engine, plan, hash, ...readers, sink, matchedSource, probeOnly: plan.insertOnly, signal }
    const decided: DecidedFile[] = []
    for (const file of candidates.files) decided.push(await passFile(pass, file))
    times.scanned = performance.now()
    await insertUnmatched(plan, hash, matchedSource, sink)
    await sink.flush()
    const adds = await writer.finish()
    const changed = decided.filter((d) => d.outcome.kind !== 'untouched')
    const applied = plan.insertOnly ? undefined : await applyOutcomes(engine, changed, { ...rewriteTarget(snapshot), schema: plan.schema }, { signal })
    const cdc = await finishChanges(engine, changes, sink.counts.copied > 0, adds, applied)
    times.end = performance.now()
    const timesMs = { execution: Math.round(times.end - started), materializeSource: Math.round(materialized - started), scan: Math.round(times.scanned - materialized), rewrite: Math.round(times.end - times.scanned) }
    const metrics = mergeMetrics({ sourceRows: hash.rows.length, changes: sink.counts, applied, adds, changeFiles: cdc.length, timesMs })
    return { plan, candidates, applied, adds, cdc, metrics }
  } catch (err) {
    await writer.abort()
    await changes.discard()
    throw err
  }
}

/** The writer of new rows: columnar on the upsert route when the schema allows (columnar-route.ts), else rows. */
function newWriter(engine: Engine, snapshot: Snapshot, planned: Planned, options: MergeExecuteOptions): MergeRowWriter {
  const files = {
    ...rewriteTarget(snapshot),
    schema: planned.plan.schema,
    ...(options.targetFileBytes === undefined ? {} : { targetFileBytes: options.targetFileBytes }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  }
  const columnar = planned.route === 'columnar' ? planned.kit?.columnarWriterFor(engine, files, engineCodec(engine)) : undefined
  return columnar ?? new RollingFileWriter(engine, files)
}

/** The change data files the commit needs (copy-on-write copies or updates); on failure deletes the attempt's data files. */
async function finishChanges(engine: Engine, changes: ChangeSink, rewritesFiles: boolean, adds: readonly AddFile[], applied: AppliedOutcomes | undefined): Promise<readonly AddCDCFile[]> {
  try {
    return await changes.finish({ rewritesFiles })
  } catch (err) {
    await discardWritten(engine, [...adds], applied?.dvPath)
    throw err
  }
}

function stage(engine: Engine, snapshot: Snapshot, done: Done, options: MergeExecuteOptions): Transaction {
  const { plan, applied, candidates } = done
  const txn = Transaction.begin(engine, snapshot, {
    operation: { kind: 'custom', operation: 'MERGE', parameters: plan.parameters },
    intent: mergeIntent(plan.insertOnly, plan.mode === 'deletionVectors'),
    canEvaluate: constraintEvaluator(plan.schema),
    ...(plan.metadata === undefined ? {} : { metadata: plan.metadata }),
    ...(plan.protocol === undefined ? {} : { protocol: plan.protocol }),
    commit: options.commit,
    signal: options.signal,
  })
  if (plan.protocol !== undefined) txn.setProtocol(plan.protocol)
  if (plan.metadata !== undefined) txn.setMetadata(plan.metadata)
  if (applied !== undefined) txn.removeFiles(applied.removes).updateDeletionVectors(applied.dvUpdates, applied.dvFiles, applied.dvStats)
  txn.addFiles(done.adds).addCdcFiles(done.cdc).readFiles(candidates.files.map((f) => f.path)).setMetrics({ ...done.metrics })
  return candidates.predicate === undefined ? txn.readWholeTable() : txn.readPredicate(candidates.predicate.matchesFile, candidates.predicate.sql)
}
