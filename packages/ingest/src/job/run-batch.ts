// Runs one planned batch of a job: encode it against a snapshot (encode-batch.ts), evolve the
// schema in its own commit, then commit every file with txn { appId, version: batchId } in one
// commit, only ever under the metadata and protocol the files were encoded with. On a column-mapped
// table the evolved schema (new columns with the ids and physical names their files were encoded
// with, `delta.columnMapping.maxColumnId` bumped) is committed with the files, as writeDelta does.

import { CommitConflictError, serializeSchema } from '@lake/core'
import { loadSnapshot, mergeSchemas, tryLoadSnapshot } from '@lake/core/internal'
import type { CommitOptions, Metadata, Snapshot } from '@lake/core'
import type { NewTableSpec } from '@lake/core/internal'
import { commitBatch } from '../append/commit-batch.js'
import { discardFiles, provesNothingCommitted } from '../append/discard-files.js'
import type { CommitBatchResult } from '../append/commit-batch.js'
import { IngestError } from '../errors.js'
import type { MetricsCounter } from '../metrics.js'
import { canonicalJson } from '../sources/fingerprint.js'
import type { DeadLetter, DeadLetterSink } from './dead-letter.js'
import { baseOf, encodeBatch } from './encode-batch.js'
import type { BatchBase, EncodeBatchContext, EncodedBatch, RejectRecord } from './encode-batch.js'
import type { PlannedBatch } from './job-state.js'
import type { RecordCoercer } from './record-coercer.js'
import type { RejectBudget } from './reject-budget.js'

/** Encodes of one batch (the first plus re-encodes after concurrent schema changes) before giving up. */
export const MAX_BATCH_ENCODES = 3

/** Everything a batch needs from its job. */
export interface BatchContext extends EncodeBatchContext {
  readonly budget: RejectBudget
  readonly deadLetters?: DeadLetterSink | undefined
  readonly commit?: CommitOptions | undefined
  readonly metrics: MetricsCounter
  readonly now: () => number
  /** `metaData.id` of the table a batch creates when there is none yet (the id in the job's header). */
  readonly tableId: string
}

/** A batch whose files no longer match the table: re-encode against `latest`. */
interface Stale {
  readonly status: 'stale'
  readonly latest: Snapshot
  readonly reason: string
}

/**
 * Runs `batch`, encoding it against `base` (a table, or the one its commit creates); returns the
 * commit outcome. When a concurrent commit changes (or creates) the table's metadata or protocol
 * after the files were encoded, the files are deleted and the batch is re-read and re-encoded
 * against the new table. Files of a batch that fails before its commit lands are deleted too.
 * @throws IngestError `CommitConflict` when the metadata changed under `MAX_BATCH_ENCODES` encodes.
 */
export async function runBatch(ctx: BatchContext, first: BatchBase, batch: PlannedBatch): Promise<CommitBatchResult> {
  const letters = new BatchLetters(ctx, batch.batchId)
  let base = first
  for (let encodes = 1; ; encodes++) {
    letters.startAttempt()
    const encoded = await encodeBatch(ctx, base, batch, letters.reject)
    const outcome = await commitOrDiscard(ctx, encoded, batch, letters)
    if (outcome.status !== 'stale') return outcome
    ctx.onEvent?.({ type: 'conflict', appId: ctx.appId, batchId: batch.batchId, reason: outcome.reason })
    if (encodes >= MAX_BATCH_ENCODES) {
      throw new IngestError(
        'CommitConflict',
        `job '${ctx.appId}' batch ${batch.batchId}: expected the table's schema to hold still while the batch commits, found it changed under ${encodes} encodes (last: ${outcome.reason}); Help: retry the job once the schema changes are done`,
        { context: { appId: ctx.appId, batchId: batch.batchId, version: outcome.latest.version } },
      )
    }
    base = baseOf(outcome.latest)
  }
}

/** `commitEncoded`, deleting the batch's files when they were not committed. */
async function commitOrDiscard(ctx: BatchContext, encoded: EncodedBatch, batch: PlannedBatch, letters: BatchLetters): Promise<CommitBatchResult | Stale> {
  const keys = encoded.keys
  try {
    const outcome = await commitEncoded(ctx, encoded, batch, letters)
    if (outcome.status !== 'committed') await discardFiles(ctx.engine, keys)
    return outcome
  } catch (err) {
    if (provesNothingCommitted(err)) await discardFiles(ctx.engine, keys)
    throw err
  }
}

async function commitEncoded(ctx: BatchContext, encoded: EncodedBatch, batch: PlannedBatch, letters: BatchLetters): Promise<CommitBatchResult | Stale> {
  const { appId, signal } = ctx
  signal.throwIfAborted()
  const latest = await tryLoadSnapshot(ctx.engine, signal)
  if (latest === undefined) {
    await letters.flush(signal)
    return commitBatch({ ...batchCommit(ctx, encoded, batch), snapshot: undefined, newTable: newTableOf(ctx, encoded) })
  }
  const done = latest.txnVersion(appId)
  if (done !== undefined && done >= batch.batchId) {
    return { status: 'skipped', version: latest.version, reason: `appId '${appId}' already committed version ${done} (>= ${batch.batchId})` }
  }
  const changed = metadataChange(encoded.base, latest)
  if (changed !== undefined) return { status: 'stale', latest, reason: changed }
  // `latest` has exactly the metadata and protocol the files were encoded with, so it is as good a
  // read version as `encoded.base` (and saves rebasing over blind appends): any metadata change
  // after it is a `MetadataChanged` conflict in the commit loop.
  try {
    const evolves = encoded.coercer.addedColumns.length > 0
    const mapped = evolves && latest.columnMappingMode !== 'none' ? mappedMetadata(latest, encoded.coercer) : undefined
    const target = evolves && mapped === undefined ? await evolveSchema(ctx, latest, encoded.coercer, batch.batchId) : latest
    await letters.flush(signal)
    const result = await commitBatch({ ...batchCommit(ctx, encoded, batch), snapshot: target, metadata: mapped })
    if (mapped !== undefined && result.status === 'committed') {
      ctx.onEvent?.({ type: 'schemaEvolved', appId, batchId: batch.batchId, version: result.version, columns: encoded.coercer.addedColumns })
    }
    return result
  } catch (err) {
    if (!(err instanceof CommitConflictError) || (err.reason !== 'MetadataChanged' && err.reason !== 'ProtocolChanged')) throw err
    return { status: 'stale', latest: await loadSnapshot(ctx.engine, { signal }), reason: `${err.reason} at version ${err.winningVersion}` }
  }
}

