// writeDelta: the write entry point (delta-rs `write_deltalake` in TypeScript). Plans from the
// latest snapshot, checks every row, writes data files, then commits once with the OCC loop.

import type { Compression, Row, StructType } from '@lake/parquet'
import type { OpenStoreOptions } from '@lake/storage'
import type { Action, AddFile, RemoveFile, Txn } from '../actions/types.js'
import { commitWithRetry } from '../commit/commit-loop.js'
import type { CommitOptions, CommitRequest } from '../commit/commit-loop.js'
import type { Engine } from '../engine.js'
import { loadSnapshot } from '../snapshot/load-snapshot.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import { assertCanWrite } from '../write/can-write.js'
import { coerceRows } from '../write/coerce-rows.js'
import { constraintEvaluator } from '../write/row-constraints.js'
import { writeCommitInfo } from './write-commit-info.js'
import { checkRowConstraints, compileReplaceWhere, planReplaceWhere, removeOf } from './replace-where.js'
import type { CompiledReplaceWhere, ReplaceWherePlan } from './replace-where.js'
import { concurrentCreateError, isLostCreateRace } from './concurrent-create.js'
import { planWrite, validateWriteOptions } from './plan-write.js'
import type { SchemaMode, WriteMode, WritePlan } from './plan-write.js'
import { resolveTable, tryLoadSnapshot } from './resolve-table.js'
import type { TableLocation } from './resolve-table.js'
import { writeDataFiles } from './write-data-files.js'
import { WriteError } from './write-error.js'
import { parseTableConfig } from '../table-config.js'
import type { TableConfig } from '../table-config.js'

/** Options of `writeDelta`. */
export interface WriteOptions {
  /** `error` (default): fail if the table exists; `append`; `overwrite`; `ignore`: do nothing if it exists. */
  readonly mode?: WriteMode
  /** `merge` (mergeSchema) adds new columns; `overwrite` (overwriteSchema, with mode overwrite) replaces the schema. */
  readonly schemaMode?: SchemaMode
  /** The schema for a new table (or for schemaMode overwrite); inferred from the rows when absent. */
  readonly schema?: StructType
  readonly partitionBy?: readonly string[]
  /** With mode `overwrite`: replace only the rows matching this predicate; every new row must match it. */
  readonly replaceWhere?: string
  /** Idempotent write: skipped when the table already holds `version` (or later) for `appId`. */
  readonly txn?: { readonly appId: string; readonly version: number }
  /** For a new table. */
  readonly name?: string
  readonly description?: string
  /** Table properties of a new table (`delta.*` and custom). */
  readonly configuration?: Readonly<Record<string, string>>
  readonly compression?: Compression
  readonly targetFileBytes?: number
  readonly maxRowsPerFile?: number
  /** Free text recorded as commitInfo `userMetadata` (Spark's `userMetadata` option). */
  readonly userMetadata?: string
  readonly commit?: CommitOptions
  readonly storage?: OpenStoreOptions
  readonly signal?: AbortSignal
}

/** What a write did. */
export type WriteResult =
  | { readonly status: 'committed'; readonly version: number; readonly attempts: number; readonly numFilesAdded: number; readonly numFilesRemoved: number; readonly numRows: number }
  | { readonly status: 'skipped'; readonly version: number; readonly reason: string }


/**
 * Writes rows to a Delta table, creating it when it does not exist.
 * Every row is checked against the schema before any file is written; a failed write leaves the
 * table exactly as it was (files written before a failure are orphans, removed only by vacuum).
 * When another writer creates the table first (both raced for version 0), the write is redone
 * against the table it created, as its mode says: `append`/`overwrite` write into it when the rows
 * fit its schema and partitioning, `ignore` skips, `error` fails with `TableExists`.
 * @throws SchemaError, WriteError, ProtocolError, CommitConflictError, StorageError.
 */
