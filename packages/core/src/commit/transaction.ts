// The Transaction (issue 11, docs/architecture-plan.md §3): the one way to commit. An operation
// begins it over the snapshot it read, stages actions, what it read and its metrics, and commits
// through the optimistic-concurrency loop. Modelled on delta-kernel-rs' `Transaction` and
// delta-rs' `CommitBuilder`; unlike kernel, `commit()` keeps lake's loop (rebase, backoff, txn skip).

import type { AddCDCFile, AddFile, DeletionVectorDescriptor, DomainMetadata, Metadata, Protocol, RemoveFile } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { InvalidArgumentError } from '../errors.js'
import { parseSchema } from '../schema/parse-schema.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import { parseTableConfig } from '../protocol/table-config.js'
import type { TableConfig } from '../protocol/table-config.js'
import { removeOf } from '../actions/remove-of.js'
import { CommitConflictError } from '../transaction/commit-conflict-error.js'
import type { ReadPredicate } from '../transaction/conflicts.js'
import { toCommitRequest } from '../transaction/staged.js'
import { keepStatsColumns } from '../files/stats-columns.js'
import type { StagedTransaction } from '../transaction/staged.js'
import { assertCanWrite } from '../features/index.js'
import type { CanWriteOptions, WriteIntent } from '../features/index.js'
import type { CommitOperation } from '../transaction/commit-info.js'
import { commitWithRetry } from './commit-loop.js'
import type { CommitOptions } from '../transaction/commit-request.js'

/** How a transaction begins. */
export interface TransactionOptions {
  /** The operation recorded in commitInfo (WRITE, CREATE TABLE, OPTIMIZE, RESTORE, VACUUM START/END). */
  readonly operation: CommitOperation
  /**
   * What the commit will do, checked against the table's features in `begin`, before any I/O.
   * Absent: no check (the caller checked already, e.g. writeDelta's prepare step, or vacuum's own rule).
   */
  readonly intent?: WriteIntent
  /** Constraint evaluability, for the feature check. */
  readonly canEvaluate?: CanWriteOptions['canEvaluate']
  /** The protocol the commit will set, checked instead of the snapshot's. */
  readonly protocol?: Protocol
  /** The metadata the commit will set, checked instead of the snapshot's. */
  readonly metadata?: Metadata
  /** Run the feature check for a create (no snapshot) too; default false. */
  readonly checkCreate?: boolean
  /**
   * Which config decides whether the commit writes `inCommitTimestamp`: the effective one (staged
   * metadata, else the snapshot's; default) or the one the transaction read (restore's rule).
   */
  readonly ictFrom?: 'effective' | 'read'
  readonly userMetadata?: string | undefined
  readonly commit?: CommitOptions | undefined
  readonly signal?: AbortSignal | undefined
}

/** How a commit ended: committed, skipped (a concurrent commit holds our txn), or a logical conflict. */
export type CommitOutcome =
  | { readonly status: 'committed'; readonly version: number; readonly attempts: number }
  | { readonly status: 'skipped'; readonly version: number; readonly reason: string }
  | { readonly status: 'conflict'; readonly error: CommitConflictError }

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type StagedState = Mutable<Omit<StagedTransaction, 'removes' | 'adds' | 'cdc' | 'txns' | 'domains' | 'read'>> & {
  readonly removes: RemoveFile[]
  readonly adds: AddFile[]
  readonly cdc: AddCDCFile[]
  readonly txns: StagedTransaction['txns'][number][]
  readonly domains: Map<string, DomainMetadata>
  readonly read: { readWholeTable: boolean; readPredicate?: ReadPredicate; readPredicateText?: string | undefined; readFiles: string[]; readAppIds: string[] }
}

/**
 * One commit being prepared over a snapshot.
 * @example
 * const txn = Transaction.begin(engine, snapshot, { operation: { kind: 'optimize' }, intent: { removesData: false } })
 * const outcome = await txn.removeFiles(small, { dataChange: false }).addFiles([compacted]).readFiles(small.map((f) => f.path)).commitOrThrow()
 */
export class Transaction {
  readonly engine: Engine
  /** The snapshot read; undefined when the transaction creates the table. */
  readonly snapshot: Snapshot | undefined
  /** The one clock reading of this transaction. */
  readonly now: number
  readonly #options: TransactionOptions
  readonly #state: StagedState