/** The commit of a batch's files with its txn and range, against a table still to choose. */
function batchCommit(ctx: BatchContext, encoded: EncodedBatch, batch: PlannedBatch): Omit<Parameters<typeof commitBatch>[0], 'snapshot'> {
  const { appId } = ctx
  return {
    engine: ctx.engine,
    adds: encoded.adds,
    rows: encoded.rows,
    txn: { appId, version: batch.batchId },
    userMetadata: JSON.stringify({ lakeIngest: { appId, batchId: batch.batchId, start: batch.start, end: batch.end } }),
    commit: ctx.commit,
    metrics: ctx.metrics,
    onEvent: ctx.onEvent,
    appId,
    batchId: batch.batchId,
    signal: ctx.signal,
  }
}

/** The table a batch creates: the schema its files were encoded with (evolved columns included). */
function newTableOf(ctx: BatchContext, encoded: EncodedBatch): NewTableSpec {
  return { schema: encoded.coercer.schema, partitionBy: encoded.base.partitionColumns, id: ctx.tableId }
}

/** Why `latest` cannot take files encoded against `base`, or `undefined` when it can. */
function metadataChange(encodedBase: BatchBase, latest: Snapshot): string | undefined {
  const base = encodedBase.snapshot
  if (base === undefined) return `the table was created at version ${latest.version} after the files were encoded`
  if (latest.version === base.version) return undefined
  if (canonicalJson(latest.protocol) !== canonicalJson(base.protocol)) return `ProtocolChanged between version ${base.version} (files encoded) and ${latest.version}`
  if (canonicalJson(latest.metadata) !== canonicalJson(base.metadata)) return `MetadataChanged between version ${base.version} (files encoded) and ${latest.version}`
  return undefined
}

/** The metadata of a column-mapped table with the coercer's evolved (already mapped) columns and configuration. */
function mappedMetadata(latest: Snapshot, coercer: RecordCoercer): Metadata {
  const merged = mergeSchemas(latest.schema, coercer.schema)
  return { ...latest.metadata, schemaString: serializeSchema(merged.schema), configuration: { ...coercer.configuration } }
}

/**
 * Commits the evolved schema on its own (a metadata-only commit read at `latest`), then returns
 * the table exactly at that commit: the data commit reads there, so a later change conflicts.
 */
async function evolveSchema(ctx: BatchContext, latest: Snapshot, coercer: RecordCoercer, batchId: number): Promise<Snapshot> {
  const merged = mergeSchemas(latest.schema, coercer.schema)
  if (!merged.changed) return latest
  const metadata = { ...latest.metadata, schemaString: serializeSchema(merged.schema) }
  const result = await commitBatch({ engine: ctx.engine, snapshot: latest, adds: [], rows: 0, metadata, commit: ctx.commit, metrics: ctx.metrics, appId: ctx.appId, batchId, signal: ctx.signal })
  ctx.onEvent?.({ type: 'schemaEvolved', appId: ctx.appId, batchId, version: result.version, columns: coercer.addedColumns })
  return loadSnapshot(ctx.engine, { version: result.version, signal: ctx.signal })
}

/**
 * The rejected records of one batch across its encodes. A record rejected again by a re-encode
 * (same position and code) is not counted, reported or written twice.
 */
class BatchLetters {
  readonly #ctx: BatchContext
  readonly #batchId: number
  readonly #seen = new Set<string>()
  readonly #written = new Set<string>()
  #pending: { readonly key: string; readonly letter: DeadLetter }[] = []

  constructor(ctx: BatchContext, batchId: number) {
    this.#ctx = ctx
    this.#batchId = batchId
  }

  startAttempt(): void {
    this.#pending = []
  }

  readonly reject: RejectRecord = (position, raw, code, message) => {
    const ctx = this.#ctx
    const key = `${canonicalJson(position)}\u0000${code}`
    this.#pending.push({ key, letter: { appId: ctx.appId, batchId: this.#batchId, position, raw, code, message, rejectedAt: new Date(ctx.now()).toISOString() } })
    if (this.#seen.has(key)) return
    this.#seen.add(key)
    ctx.metrics.rejected++
    ctx.onEvent?.({ type: 'recordRejected', appId: ctx.appId, batchId: this.#batchId, position, code, message })
    ctx.budget.spend(ctx.appId, this.#batchId, message)
  }

  /** Writes this encode's letters not written by an earlier encode. */
  async flush(signal: AbortSignal): Promise<void> {
    const fresh = this.#pending.filter((p) => !this.#written.has(p.key))
    if (fresh.length === 0 || this.#ctx.deadLetters === undefined) return
    await this.#ctx.deadLetters.write(
      fresh.map((p) => p.letter),
      { signal },
    )
    for (const p of fresh) this.#written.add(p.key)
  }
}