export async function writeDelta(location: TableLocation, rows: readonly unknown[] | Iterable<unknown> | AsyncIterable<unknown>, options: WriteOptions = {}): Promise<WriteResult> {
  validateWriteOptions({ ...options, mode: options.mode ?? 'error' })
  const engine = await resolveTable(location, options.storage)
  const input = await collectRows(rows)
  const snapshot = await tryLoadSnapshot(engine, options.signal)
  const prepared = prepareWrite(engine, snapshot, input, options)
  if (prepared.kind === 'done') return prepared.result
  if (snapshot !== undefined) return executeWrite(engine, snapshot, prepared, options)
  try {
    return await executeWrite(engine, undefined, prepared, options)
  } catch (err) {
    if (!isLostCreateRace(err)) throw err
    // The data files of the failed create stay as orphans (vacuum removes them); redo against the new table.
    const created = await loadSnapshot(engine, options.signal === undefined ? {} : { signal: options.signal })
    let redo: Prepared
    try {
      redo = prepareWrite(engine, created, input, options)
    } catch (cause) {
      throw concurrentCreateError(created, err, cause)
    }
    return redo.kind === 'done' ? redo.result : executeWrite(engine, created, redo, options)
  }
}

/** A write checked and planned against one snapshot, before any I/O; or its result when nothing is to be written. */
type Prepared =
  | { readonly kind: 'done'; readonly result: WriteResult }
  | {
      readonly kind: 'write'
      readonly mode: WriteMode
      readonly plan: Extract<WritePlan, { kind: 'write' }>
      readonly replace: CompiledReplaceWhere | undefined
      readonly rows: readonly Row[]
    }

/** Plans the write and checks every row (synchronous: mode, schema, protocol, constraints). */
function prepareWrite(engine: Engine, snapshot: Snapshot | undefined, input: readonly unknown[], options: WriteOptions): Prepared {
  const txn = options.txn
  if (snapshot !== undefined && txn !== undefined) {
    const done = snapshot.txnVersion(txn.appId)
    if (done !== undefined && done >= txn.version) {
      return { kind: 'done', result: { status: 'skipped', version: snapshot.version, reason: `appId '${txn.appId}' already committed version ${done} (>= ${txn.version})` } }
    }
  }
  const mode = options.mode ?? 'error'
  const plan = planWrite(snapshot, input, { ...options, mode }, engine.now())
  if (plan.kind === 'skip') return { kind: 'done', result: { status: 'skipped', version: snapshot?.version ?? -1, reason: plan.reason } }

  const replace = options.replaceWhere === undefined ? undefined : compileReplaceWhere(options.replaceWhere, plan.schema, plan.partitionColumns)
  if (snapshot !== undefined) {
    // Constraints are enforced row-wise below, so those lake can bind are writable; a replaceWhere
    // on data columns rewrites rows of straddling files (needs CDC files under change data feed).
    assertCanWrite(
      { protocol: plan.protocol ?? snapshot.protocol, schema: plan.schema, configuration: plan.metadata?.configuration ?? snapshot.metadata.configuration },
      { removesData: plan.removeAll || replace !== undefined, rewritesRows: replace !== undefined && !replace.partitionOnly },
      { canEvaluate: constraintEvaluator(plan.schema) },
    )
  }
  const coerced = coerceRows(input, plan.schema, { partitionColumns: plan.partitionColumns })
  checkRowConstraints(coerced, replace, plan.schema, plan.metadata?.configuration ?? snapshot?.metadata.configuration ?? {})
  return { kind: 'write', mode, plan, replace, rows: coerced }
}

/** Writes the data files of a prepared write and commits them with the OCC loop. */
async function executeWrite(engine: Engine, snapshot: Snapshot | undefined, prepared: PreparedWrite, options: WriteOptions): Promise<WriteResult> {
  // The configuration this commit leaves the table with (new tables and overwriteSchema set it).
  const config = prepared.plan.metadata === undefined && snapshot !== undefined ? snapshot.config : parseTableConfig(prepared.plan.metadata?.configuration ?? {})
  const files = await writeFiles(engine, snapshot, prepared, options, config)
  const result = await commitWithRetry(engine, commitRequest(engine, snapshot, prepared, files, options, config))
  if (result.status === 'skipped') return { status: 'skipped', version: result.version, reason: result.reason }
  return {
    status: 'committed',
    version: result.version,
    attempts: result.attempts,
    numFilesAdded: files.adds.length,
    numFilesRemoved: files.removes.length,
    numRows: prepared.rows.length,
  }
}

type PreparedWrite = Extract<Prepared, { kind: 'write' }>

