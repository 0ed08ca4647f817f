// DeltaTable: the object ETL code holds (delta-rs `DeltaTable` in TypeScript idiom). A thin facade
// over snapshots, scans, history, writes and maintenance; every method delegates to a function of
// the core. Instances are immutable: after a method that commits, `refresh()` gives the new version.

import type { Row, StructType } from '@lake/parquet'
import type { AddFile, Metadata, Protocol } from '../actions/types.js'
import type { CheckpointResult } from '../commit/write-checkpoint.js'
import type { Engine } from '../engine.js'
import { readHistory, readHistoryLog, type HistoryEntry, type HistoryLog } from '../read/read-history.js'
import { checkpoint, type CheckpointOptions } from '../operations/checkpoint/execute.js'
import { cleanupLog, type CleanupLogOptions, type CleanupLogResult } from '../operations/cleanup-log/execute.js'
import { optimize, type OptimizeOptions, type OptimizeResult } from '../operations/optimize/execute.js'
import { restore, type RestoreOptions, type RestoreResult, type RestoreTarget } from '../operations/restore/execute.js'
import { vacuum, type VacuumOptions, type VacuumResult } from '../operations/vacuum/execute.js'
import { ChangeFeed, type ChangesOptions } from '../operations/changes/read.js'
import { deleteRows, type DeleteOptions, type DeleteResult } from '../operations/delete/execute.js'
import { updateRows, type UpdateOptions, type UpdateResult } from '../operations/update/execute.js'
import type { UpdateSpec } from '../operations/update/plan.js'
import { MergeBuilder, type MergeOptions } from '../operations/merge/builder.js'
import type { MergeSourceInput } from '../operations/merge/source-hash.js'
import { scan } from '../scan/scan.js'
import { scanArrow, scanToArrow } from '../scan/scan-arrow.js'
import type { ArrowData } from '../columns/arrow-input.js'
import type { ArrowRecordBatch as RecordBatch, ArrowTable } from '@lake/parquet'
import type { ScanOptions } from '../scan/scan.js'
import { loadSnapshot } from '../snapshot/load-snapshot.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import { versionAtTimestamp, type TimestampInput } from '../snapshot/version-at-timestamp.js'
import { resolveTable, type TableLocation } from '../engine.js'
import { tableDetails, type TableDetails } from './table-details.js'
import { writeDelta } from '../operations/write/index.js'
import type { WriteOptions, WriteResult } from '../operations/write/options.js'
import { WriteError } from '../errors.js'
import type { TableStream } from '../operations/stream/execute.js'
import type { StreamOptions } from '../operations/stream/options.js'
import { streamOf } from './stream-table.js'
import type { CreateTableOptions, OpenTableOptions } from './table-options.js'

export type { CreateTableOptions, OpenTableOptions } from './table-options.js'

/**
 * A Delta table at one version. Immutable: reads (`scan`, `files`, `details`, ...) see this version;
 * methods that commit (`write`, `optimize`, `restore`, `vacuum`) act on the table's latest version,
 * leave this instance as it is and return their result: call `refresh()` for the new version.
 * The operation methods of an instance opened at its latest version (`open` without version or
 * timestamp, `refresh`) start from this instance's snapshot without reading the log again; their
 * commits are checked against whatever was committed since, as any writer's are.
 */
export class DeltaTable {
  readonly engine: Engine
  readonly snapshot: Snapshot
  /** Whether `snapshot` was loaded as the latest version (not time travel): operations may start from it. */
  readonly #latest: boolean

  private constructor(engine: Engine, snapshot: Snapshot, latest: boolean) {
    this.engine = engine
    this.snapshot = snapshot
    this.#latest = latest
  }

  /**
   * Opens a table at its latest version, a version, or a timestamp.
   * @throws TableError `TableNotFound`, `VersionNotFound`, `TimestampOutOfRange`; ProtocolError for unsupported tables.
   */
  static async open(location: TableLocation, options: OpenTableOptions = {}): Promise<DeltaTable> {
    const engine = await resolveTable(location, options.storage)
    const snapshot = await loadSnapshot(engine, {
      ...(options.version === undefined ? {} : { version: options.version }),
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })
    return new DeltaTable(engine, snapshot, options.version === undefined && options.timestamp === undefined)
  }

  /**
   * Creates an empty table (version 0 with protocol and metadata only).
   * @throws WriteError `TableExists` when a table exists and mode is `error`.
   */
  static async create(location: TableLocation, options: CreateTableOptions): Promise<DeltaTable> {
    const engine = await resolveTable(location, options.storage)
    const result = await writeDelta(engine, [], {
      mode: options.mode ?? 'error',
      schema: options.schema,
      ...(options.partitionBy === undefined ? {} : { partitionBy: options.partitionBy }),
      ...(options.configuration === undefined ? {} : { configuration: options.configuration }),
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })
    if (result.status === 'skipped' && options.mode !== 'ignore') {
      throw new WriteError('TableExists', `table ${engine.store.url} already exists: ${result.reason}`)
    }
    return DeltaTable.open(engine)
  }

