// A table as a stream (Spark's DeltaSource): micro-batches of the files committed to a source
// table, with durable progress in an optional checkpoint location. A batch is committed to the
// checkpoint when the consumer asks for the next one (or by the sinks once the target holds it).
//
//   const stream = new TableStream(engine, { checkpoint: './ck', trigger: { intervalMs: 10_000 }, signal })
//   for await (const batch of stream) console.log(batch.batchId, (await batch.toArray()).length)

import { randomUUID } from 'node:crypto'
import { isLakeError, openStore } from '@lake/storage'
import type { OpenStoreOptions } from '@lake/storage'
import { resolveTable } from '../../engine.js'
import type { Engine, TableLocation } from '../../engine.js'
import { StreamError, TableError } from '../../errors.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { microBatch, planFiles } from './batch.js'
import type { MicroBatch, PlanInput } from './batch.js'
import { changeMicroBatch, planChangeBatch } from './change-batch.js'
import type { ChangeFeedPort } from './change-feed-port.js'
import { CheckpointLocation } from './checkpoint-location.js'
import type { BatchRange, LastBatch } from './checkpoint-location.js'
import { BASE_INDEX } from './plan-offset.js'
import type { StreamOffset } from './plan-offset.js'
import { DEFAULT_MIN_BATCHES_TO_RETAIN, idleWaitMs, validateStreamOptions } from './options.js'
import type { StreamOptions } from './options.js'
import { DEFAULT_MAX_FILES_PER_TRIGGER } from './plan.js'
import type { TriggerLimits } from './plan.js'
import { eachBatch, writeBatchesTo } from './sink.js'
import type { BatchProgress, SinkWriter, StreamSummary, WriteToOptions } from './sink.js'
import { versionFromTimestamp } from './source.js'

/** Where a started stream stands. */
interface Progress {
  after: StreamOffset
  source: Snapshot
  nextBatchId: number
  pending: BatchRange | undefined
  upTo: number | undefined
}

/** A table stream: iterate it for micro-batches, or hand it to a sink (`writeTo`, `foreachBatch`). */
export class TableStream implements AsyncIterable<MicroBatch> {
  readonly engine: Engine
  readonly options: StreamOptions
  #queryId: string | undefined
  #location: CheckpointLocation | undefined
  readonly #write: SinkWriter | undefined
  readonly #feed: ChangeFeedPort | undefined

  /**
   * `write` is the table writer of `writeTo` (the facade passes `writeDelta`), `feed` the change data
   * feed reader of `readChangeFeed` (the facade passes operations/changes').
   * @throws StreamError `InvalidArgument` for options it cannot use (before any I/O).
   */
  constructor(engine: Engine, options: StreamOptions = {}, write?: SinkWriter, feed?: ChangeFeedPort) {
    validateStreamOptions(options)
    if (options.readChangeFeed === true && feed === undefined) throw new StreamError('InvalidArgument', 'readChangeFeed: expected a change data feed reader, found none; Help: open the stream with table.stream or streamTable')
    this.engine = engine
    this.options = options
    this.#write = write
    this.#feed = feed
  }

  /** The query id (the sinks' txn appId): the checkpoint's, or a fresh one without checkpoint; set once the stream starts. */
  get queryId(): string | undefined {
    return this.#queryId
  }

  /**
   * Runs the stream into a target table (created by the first batch when missing): one commit per
   * batch with txn(queryId, batchId), so a replayed batch is skipped by the target. Needs a checkpoint.
   * @throws StreamError `InvalidArgument` without `checkpoint`; the stream's and the write's errors.
   */
  async writeTo(target: TableLocation, options: WriteToOptions & { readonly storage?: OpenStoreOptions } = {}): Promise<StreamSummary> {
    const write = this.#write
    if (this.options.checkpoint === undefined || write === undefined) {
      throw new StreamError('InvalidArgument', 'writeTo: expected a stream with a checkpoint location (exactly-once needs durable progress), found none; Help: pass checkpoint: <uri>')
    }
    const engine = await resolveTable(target, options.storage)
    const signal = this.options.signal
    return writeBatchesTo(this, () => this.queryId, engine, write, { ...options, ...(signal === undefined ? {} : { signal }) })
  }

  /** Runs `fn` on each batch; the batch is committed to the checkpoint after `fn` returns. */
  foreachBatch(fn: (batch: MicroBatch, batchId: number) => void | Promise<void>, onBatch?: (progress: BatchProgress) => void): Promise<StreamSummary> {
    return eachBatch(this, fn, onBatch)
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<MicroBatch, void, undefined> {
    const progress = await this.#start()
    const trigger = this.options.trigger ?? { availableNow: true }
    const interval = 'intervalMs' in trigger ? trigger : undefined
    let idle = 0
    for (;;) {
      const started = Date.now()
      const batch = await this.#next(progress, 'once' in trigger ? {} : this.#limits())
      if (batch === undefined) {
        if (interval === undefined) return
        idle++
        if (!(await sleep(idleWaitMs(interval, idle), this.options.signal))) return
        continue
      }
      idle = 0
      yield batch
      await this.#location?.commit(batch.batchId, this.options.signal)
      await this.#location?.purge(batch.batchId, this.#retain(), false, this.options.signal)
      progress.after = batch.end
      progress.nextBatchId = batch.batchId + 1
      if ('once' in trigger) return
      if (interval !== undefined && !(await sleep(interval.intervalMs - (Date.now() - started), this.options.signal))) return
    }
  }

  #retain(): number {
    return this.options.minBatchesToRetain ?? DEFAULT_MIN_BATCHES_TO_RETAIN
  }