/** The file actions of a write: the new files, and the files it removes (overwrite, replaceWhere). */
interface WrittenFiles {
  readonly adds: readonly AddFile[]
  readonly removes: readonly RemoveFile[]
  readonly replacePlan: ReplaceWherePlan | undefined
}

async function writeFiles(engine: Engine, snapshot: Snapshot | undefined, prepared: PreparedWrite, options: WriteOptions, config: TableConfig): Promise<WrittenFiles> {
  const { plan, replace } = prepared
  const adds = await writeDataFiles(engine, prepared.rows, {
    schema: plan.schema,
    partitionColumns: plan.partitionColumns,
    ...(options.compression === undefined ? {} : { compression: options.compression }),
    ...(options.targetFileBytes === undefined ? {} : { targetFileBytes: options.targetFileBytes }),
    ...(options.maxRowsPerFile === undefined ? {} : { maxRowsPerFile: options.maxRowsPerFile }),
    statsColumnLimit: config.statsColumnLimit,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  })
  const replacePlan = snapshot !== undefined && replace !== undefined ? await planReplaceWhere(engine, snapshot, replace, plan.schema, options.signal) : undefined
  const now = engine.now()
  const removes = snapshot === undefined ? [] : plan.removeAll ? snapshot.files().map((f) => removeOf(f, now)) : (replacePlan?.removes ?? [])
  return { adds: [...adds, ...(replacePlan?.rewritten ?? [])], removes, replacePlan }
}

function commitRequest(engine: Engine, snapshot: Snapshot | undefined, prepared: PreparedWrite, files: WrittenFiles, options: WriteOptions, config: TableConfig): CommitRequest {
  const { mode, plan, replace } = prepared
  const txn = options.txn
  const actions: Action[] = [
    ...(plan.protocol === undefined ? [] : [{ kind: 'protocol' as const, protocol: plan.protocol }]),
    ...(plan.metadata === undefined ? [] : [{ kind: 'metaData' as const, metaData: plan.metadata }]),
    ...files.removes.map((remove) => ({ kind: 'remove' as const, remove })),
    ...files.adds.map((add) => ({ kind: 'add' as const, add })),
    ...(txn === undefined ? [] : [{ kind: 'txn' as const, txn: { appId: txn.appId, version: txn.version, lastUpdated: engine.now() } satisfies Txn }]),
  ]
  return {
    readVersion: snapshot?.version ?? -1,
    actions,
    commitInfo: writeCommitInfo({
      mode,
      isCreate: plan.isCreate,
      partitionColumns: plan.partitionColumns,
      replaceWhere: replace?.text,
      adds: files.adds,
      removes: files.removes,
      numOutputRows: prepared.rows.length + (files.replacePlan?.rowsKept ?? 0),
      userMetadata: options.userMetadata,
    }),
    read: {
      readWholeTable: plan.removeAll,
      readPredicate: replace?.matchesFile,
      readFiles: files.replacePlan?.readFiles ?? [],
      readAppIds: txn === undefined ? [] : [txn.appId],
    },
    isolationLevel: snapshot?.config.isolationLevel ?? 'WriteSerializable',
    inCommitTimestamps: config.enableInCommitTimestamps,
    previousCommitTimestamp: snapshot?.timestamp,
    // A new metadata may change the interval: the post-commit hook then reads it from the new snapshot.
    checkpointInterval: plan.metadata === undefined ? snapshot?.config.checkpointInterval : undefined,
    ...(options.commit === undefined ? {} : { options: options.commit }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  }
}

/** The rows of an array, iterable or async iterable (held in memory: one commit writes them all). */
async function collectRows(rows: unknown): Promise<readonly unknown[]> {
  if (Array.isArray(rows)) return rows
  const isIterable = typeof rows === 'object' && rows !== null && (Symbol.asyncIterator in rows || Symbol.iterator in rows)
  if (!isIterable) {
    throw new WriteError('InvalidArgument', `rows must be an array, an iterable or an async iterable of row objects, found ${rows === null ? 'null' : typeof rows}`)
  }
  const out: unknown[] = []
  for await (const row of rows as AsyncIterable<unknown> | Iterable<unknown>) out.push(row)
  return out
}

