// Tests of mapConcurrent: results in input order, never more than `limit` calls in flight, fail fast.

import { describe, expect, it } from 'vitest'
import { mapConcurrent } from '../src/index.js'

describe('mapConcurrent', () => {
  it('returns results in input order with at most limit calls in flight', async () => {
    let inFlight = 0
    let peak = 0
    const results = await mapConcurrent([5, 1, 4, 2, 3, 0], 2, async (n) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      for (let i = 0; i < n; i++) await Promise.resolve() // finish in a different order than started
      inFlight--
      return n * 10
    })
    expect(results).toEqual([50, 10, 40, 20, 30, 0])
    expect(peak).toBe(2)
  })

  it('stops starting calls after the first failure and rethrows it', async () => {
    const started: number[] = []
    const run = mapConcurrent([1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n)
      if (n === 2) throw new Error('boom')
      return n
    })
    await expect(run).rejects.toThrow('boom')
    expect(started).toEqual([1, 2])
  })

  it('handles an empty list', async () => {
    expect(await mapConcurrent([], 4, async () => 1)).toEqual([])
  })
})
