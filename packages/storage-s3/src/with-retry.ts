// The S3 store's only retry loop: full-jitter exponential backoff, bounded attempts and total time,
// retrying only errors marked `retryable`. The SDK client runs with maxAttempts 1 so this is the only policy.

import { StorageError, isLakeError, throwIfAborted } from '@lake/storage'

/** How `S3Store` retries transient failures (`retryable` errors only). */
export interface RetryPolicy {
  /** Attempts in total, including the first (default 5). 1 disables retries. */
  readonly maxAttempts: number
  /** Backoff cap for the first retry, in milliseconds; doubles per retry (default 50 ms). */
  readonly baseDelayMs: number
  /** Backoff cap for any single retry, in milliseconds (default 2 s). */
  readonly maxDelayMs: number
  /** No retry starts after this many milliseconds since the first attempt (default 30 s). */
  readonly maxTotalMs: number
  /** A random number in [0, 1) for the jitter (default `Math.random`; tests inject their own). */
  readonly random?: () => number
}

/** The default retry policy: 5 attempts, 50 ms base, 2 s cap, 30 s in total. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 50, // ms
  maxDelayMs: 2_000, // ms
  maxTotalMs: 30_000, // ms
}

/**
 * Runs `attempt` until it resolves, throws a non-retryable error, or the policy runs out; then the
 * last error is thrown unchanged. Waits a full-jitter delay (`random() * min(maxDelayMs,
 * baseDelayMs * 2^(n-1))`) before retry n. `attempt` receives the 1-based attempt number.
 * @throws StorageError `Aborted` when `signal` aborts before or between attempts.
 */
export async function withRetry<T>(
  method: string,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  const started = Date.now()
  for (let n = 1; ; n++) {
    throwIfAborted(signal, method)
    try {
      return await attempt(n)
    } catch (err) {
      const outOfTime = Date.now() - started >= policy.maxTotalMs
      if (!isLakeError(err) || !err.retryable || n >= policy.maxAttempts || outOfTime) throw err
    }
    await sleep(backoffDelay(policy, n), signal, method)
  }
}

/** The full-jitter delay before retry number `retry` (1-based), in milliseconds. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1))
  return Math.floor((policy.random ?? Math.random)() * cap)
}

async function sleep(ms: number, signal: AbortSignal | undefined, method: string): Promise<void> {
  if (ms <= 0 || signal?.aborted === true) return
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new StorageError('Aborted', `${method} was aborted during retry backoff`, {
        context: { method },
        cause: signal?.reason,
      }))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
