// HTTP source for paginated JSON APIs: page-number, offset or cursor pagination. Page and offset
// pages are fetched many at a time (bounded concurrency); cursor pages one after another.

import pLimit from 'p-limit'
import type { StructType } from '@lake/parquet'
import { IngestError } from '../errors.js'
import type { JsonValue } from '../types.js'
import { fingerprintOf } from './fingerprint.js'
import { HttpClient } from './http-fetch.js'
import type { HttpClientOptions } from './http-fetch.js'
import { inferSample } from './infer-sample.js'
import type { ReadContext, Source, SourceRecord } from './source.js'

/** How the API pages. Page numbers start at `first` (default 1); offsets at 0. */
export type Pagination =
  | { readonly kind: 'page'; readonly param?: string; readonly first?: number; readonly sizeParam?: string; readonly size?: number }
  | { readonly kind: 'offset'; readonly pageSize: number; readonly offsetParam?: string; readonly limitParam?: string }
  | { readonly kind: 'cursor'; readonly param?: string; readonly next: (body: unknown) => string | null | undefined }

/** Options of `HttpSource`. */
export interface HttpSourceOptions extends HttpClientOptions {
  /** The endpoint; pagination parameters are added to its query. */
  readonly url: string
  readonly pagination: Pagination
  /** The records of a page body. Default: the body if it is an array, else `body.data`. */
  readonly records?: (body: unknown) => readonly unknown[]
  /** Requests in flight (page and offset pagination). Default 8. */
  readonly concurrency?: number
  /** Pages per batch when the job gives no limit. Default 100. */
  readonly pagesPerBatch?: number
  /** Extra identity for the fingerprint (e.g. a query the URL does not show). */
  readonly id?: string
}

/** `{ page }`: pages consumed; cursor pagination adds the cursor of the next page and `done`. */
interface HttpOffset {
  readonly page: number
  readonly cursor?: string | null
  readonly done?: boolean
}

/**
 * Reads a paginated JSON API. The batch unit is pages; an empty page ends the data. Offsets are
 * `{ page }` (and `{ cursor, done }` for cursor pagination), so a planned range re-reads the same
 * pages: exactly-once needs an API whose pages do not shift (append-only listings, fixed sort).
 * `latestOffset` fetches the pages of the next batch (kept in memory for `read`, so memory is
 * bounded by the batch size). Record positions are `[page, index]`.
 */
export class HttpSource implements Source {
  readonly #options: HttpSourceOptions
  readonly #client: HttpClient
  readonly #cache = new Map<number, { records: readonly unknown[]; next?: string | null }>()
  /** The page where the last plan saw an empty page: the next plan from there has nothing new (checked once). */
  #emptyAt: number | undefined

  constructor(options: HttpSourceOptions) {
    this.#options = options
    this.#client = new HttpClient(options)
  }

