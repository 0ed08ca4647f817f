// A stream's checkpoint location on any ObjectStore (Spark's layout): `metadata` (query id and
// source table id), `offsets/<batchId>` (the range a batch covers, written before it runs) and
// `commits/<batchId>` (written once its sink committed), each created with put-if-absent so two
// processes can never both plan or commit one batch. Only the last `minBatchesToRetain` batches'
// entries are kept (Spark's default 100).
//
//   const location = new CheckpointLocation(store)
//   const { id } = await location.bind(snapshot.metadata.id, snapshot.tableUrl, false)

import { randomUUID } from 'node:crypto'
import { isLakeError } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { StreamError } from '../../errors.js'
import { offsetJson, parseOffset } from './plan-offset.js'
import type { StreamOffset } from './plan-offset.js'

/** Spark's offsets/commits log format version line. */
const FORMAT_LINE = 'v1'

/** The identity of a stream, in `metadata`. */
export interface StreamIdentity {
  /** The query id: the app id of every sink transaction. */
  readonly id: string
  readonly sourceTableId: string
  readonly sourceUrl: string
  /** True for a change-feed stream (its offsets mean whole commits); absent: false. */
  readonly readChangeFeed?: boolean
}

/** What `offsets/<batchId>` records: the positions after `start` up to and including `end`. */
export interface BatchRange {
  readonly batchId: number
  readonly start: StreamOffset
  readonly end: StreamOffset
  readonly timestampMs: number
}

/** The last planned batch and whether it was committed. */
export interface LastBatch {
  readonly range: BatchRange
  readonly committed: boolean
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** The durable progress of one stream. */
export class CheckpointLocation {
  readonly store: ObjectStore

  constructor(store: ObjectStore) {
    this.store = store
  }

  /**
   * The stream's identity, created on first use for `sourceTableId`.
   * @throws StreamError `StreamMismatch` when the location belongs to another source table, or to a
   *   stream that does (not) read the change feed when this one does not (does).
   */
  async bind(sourceTableId: string, sourceUrl: string, readChangeFeed: boolean, signal?: AbortSignal): Promise<StreamIdentity> {
    const fresh: StreamIdentity = { id: randomUUID(), sourceTableId, sourceUrl, ...(readChangeFeed ? { readChangeFeed } : {}) }
    try {
      await this.store.putIfAbsent('metadata', encoder.encode(JSON.stringify(fresh)), { signal })
      return fresh
    } catch (err) {
      if (!isLakeError(err, 'AlreadyExists')) throw err
    }
    const found = parseIdentity(decoder.decode(await this.store.get('metadata', { signal })), this.store.url)
    if (found.sourceTableId !== sourceTableId) {
      throw new StreamError(
        'StreamMismatch',
        `checkpoint ${this.store.url} belongs to a stream of table id ${found.sourceTableId} (${found.sourceUrl}), found source ${sourceUrl} with table id ${sourceTableId}; Help: use a new checkpoint location for this source`,
        { context: { expected: found.sourceTableId, found: sourceTableId } },
      )
    }
    if ((found.readChangeFeed === true) !== readChangeFeed) {
      const kind = (feed: boolean): string => (feed ? 'a change-feed stream (readChangeFeed)' : 'a stream of rows (no readChangeFeed)')
      throw new StreamError('StreamMismatch', `checkpoint ${this.store.url} belongs to ${kind(found.readChangeFeed === true)}, found ${kind(readChangeFeed)}; Help: use a new checkpoint location`, {
        context: { expected: found.readChangeFeed === true, found: readChangeFeed },
      })
    }
    return found
  }