  /** The version this instance reads. */
  get version(): number {
    return this.snapshot.version
  }
  /** The table schema at this version. */
  get schema(): StructType {
    return this.snapshot.schema
  }
  /** The `metaData` action in effect at this version. */
  get metadata(): Metadata {
    return this.snapshot.metadata
  }
  /** The `protocol` action in effect at this version. */
  get protocol(): Protocol {
    return this.snapshot.protocol
  }
  /** The partition columns, in order. */
  get partitionColumns(): readonly string[] {
    return this.snapshot.partitionColumns
  }

  /** The live data files of this version. */
  files(): readonly AddFile[] {
    return this.snapshot.files()
  }

  /** Commit history, newest first: the commit files the log kept (see `historyLog` for where it starts). */
  history(options: { limit?: number; signal?: AbortSignal } = {}): Promise<HistoryEntry[]> {
    return readHistory(this.engine, options)
  }
  /** `history()` and where it starts: versions before `availableFrom` have no commit file left (log cleaned up to `startCheckpoint`). */
  historyLog(options: { limit?: number; signal?: AbortSignal } = {}): Promise<HistoryLog> {
    return readHistoryLog(this.engine, options)
  }

  /**
   * Rows of this version in batches, with projection, filter, partition pruning and file skipping;
   * with `format: 'arrow'`, the same batches as Arrow `RecordBatch`es (Delta <-> Arrow type mapping).
   */
  scan(options?: ScanOptions & { readonly format?: 'rows' }): AsyncIterable<Row[]>
  scan(options: ScanOptions & { readonly format: 'arrow' }): AsyncIterable<RecordBatch>
  scan(options: ScanOptions & { readonly format?: 'rows' | 'arrow' } = {}): AsyncIterable<Row[]> | AsyncIterable<RecordBatch> {
    return options.format === 'arrow' ? scanArrow(this.engine, this.snapshot, options) : scan(this.engine, this.snapshot, options)
  }

  /** The selected rows of this version as one Arrow `Table` (see `scan` with `format: 'arrow'`). */
  toArrow(options: ScanOptions = {}): Promise<ArrowTable> {
    return scanToArrow(this.engine, this.snapshot, options)
  }

  /** Every row of this version (optionally filtered); for small tables — prefer `scan`. */
  async toArray(options: ScanOptions = {}): Promise<Row[]> {
    const out: Row[] = []
    for await (const batch of this.scan(options)) out.push(...batch)
    return out
  }

  /** The version that was current at `timestamp` (Delta's rule: latest committed at or before it). */
  versionAt(timestamp: TimestampInput): Promise<number> {
    return versionAtTimestamp(this.engine, timestamp)
  }

  /** This table at another version or timestamp. */
  async at(options: { version?: number; timestamp?: TimestampInput }): Promise<DeltaTable> {
    return DeltaTable.open(this.engine, options)
  }

  /** The latest version of this table. */
  async refresh(): Promise<DeltaTable> {
    return DeltaTable.open(this.engine)
  }

  /** Writes rows to this table (mode defaults to `append` here); `refresh()` reads the new version. */
  write(rows: readonly unknown[] | AsyncIterable<unknown> | ArrowData, options: WriteOptions = {}): Promise<WriteResult> {
    return writeDelta(this.engine, rows, { mode: 'append', ...options })
  }

  /** Id, location, size, live rows (deletion vectors subtracted), protocol and properties of this version; no I/O. */
  details(): TableDetails {
    return tableDetails(this.snapshot)
  }

  /**
   * Deletes the rows of the latest version for which `predicate` (SQL, as a scan filter) is TRUE; no
   * predicate deletes every row. With `delta.enableDeletionVectors=true` rows are marked in deletion
   * vectors, otherwise files holding them are rewritten; a file losing every row is removed. One DELETE
   * commit (`version` undefined when no row matched); `refresh()` reads it.
   * @example
   * const { version, metrics } = await table.delete("day < DATE '2024-01-01' AND status = 'void'")
   * @throws PredicateError `InvalidPredicate` before any data is read; CommitConflictError when a concurrent
   *   change to what it read persists through `commit.maxReplans` re-plans (default 16; `attempts`/`replans`
   *   in the result say how many it took). A failed delete leaves the table as it was.
   */
  delete(predicate?: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    return deleteRows(this.engine, predicate, options)
  }

  /**
   * The change data feed over a version (or timestamp) range: each changed row with `_change_type`,
   * `_commit_version` and `_commit_timestamp`; iterate for batches or call `toArray()`. Versions with change
   * data files are read from them, others inferred from their adds, removes and deletion vectors.
   * @example
   * const rows = await table.changes({ startingVersion: 3, filter: "_change_type = 'delete'" }).toArray()
   * @throws ChangeDataError `ChangeDataNotRecorded` naming the first version without the feed; TableError
   *   `VersionNotFound` when the log no longer holds the start.
   */
  changes(options: ChangesOptions): ChangeFeed {
    return new ChangeFeed(this.engine, options)
  }

