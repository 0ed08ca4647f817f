// HttpClient and HttpSource with an injected fetch: retries (5xx, 429 + Retry-After), hard
// failures, rate limit, and page, offset and cursor pagination.
import { describe, expect, it } from 'vitest'
import { HttpClient, HttpSource, retryAfterMs } from '../src/index.js'
import type { SourceRecord } from '../src/index.js'
import type { JsonValue } from '../src/types.js'

type Reply = { status: number; body?: unknown; headers?: Record<string, string> }

function fakeFetch(reply: (url: URL, n: number) => Reply): typeof fetch & { urls: string[] } {
  const urls: string[] = []
  const f = async (input: string | URL | Request): Promise<Response> => {
    const url = new URL(String(input))
    urls.push(url.pathname + url.search)
    const r = reply(url, urls.length)
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status, headers: r.headers ?? {} })
  }
  return Object.assign(f as typeof fetch, { urls })
}

async function read(source: HttpSource, start: JsonValue, end: JsonValue): Promise<unknown[]> {
  const out: unknown[] = []
  for await (const r of source.read(start, end) as AsyncIterable<SourceRecord>) if (r.kind === 'record') out.push(r.value)
  return out
}

describe('retryAfterMs', () => {
  it.each([
    ['2', 2000],
    ['0', 0],
    ['0.05', 50],
    ['', undefined],
    ['soon', undefined],
  ])('reads %j as %j ms', (header, ms) => {
    expect(retryAfterMs(header)).toBe(ms)
  })
})

describe('HttpClient', () => {
  it('retries 500 and 429 and returns the first success', async () => {
    const fetch = fakeFetch((_u, n) => (n === 1 ? { status: 500 } : n === 2 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200, body: [1] }))
    const client = new HttpClient({ fetch, baseDelayMs: 1 })
    await expect(client.getJson('http://x/a')).resolves.toEqual([1])
    expect(client.retries).toBe(2)
  })

  it('parses response bodies exactly: integers beyond 2^53 are not rounded', async () => {
    const f = async (): Promise<Response> => new Response('[{"id": 9007199254740993, "n": 1}]', { status: 200 })
    const client = new HttpClient({ fetch: f as typeof fetch })
    await expect(client.getJson('http://x/a')).resolves.toEqual([{ id: 9007199254740993n, n: 1 }])
  })

  it('fails at once on a non-retryable status and after the retries on 5xx', async () => {
    await expect(new HttpClient({ fetch: fakeFetch(() => ({ status: 404 })) }).getJson('http://x/a')).rejects.toMatchObject({ code: 'Unavailable', retryable: false, context: { status: 404 } })
    await expect(new HttpClient({ fetch: fakeFetch(() => ({ status: 503 })), maxRetries: 2, baseDelayMs: 1 }).getJson('http://x/a')).rejects.toMatchObject({ code: 'Unavailable', retryable: true })
  })

  it('spaces requests by the rate limit (scheduled delays on an injected clock)', async () => {
    let t = 1_000
    const waits: number[] = []
    const sleep = async (ms: number): Promise<void> => {
      waits.push(ms)
      t += ms
    }
    const client = new HttpClient({ fetch: fakeFetch(() => ({ status: 200, body: [] })), requestsPerSecond: 50, now: () => t, sleep })
    for (let i = 0; i < 4; i++) await client.getJson('http://x/a')
    expect(waits).toEqual([20, 20, 20])
    t += 100
    await client.getJson('http://x/a')
    expect(waits).toEqual([20, 20, 20])
  })

  it('queues concurrent requests behind the rate limit', async () => {
    const waits: number[] = []
    const client = new HttpClient({ fetch: fakeFetch(() => ({ status: 200, body: [] })), requestsPerSecond: 10, now: () => 0, sleep: async (ms) => void waits.push(ms) })
    await Promise.all(Array.from({ length: 4 }, () => client.getJson('http://x/a')))
    expect(waits).toEqual([100, 200, 300])
  })

  it('backs off through the injected sleep with full jitter under the cap', async () => {
    const waits: number[] = []
    const client = new HttpClient({ fetch: fakeFetch((_u, n) => (n <= 3 ? { status: 503 } : { status: 200, body: 1 })), baseDelayMs: 100, maxDelayMs: 250, sleep: async (ms) => void waits.push(ms) })
    await expect(client.getJson('http://x/a')).resolves.toBe(1)
    expect(waits).toHaveLength(3)
    waits.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0)
      expect(ms).toBeLessThan([100, 200, 250][i] ?? 0)
    })
  })

  it('stops waiting for the rate limit with an IngestError when the signal fires', async () => {
    const controller = new AbortController()
    const client = new HttpClient({
      fetch: fakeFetch(() => ({ status: 200, body: [] })),
      requestsPerSecond: 1,
      now: () => 0,
      sleep: (_ms, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true })),
    })
    await client.getJson('http://x/a', controller.signal)
    const second = client.getJson('http://x/a', controller.signal)
    controller.abort()
    await expect(second).rejects.toMatchObject({ code: 'Aborted' })
  })
})

describe('HttpSource', () => {
  it('plans page batches up to the first empty page and reads them in order', async () => {
    const fetch = fakeFetch((u) => {
      const page = Number(u.searchParams.get('page'))
      return { status: 200, body: { data: page <= 5 ? [{ id: page }] : [] } }
    })
    const source = new HttpSource({ url: 'http://api/items', pagination: { kind: 'page' }, concurrency: 3, fetch })
    const start = await source.initialOffset()
    const end = await source.latestOffset(start, 3)
    expect(end).toEqual({ page: 3 })
    expect(await read(source, start, end)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    const last = await source.latestOffset(end, 10)
    expect(last).toEqual({ page: 5 })
    expect(await read(source, end, last)).toEqual([{ id: 4 }, { id: 5 }])
    expect(await source.latestOffset(last, 10)).toEqual(last)
  })

  it('re-reads a planned range after a restart with a fresh source (offset pagination)', async () => {
    const make = (): HttpSource =>
      new HttpSource({
        url: 'http://api/items',
        pagination: { kind: 'offset', pageSize: 2 },
        fetch: fakeFetch((u) => {
          const offset = Number(u.searchParams.get('offset'))
          return { status: 200, body: offset < 6 ? [offset, offset + 1] : [] }
        }),
      })
    const end = await make().latestOffset({ page: 0 }, 2)
    expect(await read(make(), { page: 0 }, end)).toEqual([0, 1, 2, 3])
  })

  it('follows cursors page by page and marks the end', async () => {
    const pages: Record<string, { data: number[]; next: string | null }> = { first: { data: [1, 2], next: 'b' }, b: { data: [3], next: null } }
    const fetch = fakeFetch((u) => ({ status: 200, body: pages[u.searchParams.get('cursor') ?? 'first'] }))
    const source = new HttpSource({ url: 'http://api/items', pagination: { kind: 'cursor', next: (body) => (body as { next: string | null }).next }, fetch })
    const start = await source.initialOffset()
    const end = await source.latestOffset(start, 10)
    expect(end).toEqual({ page: 2, cursor: null, done: true })
    expect(await read(source, start, end)).toEqual([1, 2, 3])
    expect(await source.latestOffset(end, 10)).toEqual(end)
  })
})
