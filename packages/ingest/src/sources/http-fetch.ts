// JSON over HTTP for sources: global fetch with a per-request timeout, retries with full-jitter
// exponential backoff on 5xx, 429 and network errors (Retry-After honoured), and a rate limit.

import { setTimeout as sleep } from 'node:timers/promises'
import { IngestError } from '../errors.js'
import { parseJsonExact } from './exact-numbers.js'

/** Retry, timeout and rate settings of `HttpClient`. */
export interface HttpClientOptions {
  readonly headers?: Readonly<Record<string, string>>
  /** Per-request timeout (AbortSignal.timeout). Default 30 s. */
  readonly timeoutMs?: number
  /** Retries after the first attempt. Default 5. */
  readonly maxRetries?: number
  /** Backoff: the n-th retry waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^n)). Defaults 200 ms, 10 s. */
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
  /** At most this many requests start per second (spaced evenly). Default: unlimited. */
  readonly requestsPerSecond?: number
  /** The fetch to use (default: global fetch). */
  readonly fetch?: typeof fetch
  /** A monotonic clock in ms for the rate limit (default `performance.now`). */
  readonly now?: () => number
  /**
   * Waits `ms` for the rate limit and the backoff; must reject (with anything) once `signal`
   * fires. Default: `setTimeout` of `node:timers/promises`. Tests inject one to assert delays.
   */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return sleep(ms, undefined, signal === undefined ? {} : { signal })
}

const RETRYABLE_STATUS = (status: number): boolean => status === 429 || status === 408 || status >= 500

/** A small JSON client with retries, timeouts and a rate limit; counts requests and retries. */
export class HttpClient {
  readonly #options: HttpClientOptions
  #nextStart = 0
  requests = 0
  retries = 0

  constructor(options: HttpClientOptions = {}) {
    this.#options = options
  }

  /**
   * GETs `url` and parses JSON.
   * @throws IngestError `Unavailable` (retryable) after the retries, or for a non-retryable status
   *   (not retryable); `Timeout` when the last attempt timed out; `Aborted` when `signal` fired.
   */
  async getJson(url: string, signal?: AbortSignal): Promise<unknown> {
    const o = this.#options
    const maxRetries = o.maxRetries ?? 5
    let last = ''
    for (let attempt = 0; ; attempt++) {
      await this.#throttle(url, signal)
      this.requests++
      let wait: number | undefined
      try {
        const timeout = AbortSignal.timeout(o.timeoutMs ?? 30_000)
        const response = await (o.fetch ?? fetch)(url, { headers: o.headers, signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) })
        // Parsed exactly: ids beyond 2^53 and long decimals in API responses are not rounded.
        if (response.ok) return parseJsonExact(await response.text())
        await response.body?.cancel()
        last = `HTTP ${response.status}`
        if (!RETRYABLE_STATUS(response.status)) throw new IngestError('Unavailable', `GET ${url}: expected 2xx, found ${response.status}`, { context: { url, status: response.status } })
        wait = retryAfterMs(response.headers.get('retry-after'))
      } catch (err) {
        if (err instanceof IngestError) throw err
        if (signal?.aborted) throw new IngestError('Aborted', `GET ${url} was aborted`, { cause: signal.reason })
        last = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
        if (attempt >= maxRetries) throw new IngestError(isTimeout(err) ? 'Timeout' : 'Unavailable', `GET ${url}: ${last} after ${attempt + 1} attempts`, { retryable: true, cause: err, context: { url } })
      }
      if (attempt >= maxRetries) throw new IngestError('Unavailable', `GET ${url}: expected 2xx, found ${last} after ${attempt + 1} attempts`, { retryable: true, context: { url } })
      this.retries++
      await this.#sleep(wait ?? this.#backoff(attempt), url, signal)
    }
  }

  #backoff(attempt: number): number {
    const cap = Math.min(this.#options.maxDelayMs ?? 10_000, (this.#options.baseDelayMs ?? 200) * 2 ** attempt)
    return Math.random() * cap
  }

  /** Reserves the next start slot of the rate limit, then waits for it. */
  async #throttle(url: string, signal?: AbortSignal): Promise<void> {
    const rps = this.#options.requestsPerSecond
    if (rps === undefined || rps <= 0) return
    const now = (this.#options.now ?? performance.now.bind(performance))()
    const start = Math.max(now, this.#nextStart)
    this.#nextStart = start + 1000 / rps
    if (start > now) await this.#sleep(start - now, url, signal)
  }

  /** Sleeps `ms`; @throws IngestError `Aborted` when `signal` fires meanwhile. */
  async #sleep(ms: number, url: string, signal?: AbortSignal): Promise<void> {
    try {
      await (this.#options.sleep ?? defaultSleep)(ms, signal)
    } catch (cause) {
      if (!signal?.aborted) throw cause
    }
    if (signal?.aborted) throw new IngestError('Aborted', `GET ${url} was aborted`, { cause: signal.reason })
  }
}

/** Retry-After as milliseconds: delta-seconds (fractions accepted) or an HTTP date; `undefined` if absent or invalid. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
}