  /** Requests sent and retried so far. */
  get stats(): { readonly requests: number; readonly retries: number } {
    return { requests: this.#client.requests, retries: this.#client.retries }
  }

  /** Positions are `[page, index]`: `page 2, record 5` (the record index 0-based within its page). */
  describePosition(position: JsonValue): string {
    return Array.isArray(position) ? `page ${JSON.stringify(position[0])}, record ${JSON.stringify(position[1])}` : `position ${JSON.stringify(position)}`
  }

  fingerprint(): string {
    const { next: _next, ...pagination } = this.#options.pagination as Pagination & { next?: unknown }
    return fingerprintOf('http', { url: this.#options.url, pagination, id: this.#options.id ?? null })
  }

  async initialOffset(): Promise<JsonValue> {
    return this.#options.pagination.kind === 'cursor' ? { page: 0, cursor: null, done: false } : { page: 0 }
  }

  async latestOffset(start: JsonValue, limit: number | undefined, options: { signal?: AbortSignal } = {}): Promise<JsonValue> {
    const from = parseOffset(start)
    const pages = limit ?? this.#options.pagesPerBatch ?? 100
    this.#cache.clear()
    if (this.#options.pagination.kind === 'cursor') return this.#planCursor(from, pages, options.signal)
    if (this.#emptyAt === from.page) {
      this.#emptyAt = undefined
      return { page: from.page }
    }
    const limiter = pLimit(this.#options.concurrency ?? 8)
    let end = from.page + pages
    await Promise.all(
      Array.from({ length: pages }, (_, i) =>
        limiter(async () => {
          const page = from.page + i
          if (page >= end) return
          const records = await this.#fetchRecords(this.#pageUrl(page), options.signal)
          this.#cache.set(page, { records })
          if (records.length === 0) end = Math.min(end, page)
        }),
      ),
    )
    for (const page of [...this.#cache.keys()]) if (page >= end) this.#cache.delete(page)
    this.#emptyAt = end < from.page + pages ? end : undefined
    return { page: end }
  }

  async *read(start: JsonValue, end: JsonValue, context: ReadContext = {}): AsyncGenerator<SourceRecord> {
    const from = parseOffset(start)
    const to = parseOffset(end)
    let cursor = from.cursor ?? null
    for (let page = from.page; page < to.page; page++) {
      let cached = this.#cache.get(page)
      if (cached === undefined) {
        cached = this.#options.pagination.kind === 'cursor' ? await this.#fetchCursor(cursor, context.signal) : { records: await this.#fetchRecords(this.#pageUrl(page), context.signal) }
      }
      cursor = cached.next ?? null
      for (let i = 0; i < cached.records.length; i++) yield { kind: 'record', value: cached.records[i], position: [page, i] }
    }
  }

  async commit(): Promise<void> {
    this.#cache.clear()
  }

  async schema(options: { signal?: AbortSignal } = {}): Promise<StructType | undefined> {
    const first = this.#options.pagination.kind === 'cursor' ? (await this.#fetchCursor(null, options.signal)).records : await this.#fetchRecords(this.#pageUrl(0), options.signal)
    return inferSample(first.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r)))
  }

  async #planCursor(from: HttpOffset, pages: number, signal?: AbortSignal): Promise<JsonValue> {
    if (from.done === true) return { page: from.page, cursor: from.cursor ?? null, done: true }
    let cursor = from.cursor ?? null
    let page = from.page
    let done = false
    while (page < from.page + pages && !done) {
      const fetched = await this.#fetchCursor(cursor, signal)
      if (fetched.records.length === 0 && page === from.page && fetched.next == null) return { page: from.page, cursor: from.cursor ?? null, done: false }
      this.#cache.set(page, fetched)
      page++
      cursor = fetched.next ?? null
      done = fetched.next == null
    }
    return { page, cursor, done }
  }

  async #fetchCursor(cursor: string | null, signal?: AbortSignal): Promise<{ records: readonly unknown[]; next: string | null }> {
    const p = this.#options.pagination
    if (p.kind !== 'cursor') throw new IngestError('InvalidArgument', `expected cursor pagination, found ${p.kind}`)
    const url = new URL(this.#options.url)
    if (cursor !== null) url.searchParams.set(p.param ?? 'cursor', cursor)
    const body = await this.#client.getJson(url.href, signal)
    return { records: this.#recordsOf(body, url.href), next: p.next(body) ?? null }
  }

  async #fetchRecords(url: string, signal?: AbortSignal): Promise<readonly unknown[]> {
    return this.#recordsOf(await this.#client.getJson(url, signal), url)
  }

  #pageUrl(page: number): string {
    const p = this.#options.pagination
    const url = new URL(this.#options.url)
    if (p.kind === 'page') {
      url.searchParams.set(p.param ?? 'page', String((p.first ?? 1) + page))
      if (p.size !== undefined) url.searchParams.set(p.sizeParam ?? 'size', String(p.size))
    } else if (p.kind === 'offset') {
      url.searchParams.set(p.offsetParam ?? 'offset', String(page * p.pageSize))
      url.searchParams.set(p.limitParam ?? 'limit', String(p.pageSize))
    }
    return url.href
  }

  #recordsOf(body: unknown, url: string): readonly unknown[] {
    const records = this.#options.records?.(body) ?? (Array.isArray(body) ? body : (body as { data?: unknown } | null)?.data)
    if (!Array.isArray(records)) throw new IngestError('InvalidArgument', `GET ${url}: expected a JSON array of records (or { data: [...] }), found ${JSON.stringify(body)?.slice(0, 100)}`)
    return records
  }
}

function parseOffset(value: JsonValue): HttpOffset {
  const v = value as Partial<HttpOffset> | null
  if (typeof v === 'object' && v !== null && Number.isSafeInteger(v.page)) return v as HttpOffset
  throw new IngestError('CorruptLog', `http source: expected an offset { page }, found ${JSON.stringify(value)}`)
}