  #limits(): TriggerLimits {
    const bytes = this.options.maxBytesPerTrigger
    return { maxFiles: this.options.maxFilesPerTrigger ?? DEFAULT_MAX_FILES_PER_TRIGGER, ...(bytes === undefined ? {} : { maxBytes: bytes }) }
  }

  async #start(): Promise<Progress> {
    const { signal } = this.options
    const latest = await loadSnapshot(this.engine, { ...(signal === undefined ? {} : { signal }) })
    const upTo = this.options.trigger === undefined || !('intervalMs' in this.options.trigger) ? latest.version : undefined
    let last: LastBatch | undefined
    const checkpoint = this.options.checkpoint
    if (checkpoint !== undefined) {
      this.#location = new CheckpointLocation(typeof checkpoint === 'string' ? await openStore(checkpoint, this.options.checkpointStorage ?? {}) : checkpoint)
      this.#queryId = (await this.#location.bind(latest.metadata.id, this.engine.store.url, this.options.readChangeFeed === true, signal)).id
      last = await this.#location.last(signal)
      if (last !== undefined) await this.#location.purge(last.range.batchId, this.#retain(), true, signal)
    } else {
      this.#queryId = randomUUID()
    }
    const reservoirId = latest.metadata.id
    const after: StreamOffset = last === undefined ? { reservoirId, ...(await this.#startPosition(latest)) } : last.committed ? last.range.end : last.range.start
    const source = await this.#snapshotAt(after, latest).catch((err: unknown) => {
      throw last === undefined ? startNotInLog(err, after.version) : err
    })
    const nextBatchId = last === undefined ? 0 : last.committed ? last.range.batchId + 1 : last.range.batchId
    return { after, source, nextBatchId, pending: last?.committed === false ? last.range : undefined, upTo }
  }

  async #startPosition(latest: Snapshot): Promise<{ version: number; index: number; isStartingVersion: boolean }> {
    const { startingVersion, startingTimestamp, signal } = this.options
    if (startingVersion === undefined && startingTimestamp === undefined) return { version: latest.version, index: BASE_INDEX, isStartingVersion: true }
    const version =
      startingVersion === 'latest' ? latest.version + 1
      : startingVersion !== undefined ? startingVersion
      : await versionFromTimestamp(this.engine, startingTimestamp ?? 0, signal)
    if (version > latest.version + 1) {
      throw new TableError('VersionNotFound', `startingVersion ${version}: expected at most ${latest.version + 1} (the latest version of ${this.engine.store.url} is ${latest.version})`, {
        context: { version, latest: latest.version },
      })
    }
    return { version, index: BASE_INDEX, isStartingVersion: false }
  }

  /** The snapshot holding the metadata in effect at `after` (before the first file of a version: the previous version's). */
  async #snapshotAt(after: StreamOffset, latest: Snapshot): Promise<Snapshot> {
    const version = !after.isStartingVersion && after.index < 0 ? Math.max(0, after.version - 1) : after.version
    return version === latest.version ? latest : this.#load(version)
  }

  #load(version: number): Promise<Snapshot> {
    const { signal } = this.options
    return loadSnapshot(this.engine, { version, ...(signal === undefined ? {} : { signal }) })
  }

  async #next(progress: Progress, limits: TriggerLimits): Promise<MicroBatch | undefined> {
    const pending = progress.pending
    progress.pending = undefined
    const { signal, columns, filter, batchRows } = this.options
    const input: PlanInput = {
      engine: this.engine, source: progress.source, after: progress.after, changes: this.options, limits,
      ...(progress.upTo === undefined ? {} : { upTo: progress.upTo }),
      ...(pending === undefined ? {} : { end: pending.end }),
      ...(signal === undefined ? {} : { signal }),
    }
    const load = (v: number): Promise<Snapshot> => this.#load(v)
    const feed = this.options.readChangeFeed === true ? this.#feed : undefined
    const planned = feed !== undefined ? await planChangeBatch(input, load, feed) : await planFiles(input, load)
    if (planned === undefined) return undefined
    const range = pending ?? { batchId: progress.nextBatchId, start: progress.after, end: { reservoirId: progress.after.reservoirId, ...planned.end }, timestampMs: Date.now() }
    if (pending === undefined) await this.#location?.plan(range, signal)
    progress.source = planned.source
    const read = {
      ...(columns === undefined ? {} : { columns }),
      ...(filter === undefined ? {} : { filter }),
      ...(batchRows === undefined ? {} : { batchRows }),
      ...(signal === undefined ? {} : { signal }),
    }
    return 'plan' in planned ? changeMicroBatch(this.engine, range.batchId, planned, range, read) : microBatch(this.engine, range.batchId, planned, range, read)
  }
}

/** A start whose previous version the log cannot rebuild (its early commits cleaned up), named as the start. */
function startNotInLog(err: unknown, version: number): unknown {
  if (!isLakeError(err, 'VersionNotFound')) return err
  const { earliest, latest } = err.context
  if (typeof earliest !== 'number' || typeof latest !== 'number') return err
  return new TableError(
    'VersionNotFound',
    `cannot start the stream at version ${version}: expected a version from ${earliest + 1} to ${latest + 1} (the stream reads the table as of the version before its start; the log can rebuild versions ${earliest}..${latest}), found ${version}`,
    { context: { version, earliest, latest }, cause: err },
  )
}

/** Waits `ms` (nothing when ≤ 0); false when `signal` aborted (now or while waiting). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted === true) return Promise.resolve(false)
  if (ms <= 0) return Promise.resolve(true)
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      resolve(ok)
    }
    const onAbort = (): void => done(false)
    const timer = setTimeout(() => done(true), ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