  private constructor(engine: Engine, snapshot: Snapshot | undefined, options: TransactionOptions) {
    this.engine = engine
    this.snapshot = snapshot
    this.#options = options
    this.now = engine.now()
    this.#state = {
      readVersion: snapshot?.version ?? -1,
      now: this.now,
      removes: [],
      adds: [],
      cdc: [],
      txns: [],
      domains: new Map(),
      read: { readWholeTable: false, readFiles: [], readAppIds: [] },
      operation: options.operation,
      userMetadata: options.userMetadata,
    }
  }

  /**
   * Begins a transaction over `snapshot` (undefined: the commit creates the table at version 0).
   * @throws ProtocolError `UnsupportedFeature` when `options.intent` is given and lake may not write
   *   this table (for a create only with `checkCreate`); InvalidArgumentError when a checked create
   *   gives no protocol or metadata.
   */
  static begin(engine: Engine, snapshot: Snapshot | undefined, options: TransactionOptions): Transaction {
    if (options.intent !== undefined && (snapshot !== undefined || options.checkCreate === true)) {
      const protocol = options.protocol ?? snapshot?.protocol
      const metadata = options.metadata ?? snapshot?.metadata
      if (protocol === undefined || metadata === undefined) {
        throw new InvalidArgumentError(`Transaction.begin: expected options.protocol and options.metadata to check a create, found ${protocol === undefined ? 'no protocol' : 'no metadata'}`)
      }
      const schema = options.metadata === undefined && snapshot !== undefined ? snapshot.schema : parseSchema(metadata.schemaString)
      const checkOptions = options.canEvaluate === undefined ? {} : { canEvaluate: options.canEvaluate }
      assertCanWrite({ protocol, schema, configuration: metadata.configuration }, options.intent, checkOptions)
    }
    return new Transaction(engine, snapshot, options)
  }

  /** The version read; -1 for a create. */
  get readVersion(): number {
    return this.#state.readVersion
  }

  /** The effective table config: of the staged metadata, else the snapshot's. */
  get config(): TableConfig {
    const metadata = this.#state.metadata
    if (metadata === undefined && this.snapshot !== undefined) return this.snapshot.config
    return parseTableConfig(metadata?.configuration ?? {})
  }

  /** Stages a protocol action. */
  setProtocol(protocol: Protocol): this {
    this.#state.protocol = protocol
    return this
  }

  /** Stages a metaData action (the post-commit hook then reads the checkpoint interval from the new table). */
  setMetadata(metadata: Metadata): this {
    this.#state.metadata = metadata
    return this
  }

  /** Stages add actions. */
  addFiles(adds: Iterable<AddFile>): this {
    this.#state.adds.push(...adds)
    return this
  }

  /** Stages a remove of each file, at this transaction's `now` (`dataChange` default true). */
  removeFiles(files: Iterable<AddFile>, options: { readonly dataChange?: boolean } = {}): this {
    for (const file of files) {
      const remove = removeOf(file, this.now)
      this.#state.removes.push(options.dataChange === false ? { ...remove, dataChange: false } : remove)
    }
    return this
  }

  /** Stages removes planned elsewhere (e.g. by replaceWhere's or restore's pure plan), as they are. */
  stageRemoves(removes: Iterable<RemoveFile>): this {
    this.#state.removes.push(...removes)
    return this
  }

  /**
   * Gives files new deletion vectors: for each of `files` whose path `updates` names, a remove of the
   * file as it is (its old vector, at `now`) and an add of the same file with the new vector.
   * The caller declares `intent.writesDeletionVectors` in `begin` so the table's features are checked.
   * `stats` (path → stats JSON) replaces the stats of the re-added files (e.g. with `tightBounds:false`).
   * @throws InvalidArgumentError when `updates` names a path that is not among `files`.
   */
  updateDeletionVectors(updates: ReadonlyMap<string, DeletionVectorDescriptor>, files: Iterable<AddFile>, stats?: ReadonlyMap<string, string>): this {
    const updated = [...files].filter((file) => updates.has(file.path))
    const found = new Set(updated.map((file) => file.path))
    const missing = [...updates.keys()].filter((path) => !found.has(path))
    if (missing.length > 0) {
      const message = `updateDeletionVectors: expected every updated path among the files, found ${missing.length} not there, e.g. ${JSON.stringify(missing[0])}`
      throw new InvalidArgumentError(message, { context: { path: missing[0] } })
    }
    this.removeFiles(updated)
    for (const file of updated) {
      const newStats = stats?.get(file.path)
      this.#state.adds.push({ ...file, ...(newStats === undefined ? {} : { stats: newStats }), deletionVector: updates.get(file.path) ?? null, dataChange: true })
    }
    return this
  }

  /** Stages change-data files (`cdc` actions). */
  addCdcFiles(files: Iterable<AddCDCFile>): this {
    this.#state.cdc.push(...files)
    return this
  }

  /** Stages `txn { appId, version, lastUpdated: now }`; the app id counts as read (a concurrent txn of it conflicts or skips). */
  setAppTransaction(appId: string, version: number): this {
    this.#state.txns.push({ appId, version, lastUpdated: this.now })
    this.#state.read.readAppIds.push(appId)
    return this
  }

  /** Stages a domainMetadata action that sets `domain` to `configuration`. */
  setDomainMetadata(domain: string, configuration: string): this {
    this.#state.domains.set(domain, { domain, configuration, removed: false })
    return this
  }

  /** Stages the removal of `domain` (its configuration as of the snapshot, as the protocol asks). */
  removeDomainMetadata(domain: string): this {
    const configuration = this.snapshot?.domainMetadata.get(domain)?.configuration ?? ''
    this.#state.domains.set(domain, { domain, configuration, removed: true })
    return this
  }

  /** Declares the predicate the transaction read the table with (conflicts with concurrent adds it matches); `sql`, its text, is named in the conflict's message. */
  readPredicate(matches: ReadPredicate, sql?: string): this {
    this.#state.read.readPredicate = matches
    this.#state.read.readPredicateText = sql
    return this
  }

  /** Declares files the transaction read (conflicts with their concurrent removal). */
  readFiles(paths: Iterable<string>): this {
    this.#state.read.readFiles.push(...paths)
    return this
  }

  /** Declares that the transaction read the whole table. */
  readWholeTable(): this {
    this.#state.read.readWholeTable = true
    return this
  }

  /** The operation metrics written in commitInfo (`operationMetrics`). */
  setMetrics(metrics: Readonly<Record<string, number | bigint>>): this {
    this.#state.metrics = metrics
    return this
  }

  /** What is staged, as data (for tests and for the pure request builder). */
  staged(): StagedTransaction {
    const s = this.#state
    const read = { ...s.read, readFiles: [...s.read.readFiles], readAppIds: [...s.read.readAppIds] }
    return { ...s, removes: [...s.removes], adds: [...s.adds], cdc: [...s.cdc], txns: [...s.txns], domains: [...s.domains.values()], read }
  }

  /** `staged` with add stats trimmed to `delta.dataSkippingStatsColumns` of the table the commit leaves (files/stats-columns.ts). */
  #keptStats(staged: StagedTransaction): StagedTransaction {
    const config = this.config
    if (config.dataSkippingStatsColumns === undefined) return staged
    const schema = staged.metadata === undefined ? this.snapshot?.schema : parseSchema(staged.metadata.schemaString)
    return schema === undefined ? staged : { ...staged, adds: keepStatsColumns(staged.adds, config, schema) }
  }

  /**
   * Commits through the optimistic-concurrency loop.
   * @returns committed (version, attempts), skipped (a concurrent commit holds our txn), or the conflict.
   * @throws CommitAttemptsExhaustedError; StorageError.
   */
  async commit(): Promise<CommitOutcome> {
    try {
      return await this.commitOrThrow()
    } catch (err) {
      if (err instanceof CommitConflictError) return { status: 'conflict', error: err }
      throw err
    }
  }

  /**
   * Commits, throwing a conflict.
   * @throws CommitConflictError; CommitAttemptsExhaustedError; StorageError.
   */
  commitOrThrow(): Promise<Exclude<CommitOutcome, { readonly status: 'conflict' }>> {
    const snapshot = this.snapshot
    const metadataStaged = this.#state.metadata !== undefined
    const ictConfig = this.#options.ictFrom === 'read' && snapshot !== undefined ? snapshot.config : this.config
    return commitWithRetry(
      this.engine,
      toCommitRequest(this.#keptStats(this.staged()), {
        isolationLevel: snapshot?.config.isolationLevel ?? 'WriteSerializable',
        inCommitTimestamps: ictConfig.enableInCommitTimestamps,
        previousCommitTimestamp: snapshot?.timestamp,
        // A new metadata may change the interval: the post-commit hook then reads it from the new snapshot.
        checkpointInterval: metadataStaged ? undefined : snapshot?.config.checkpointInterval,
        options: this.#options.commit,
        signal: this.#options.signal,
      }),
    )
  }
}
