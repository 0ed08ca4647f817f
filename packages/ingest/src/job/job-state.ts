// The durable state of an ingestion job: a header (which table, source and appId it belongs to)
// and the write-ahead offset log of planned batches (one put-if-absent plan per batch id).

import type { ObjectStore } from '@lake/storage'
import { isLakeError } from '@lake/storage'
import { IngestError } from '../errors.js'
import type { JsonValue } from '../types.js'

/** Who a job state belongs to. A resumed job must match it exactly. */
export interface JobHeader {
  readonly formatVersion: 1
  readonly appId: string
  /** `metaData.id` of the table. */
  readonly tableId: string
  readonly tableUri: string
  readonly sourceFingerprint: string
  readonly createdAt: string
}

/** A planned batch, written before its range is read. */
export interface PlannedBatch {
  readonly batchId: number
  readonly start: JsonValue
  readonly end: JsonValue
}

/** Planned batches kept in the log behind the latest (older ones are pruned). */
const KEEP_BATCHES = 10

/** The job state under `prefix` of `store` (`<prefix>job.json`, `<prefix>batches/<20-digit id>.json`). */
export class JobStateStore {
  readonly store: ObjectStore
  readonly prefix: string

  constructor(store: ObjectStore, prefix: string) {
    this.store = store
    this.prefix = prefix
  }

  /** The header, or `undefined` for a new job. @throws IngestError `CorruptLog`. */
  async readHeader(signal?: AbortSignal): Promise<JobHeader | undefined> {
    const value = await this.#readJson(`${this.prefix}job.json`, signal)
    if (value === undefined) return undefined
    return parseHeader(value, `${this.store.url}/${this.prefix}job.json`)
  }

  /** Writes the header of a new job; when another runner wrote one first, returns theirs. */
  async createHeader(header: JobHeader, signal?: AbortSignal): Promise<JobHeader> {
    try {
      await this.store.putIfAbsent(`${this.prefix}job.json`, encodeJson(header), { signal })
      return header
    } catch (err) {
      if (!isLakeError(err, 'AlreadyExists')) throw err
      const existing = await this.readHeader(signal)
      if (existing === undefined) throw err
      return existing
    }
  }

  /**
   * Rewrites the header (e.g. with the id of the table a concurrent creator made when this job's
   * first batch went into it instead of creating it).
   */
  async replaceHeader(header: JobHeader, signal?: AbortSignal): Promise<void> {
    await this.store.put(`${this.prefix}job.json`, encodeJson(header), { signal })
  }

  /** The latest planned batch, or `undefined` when none was planned. */
  async latestBatch(signal?: AbortSignal): Promise<PlannedBatch | undefined> {
    let last: string | undefined
    for await (const meta of this.store.list(`${this.prefix}batches/`, { signal })) {
      if (meta.path.endsWith('.json')) last = meta.path
    }
    if (last === undefined) return undefined
    const value = await this.#readJson(last, signal)
    return value === undefined ? undefined : parseBatch(value, `${this.store.url}/${last}`)
  }

  /**
   * Records a planned batch unless one with the same id exists (put-if-absent): at most one plan
   * per batch id ever exists, so every runner of the job reads the same range for it.
   * @returns the plan on record: `batch`, or the plan another runner wrote first.
   * @throws IngestError `CorruptLog` when the existing plan is unreadable.
   */
  async planBatch(batch: PlannedBatch, signal?: AbortSignal): Promise<PlannedBatch> {
    try {
      await this.store.putIfAbsent(this.#batchKey(batch.batchId), encodeJson(batch), { signal })
      return batch
    } catch (err) {
      if (!isLakeError(err, 'AlreadyExists')) throw err
      const existing = await this.readBatch(batch.batchId, signal)
      if (existing === undefined) throw err
      return existing
    }
  }

  /** The plan of batch `batchId`, or `undefined` when it was never planned (or was pruned). */
  async readBatch(batchId: number, signal?: AbortSignal): Promise<PlannedBatch | undefined> {
    const key = this.#batchKey(batchId)
    const value = await this.#readJson(key, signal)
    return value === undefined ? undefined : parseBatch(value, `${this.store.url}/${key}`)
  }

  /** Deletes planned batches older than `latest - KEEP_BATCHES` (best effort). */
  async prune(latest: number, signal?: AbortSignal): Promise<void> {
    const below = latest - KEEP_BATCHES
    if (below < 0 || below % KEEP_BATCHES !== 0) return
    const old: string[] = []
    for await (const meta of this.store.list(`${this.prefix}batches/`, { signal })) {
      if (meta.path < this.#batchKey(below)) old.push(meta.path)
    }
    for (const path of old) await this.store.delete(path, { signal })
  }

  #batchKey(batchId: number): string {
    return `${this.prefix}batches/${batchId.toString().padStart(20, '0')}.json`
  }

  async #readJson(path: string, signal?: AbortSignal): Promise<unknown> {
    let bytes: Uint8Array
    try {
      bytes = await this.store.get(path, { signal })
    } catch (err) {
      if (isLakeError(err, 'NotFound')) return undefined
      throw err
    }
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown
    } catch (cause) {
      throw new IngestError('CorruptLog', `job state ${this.store.url}/${path}: expected JSON, found unparseable bytes`, { cause })
    }
  }
}

function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value))
}

function parseHeader(value: unknown, where: string): JobHeader {
  const v = value as Partial<Record<keyof JobHeader, unknown>>
  const strings = ['appId', 'tableId', 'tableUri', 'sourceFingerprint', 'createdAt'] as const
  if (typeof value !== 'object' || value === null || v.formatVersion !== 1 || strings.some((k) => typeof v[k] !== 'string')) {
    throw new IngestError('CorruptLog', `job state ${where}: expected a header { formatVersion: 1, appId, tableId, tableUri, sourceFingerprint, createdAt }, found ${JSON.stringify(value)}`)
  }
  return value as JobHeader
}

function parseBatch(value: unknown, where: string): PlannedBatch {
  const v = value as Partial<Record<keyof PlannedBatch, unknown>>
  if (typeof value !== 'object' || value === null || !Number.isSafeInteger(v.batchId) || !('start' in value) || !('end' in value)) {
    throw new IngestError('CorruptLog', `job state ${where}: expected { batchId, start, end }, found ${JSON.stringify(value)}`)
  }
  return value as PlannedBatch
}
