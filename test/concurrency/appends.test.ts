// 8 OS processes x 25 appends into one table they create together (local file system and S3):
// versions contiguous 0..199, 200 one-file append commits, every row present exactly once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeWithS3, ensureBucket } from '../../packages/storage-s3/test/s3-test-env.js'
import { addsOf, inspectTable, localTarget, s3Target, startChild, type Target } from './helpers.js'

const PROCESSES = 8
const COMMITS = 25 // per process

interface AppendsResult {
  readonly writer: number
  readonly versions: readonly number[]
  readonly attempts: number
  readonly error?: unknown
}

function appendsSuite(target: () => Target): void {
  let t: Target
  beforeAll(() => {
    t = target()
  })
  afterAll(() => t.cleanup())

  it(`${PROCESSES} processes x ${COMMITS} appends: contiguous versions, every commit and row exactly once`, async () => {
    const { url, store } = t.table('appends')
    const children = Array.from({ length: PROCESSES }, (_, writer) => startChild(t, 'appends', { url, writer, commits: COMMITS }, `writer ${writer}`))
    // All children have loaded the packages and opened the store before any writes: a real race.
    expect(await Promise.all(children.map((c) => c.line()))).toEqual(children.map(() => 'ready'))
    for (const c of children) c.send('go')
    // 200 contended commits take well over a minute on S3 when the machine is loaded: a liveness bound, not a speed check.
    const results = await Promise.all(children.map((c) => c.json<AppendsResult>(150_000)))
    await Promise.all(children.map((c) => c.exited()))
    expect(results.filter((r) => r.error !== undefined)).toEqual([])

    const total = PROCESSES * COMMITS
    const reported = results.flatMap((r) => r.versions).sort((a, b) => a - b)
    expect(reported).toEqual(Array.from({ length: total }, (_, v) => v))

    const state = await inspectTable(store)
    expect(state.version).toBe(total - 1)
    for (const [v, actions] of state.commits.entries()) {
      expect(addsOf(actions), `version ${v}`).toHaveLength(1)
      expect(actions.some((a) => a.kind === 'remove'), `version ${v}`).toBe(false)
    }
    const ids = state.rows.map((r) => Number(r['id'])).sort((a, b) => a - b)
    const expected = results.flatMap((r) => Array.from({ length: COMMITS }, (_, i) => r.writer * 1000 + i)).sort((a, b) => a - b)
    expect(ids).toEqual(expected)
    // Each writer's rows landed in its own versions, in its order.
    for (const r of results) expect(r.versions).toEqual([...r.versions].sort((a, b) => a - b))
    const retries = results.reduce((n, r) => n + r.attempts, 0) - total
    console.log(`[appends ${t.name}] ${total} commits, ${retries} retries`)
  }, 240_000)
}

describe('concurrent appends from OS processes (local)', () => appendsSuite(localTarget))

describeWithS3('concurrent appends from OS processes (S3)', (env) => {
  beforeAll(() => ensureBucket(env))
  appendsSuite(() => s3Target(env, 'lake-concurrency-appends'))
})
