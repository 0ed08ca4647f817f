// Two replaceWhere overwrites from two OS processes, both held at their first commit attempt until
// both have read the same version and written their files (a real race, no sleeps): on disjoint
// partitions both commit; on overlapping ones exactly one commits and the other fails with
// CommitConflict (ConcurrentAppend: the winner added files its predicate reads), leaving the
// winner's data.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeDelta } from '@lake/core'
import type { Row } from '@lake/parquet'
import { describeWithS3, ensureBucket } from '../../packages/storage-s3/test/s3-test-env.js'
import { inspectTable, localTarget, s3Target, startChild, type Target } from './helpers.js'

interface WriteOutcome {
  readonly result?: { readonly status: string; readonly version: number; readonly attempts: number }
  readonly error?: { readonly code: string; readonly reason?: string; readonly winningVersion?: number; readonly message: string }
}

const PARTS = ['a', 'b', 'c'] as const
const initialRows = PARTS.flatMap((part, i) => [{ id: i * 10, part }, { id: i * 10 + 1, part }])

/** Starts one replaceWhere writer per predicate; once all are at their commit, lets them race. */
async function raceReplaceWhere(t: Target, url: string, writes: readonly { predicate: string; parts: readonly string[]; base: number }[]): Promise<WriteOutcome[]> {
  const children = writes.map((w, i) =>
    startChild(
      t,
      'write',
      { url, rows: w.parts.map((part, k) => ({ id: w.base + k, part })), options: { mode: 'overwrite', replaceWhere: w.predicate } },
      `replaceWhere ${i}`,
    ),
  )
  expect(await Promise.all(children.map((c) => c.line()))).toEqual(children.map(() => 'ready'))
  for (const c of children) c.send('go')
  const outcomes = await Promise.all(children.map((c) => c.json<WriteOutcome>()))
  await Promise.all(children.map((c) => c.exited()))
  return outcomes
}

function idsByPart(rows: readonly Row[]): Record<string, number[]> {
  const out: Record<string, number[]> = {}
  for (const r of rows) (out[String(r['part'])] ??= []).push(Number(r['id']))
  for (const ids of Object.values(out)) ids.sort((x, y) => x - y)
  return out
}

function replaceWhereSuite(target: () => Target): void {
  let t: Target
  beforeAll(() => {
    t = target()
  })
  afterAll(() => t.cleanup())

  it('commits both overwrites of disjoint partitions (one rebased over the other)', async () => {
    const { url, store } = t.table('disjoint')
    await writeDelta(store, initialRows, { partitionBy: ['part'] })
    const outcomes = await raceReplaceWhere(t, url, [
      { predicate: "part = 'a'", parts: ['a'], base: 100 },
      { predicate: "part = 'b'", parts: ['b'], base: 200 },
    ])
    expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined])
    expect(outcomes.map((o) => o.result?.version).sort()).toEqual([1, 2])
    expect(outcomes.map((o) => o.result?.attempts).sort()).toEqual([1, 2])
    const state = await inspectTable(store)
    expect(idsByPart(state.rows)).toEqual({ a: [100], b: [200], c: [20, 21] })
  })

  it('commits exactly one of two overwrites of overlapping partitions; the other fails with CommitConflict', async () => {
    const { url, store } = t.table('overlap')
    await writeDelta(store, initialRows, { partitionBy: ['part'] })
    const writes = [
      { predicate: "part IN ('a', 'b')", parts: ['a', 'b'], base: 300 },
      { predicate: "part IN ('b', 'c')", parts: ['b', 'c'], base: 400 },
    ]
    const outcomes = await raceReplaceWhere(t, url, writes)
    const winner = outcomes.findIndex((o) => o.result !== undefined)
    const loser = outcomes[1 - winner]
    expect(winner).toBeGreaterThanOrEqual(0)
    expect(outcomes[winner]?.result).toMatchObject({ status: 'committed', version: 1, attempts: 1 })
    expect(loser?.error).toMatchObject({ code: 'CommitConflict', reason: 'ConcurrentAppend', winningVersion: 1 })
    expect(loser?.error?.message).toMatch(/concurrent commit at version 1 .*\nHelp: /s)

    const state = await inspectTable(store)
    expect(state.version).toBe(1)
    const won = writes[winner]
    const expected: Record<string, number[]> = { a: [0, 1], b: [10, 11], c: [20, 21] }
    for (const [k, part] of (won?.parts ?? []).entries()) expected[part] = [(won?.base ?? 0) + k]
    expect(idsByPart(state.rows)).toEqual(expected)
  })
}

describe('concurrent replaceWhere from OS processes (local)', () => replaceWhereSuite(localTarget))

describeWithS3('concurrent replaceWhere from OS processes (S3)', (env) => {
  beforeAll(() => ensureBucket(env))
  replaceWhereSuite(() => s3Target(env, 'lake-concurrency-replace'))
})