  /**
   * Sets `set`'s columns to their SQL values in the rows of the latest version for which `where` is
   * TRUE (absent: every row); each value is computed from the row as it was. With
   * `delta.enableDeletionVectors=true` old rows are marked in deletion vectors and new rows written to
   * new files, otherwise files holding them are rewritten. One UPDATE commit (`version` undefined when
   * no row matched); `refresh()` reads it.
   * @example
   * const { version, metrics } = await table.update({ set: { status: "'void'", amount: '0' }, where: "day < DATE '2024-01-01'" })
   * @throws InvalidArgumentError (unknown column) or PredicateError `InvalidPredicate` before any data is
   *   read; SchemaError / ConstraintViolationError when a new row breaks NOT NULL or a constraint (nothing
   *   written); CommitConflictError on a concurrent change to the files it read. A failed update leaves
   *   the table as it was.
   */
  update(spec: UpdateSpec, options: UpdateOptions = {}): Promise<UpdateResult> {
    return updateRows(this.engine, spec, options)
  }

  /**
   * Starts a MERGE of `source` (rows, iterables, async iterables of row objects, or another table, read
   * through its scan) into this table on `options.on`; add WHEN clauses, in Spark's order and semantics,
   * then `execute()`. The source is held in memory as a hash on its join keys (`mergeSourceMaxBytes`);
   * the target is streamed file by file, reading only files whose partition values and key stats can match.
   * @example
   * // upsert: update rows whose id exists, insert the others
   * const { version, metrics } = await table
   *   .merge(changes, { on: 'target.id = source.id' })
   *   .whenMatchedUpdateAll()
   *   .whenNotMatchedInsertAll()
   *   .execute()
   * @throws on `execute()`: MergeError (`MultipleSourceRowsMatched`, `SourceTooLarge`, `InvalidArgument`),
   *   PredicateError `InvalidPredicate`, ConstraintViolationError, CommitConflictError. A failed MERGE
   *   leaves the table as it was.
   */
  merge(source: MergeSourceInput | DeltaTable, options: MergeOptions): MergeBuilder {
    const input: MergeSourceInput = source instanceof DeltaTable ? { kind: 'batches', schema: source.schema, batches: source.scan() } : source
    return new MergeBuilder(this.engine, input, options)
  }

  /**
   * Deletes data files the latest version no longer references and older than the retention
   * (a dry run unless `dryRun: false`); see the `vacuum` operation.
   * @throws MaintenanceError `SafetyCheck` for a retention under the table's without `enforceRetention: false`.
   */
  vacuum(options: Omit<VacuumOptions, 'snapshot'> = {}): Promise<VacuumResult> {
    return vacuum(this.engine, { ...options, ...this.#held() })
  }

  /**
   * Compacts small files of the latest version into files of about `targetSizeBytes` (one commit,
   * dataChange=false; `version` is undefined when nothing needed compacting). `refresh()` reads it.
   * @throws MaintenanceError `InvalidArgument`; CommitConflictError when a compacted file was removed meanwhile.
   */
  optimize(options: Omit<OptimizeOptions, 'snapshot'> = {}): Promise<OptimizeResult> {
    return optimize(this.engine, { ...options, ...this.#held() })
  }

  /**
   * Makes the table equal to an earlier version with one new commit; `refresh()` reads it.
   * @throws MaintenanceError `SafetyCheck` when files of the target were vacuumed; TableError `VersionNotFound`.
   */
  restore(target: RestoreTarget, options: Omit<RestoreOptions, 'snapshot'> = {}): Promise<RestoreResult> {
    return restore(this.engine, target, { ...options, ...this.#held() })
  }

  /**
   * Writes a classic checkpoint of the latest version and `_last_checkpoint`.
   * @throws WriteError `UnsupportedFeature` on v2Checkpoint tables.
   */
  checkpoint(options: Omit<CheckpointOptions, 'snapshot'> = {}): Promise<CheckpointResult> {
    return checkpoint(this.engine, { ...options, ...this.#held() })
  }

  /** Deletes log files older than `delta.logRetentionDuration` that a checkpoint made redundant (or lists them with `dryRun`). */
  cleanupLog(options: Omit<CleanupLogOptions, 'snapshot'> = {}): Promise<CleanupLogResult> {
    return cleanupLog(this.engine, { ...options, ...this.#held() })
  }

  /**
   * This table as a stream of micro-batches (the current files first, unless `startingVersion` or
   * `startingTimestamp`), with durable progress in `checkpoint`; see `streamTable`.
   * @example
   * for await (const batch of table.stream({ startingVersion: 5 })) console.log(batch.batchId, await batch.toArray())
   * @throws StreamError `InvalidArgument` for options it cannot use.
   */
  stream(options: StreamOptions = {}): TableStream {
    return streamOf(this.engine, options)
  }

  /** This instance's snapshot for an operation when it is the latest as loaded; otherwise nothing (the operation loads the latest). */
  #held(): { readonly snapshot?: Snapshot } {
    return this.#latest ? { snapshot: this.snapshot } : {}
  }
}
