import { describe, expect, it } from 'vitest'
import { BackoffPolicy } from '../src/transaction/backoff.js'
import { CommitAttemptsExhaustedError } from '../src/transaction/commit-attempts-exhausted-error.js'
import { CommitConflictError } from '../src/transaction/commit-conflict-error.js'
import { nextInCommitTimestamp } from '../src/transaction/in-commit-timestamp.js'
import type { Action } from '../src/actions/types.js'

describe('BackoffPolicy', () => {
  it.each<[number, number, number]>([
    [0, 0.5, 50],
    [1, 0.5, 100],
    [3, 0.999, 799],
    [10, 0.5, 2500],
    [60, 1 - Number.EPSILON, 4999],
    [2, 0, 0],
  ])('nextDelay(%i) with random %f is %i ms (full jitter, capped)', (attempt, random, expected) => {
    const policy = new BackoffPolicy({ baseMs: 100, capMs: 5000, random: () => random })
    expect(policy.nextDelay(attempt)).toBe(expected)
  })

  it('stops after maxAttempts attempts', () => {
    const policy = new BackoffPolicy({ baseMs: 50, maxAttempts: 3, random: () => 0.5 })
    expect(policy.decide(1, 0)).toEqual({ status: 'retry', delayMs: 25 })
    expect(policy.decide(2, 0)).toEqual({ status: 'retry', delayMs: 50 })
    expect(policy.decide(3, 0)).toEqual({ status: 'exhausted', reason: 'attempts' })
  })

  it('stops when the next delay would end past maxTotalMs, by the injected clock', () => {
    let now = 1_000
    const policy = new BackoffPolicy({ baseMs: 100, maxTotalMs: 500, random: () => 0.5, now: () => now })
    const run = policy.start()
    now += 300
    expect(run.next()).toEqual({ status: 'retry', delayMs: 50 })
    now += 120
    expect(run.next()).toEqual({ status: 'exhausted', reason: 'time' })
    expect(run.attempts).toBe(2)
    expect(run.elapsedMs()).toBe(420)
  })
})

describe('commit errors', () => {
  it('CommitConflictError names the winning version and reason and says what to do', () => {
    const err = new CommitConflictError('MetadataChanged', 7, 'concurrent commit at version 7 changed the table metadata', { readVersion: 5 })
    expect(err).toMatchObject({ name: 'CommitConflictError', code: 'CommitConflict', retryable: false, winningVersion: 7, reason: 'MetadataChanged' })
    expect(err.context).toEqual({ reason: 'MetadataChanged', winningVersion: 7, readVersion: 5 })
    expect(err.message).toMatch(/^commit conflict \(MetadataChanged\): concurrent commit at version 7 .*\nHelp: reload the table/s)
  })

  it('CommitAttemptsExhaustedError is retryable and says which bound was hit', () => {
    const err = new CommitAttemptsExhaustedError(15, 60_012, 42, 'attempts')
    expect(err).toMatchObject({ code: 'CommitAttemptsExhausted', retryable: true, context: { attempts: 15, lastVersion: 42, limit: 'attempts' } })
    expect(err.message).toMatch(/gave up after 15 attempts in 60012 ms \(maximum attempts reached\).*\nHelp: /s)
  })
})

describe('nextInCommitTimestamp', () => {
  const after = (ict?: number): Action[] => [{ kind: 'commitInfo', commitInfo: ict === undefined ? {} : { inCommitTimestamp: ict } }]
  it.each<[string, number, Action[] | undefined, number]>([
    ['uses the clock after an older commit', 1000, after(900), 1000],
    ['moves past a winner with a later timestamp', 1000, after(1500), 1501],
    ['moves past a winner with the same timestamp', 1000, after(1000), 1001],
    ['uses the clock without a previous ICT', 1000, after(), 1000],
    ['uses the clock for the first commit', 1000, undefined, 1000],
  ])('%s', (_name, now, previous, expected) => {
    expect(nextInCommitTimestamp(now, previous)).toBe(expected)
  })
})
