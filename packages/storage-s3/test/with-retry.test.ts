// Unit tests of the retry loop: retries only retryable errors, bounded attempts, full-jitter delays.

import { StorageError } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { backoffDelay, DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from '../src/with-retry.js'

const FAST: RetryPolicy = { maxAttempts: 4, baseDelayMs: 0, maxDelayMs: 0, maxTotalMs: 60_000 }
const transient = (): StorageError => new StorageError('Unavailable', 'busy', { retryable: true })

describe('withRetry', () => {
  it('retries retryable errors until an attempt succeeds', async () => {
    const seen: number[] = []
    const result = await withRetry('get', FAST, undefined, async (n) => {
      seen.push(n)
      if (n < 3) throw transient()
      return 'ok'
    })
    expect(result).toBe('ok')
    expect(seen).toEqual([1, 2, 3])
  })

  it('gives up after maxAttempts and throws the last error', async () => {
    let calls = 0
    const run = withRetry('get', FAST, undefined, async () => {
      calls++
      throw transient()
    })
    await expect(run).rejects.toMatchObject({ code: 'Unavailable' })
    expect(calls).toBe(4)
  })

  it('does not retry a non-retryable error', async () => {
    let calls = 0
    const run = withRetry('get', FAST, undefined, async () => {
      calls++
      throw new StorageError('NotFound', 'gone')
    })
    await expect(run).rejects.toMatchObject({ code: 'NotFound' })
    expect(calls).toBe(1)
  })

  it('stops with Aborted when the signal aborts during the backoff', async () => {
    const controller = new AbortController()
    const slow: RetryPolicy = { ...FAST, baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 0.5 }
    const run = withRetry('get', slow, controller.signal, async () => {
      queueMicrotask(() => controller.abort())
      throw transient()
    })
    await expect(run).rejects.toMatchObject({ code: 'Aborted' })
  })
})

describe('backoffDelay', () => {
  it('draws from a window that doubles per retry up to the cap', () => {
    const top = { ...DEFAULT_RETRY_POLICY, random: () => 0.999_999 }
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(top, n))).toEqual([49, 99, 199, 399, 799, 1599, 1999])
    expect(backoffDelay({ ...DEFAULT_RETRY_POLICY, random: () => 0 }, 5)).toBe(0)
  })
})
