// Retry policy of the commit loop: full-jitter exponential backoff bounded in attempts and total
// time (AWS "Exponential Backoff and Jitter"). Random source and clock are injected. Pure.

/** Settings of a `BackoffPolicy`. */
export interface BackoffOptions {
  /** Delay ceiling of the first retry, in ms. Default 5 (about one commit round trip; see DEFAULT_BASE_MS). */
  readonly baseMs?: number
  /** Upper bound of any single delay, in ms. Default 1,000. */
  readonly capMs?: number
  /** Commit attempts in total, the first included. Default 50. */
  readonly maxAttempts?: number
  /** Time budget from the first attempt, in ms: no retry starts after it. Default 60,000. */
  readonly maxTotalMs?: number
  /** Uniform random number in [0, 1). Default `Math.random`. */
  readonly random?: () => number
  /** Clock in ms, used by `start()`. Default `Date.now` (pass `engine.now` in the commit loop). */
  readonly now?: () => number
}

/** One commit loop's use of a policy: counts failed attempts and measures time with the policy's clock. */
export interface BackoffRun {
  /** Records a failed attempt and decides whether (and after how long) to retry. */
  next(): BackoffDecision
  /** Failed attempts so far. */
  readonly attempts: number
  /** Milliseconds since `start()`. */
  elapsedMs(): number
}

/** The policy's answer after a failed attempt. */
export type BackoffDecision =
  | { readonly status: 'retry'; readonly delayMs: number }
  | { readonly status: 'exhausted'; readonly reason: 'attempts' | 'time' }

// A lost put-if-absent race means another writer made progress, so waiting long only idles the
// table: bench/commit.bench.mjs measured 2-3x the throughput of a 50 ms base / 5 s cap at 2-16
// writers. 16 writers took up to ~34 attempts for one commit, hence 50 rather than delta-rs' 15.
const DEFAULT_BASE_MS = 5 // ms
const DEFAULT_CAP_MS = 1_000 // ms
const DEFAULT_MAX_ATTEMPTS = 50
const DEFAULT_MAX_TOTAL_MS = 60_000 // ms

/** Full-jitter exponential backoff: delay(n) = random() * min(cap, base * 2^n). */
export class BackoffPolicy {
  readonly baseMs: number
  readonly capMs: number
  readonly maxAttempts: number
  readonly maxTotalMs: number
  readonly #random: () => number
  readonly #now: () => number

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? DEFAULT_BASE_MS
    this.capMs = options.capMs ?? DEFAULT_CAP_MS
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
    this.maxTotalMs = options.maxTotalMs ?? DEFAULT_MAX_TOTAL_MS
    this.#random = options.random ?? Math.random
    this.#now = options.now ?? Date.now
  }

  /** Starts a run: the clock is read now and on every `next()`. */
  start(): BackoffRun {
    const startedAt = this.#now()
    let attempts = 0
    const elapsedMs = (): number => this.#now() - startedAt
    return {
      next: () => this.decide(++attempts, elapsedMs()),
      get attempts() {
        return attempts
      },
      elapsedMs,
    }
  }

  /** The delay before retry number `attempt` (0 = the first retry), in whole ms within [0, min(cap, base·2^attempt)]. */
  nextDelay(attempt: number): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(attempt, 52))
    return Math.floor(this.#random() * ceiling)
  }

  /**
   * Whether to retry after `attempts` failed attempts, `elapsedMs` after the first one started:
   * `exhausted` when the attempt budget is used up or the delay would end past `maxTotalMs`.
   */
  decide(attempts: number, elapsedMs: number): BackoffDecision {
    if (attempts >= this.maxAttempts) return { status: 'exhausted', reason: 'attempts' }
    const delayMs = this.nextDelay(attempts - 1)
    if (elapsedMs + delayMs > this.maxTotalMs) return { status: 'exhausted', reason: 'time' }
    return { status: 'retry', delayMs }
  }
}