  /** The highest planned batch (and whether `commits/` holds it), or undefined before the first. */
  async last(signal?: AbortSignal): Promise<LastBatch | undefined> {
    const planned = await this.#maxBatch('offsets/', signal)
    if (planned === undefined) return undefined
    const range = parseRange(decoder.decode(await this.store.get(`offsets/${planned}`, { signal })), planned, this.store.url)
    const committed = (await this.#maxBatch('commits/', signal)) === planned
    return { range, committed }
  }

  /** Records batch `range.batchId` before it runs. @throws StreamError `CommitConflict` when another process planned it. */
  async plan(range: BatchRange, signal?: AbortSignal): Promise<void> {
    const meta = JSON.stringify({ batchWatermarkMs: 0, batchTimestampMs: range.timestampMs, startOffset: JSON.parse(offsetJson(range.start)) as unknown })
    await this.#create(`offsets/${range.batchId}`, `${FORMAT_LINE}\n${meta}\n${offsetJson(range.end)}`, range.batchId, 'planned', signal)
  }

  /** Marks batch `batchId` done. @throws StreamError `CommitConflict` when another process committed it. */
  async commit(batchId: number, signal?: AbortSignal): Promise<void> {
    await this.#create(`commits/${batchId}`, `${FORMAT_LINE}\n{"nextBatchWatermarkMs":0}`, batchId, 'committed', signal)
  }

  /**
   * Deletes the entries of the batches before the last `retain` up to `latest` (Spark's
   * minBatchesToRetain): all of them found by listing when `all` (at start), else only the batch
   * that just fell out of the window (after each commit). The highest entries, which a restart
   * reads, are never touched.
   */
  async purge(latest: number, retain: number, all: boolean, signal?: AbortSignal): Promise<void> {
    const below = latest - retain + 1
    if (below <= 0) return
    const keys = all ? await this.#keysBelow(below, signal) : [`commits/${below - 1}`, `offsets/${below - 1}`]
    if (keys.length === 0) return
    if (this.store.deleteMany !== undefined) await this.store.deleteMany(keys, { signal })
    else for (const key of keys) await this.store.delete(key, { signal })
  }

  async #keysBelow(below: number, signal?: AbortSignal): Promise<string[]> {
    const keys: string[] = []
    for (const prefix of ['commits/', 'offsets/']) {
      for await (const meta of this.store.list(prefix, { signal })) {
        const name = meta.path.slice(prefix.length)
        if (/^\d+$/.test(name) && Number(name) < below) keys.push(meta.path)
      }
    }
    return keys
  }

  async #create(key: string, text: string, batchId: number, what: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.store.putIfAbsent(key, encoder.encode(text), { signal })
    } catch (err) {
      if (!isLakeError(err, 'AlreadyExists')) throw err
      throw new StreamError('CommitConflict', `batch ${batchId} of the stream at ${this.store.url} was already ${what} by another process: expected to be its only runner; Help: run one process per checkpoint location`, {
        cause: err,
        context: { batchId },
      })
    }
  }

  async #maxBatch(prefix: string, signal?: AbortSignal): Promise<number | undefined> {
    let max: number | undefined
    for await (const meta of this.store.list(prefix, { signal })) {
      const name = meta.path.slice(prefix.length)
      if (!/^\d+$/.test(name)) continue
      const id = Number(name)
      if (max === undefined || id > max) max = id
    }
    return max
  }
}

function parseIdentity(text: string, url: string): StreamIdentity {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  const o = (typeof value === 'object' && value !== null ? value : {}) as Readonly<Record<string, unknown>>
  if (typeof o['id'] !== 'string' || typeof o['sourceTableId'] !== 'string' || typeof o['sourceUrl'] !== 'string') {
    throw new StreamError('StreamMismatch', `checkpoint ${url}/metadata: expected a lake stream's id, sourceTableId and sourceUrl, found ${text.slice(0, 200)}`, {
      context: { where: 'metadata' },
    })
  }
  return { id: o['id'], sourceTableId: o['sourceTableId'], sourceUrl: o['sourceUrl'], ...(o['readChangeFeed'] === true ? { readChangeFeed: true } : {}) }
}

function parseRange(text: string, batchId: number, url: string): BatchRange {
  const where = `${url}/offsets/${batchId}`
  const lines = text.split('\n')
  const meta = (() => {
    try {
      return JSON.parse(lines[1] ?? '') as Readonly<Record<string, unknown>>
    } catch {
      return {}
    }
  })()
  const start = parseOffset(JSON.stringify(meta['startOffset'] ?? null), `${where} startOffset`)
  const end = parseOffset(lines[2] ?? '', where)
  return { batchId, start, end, timestampMs: Number(meta['batchTimestampMs'] ?? 0) }
}
