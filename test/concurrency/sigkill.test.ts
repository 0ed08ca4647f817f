// A writer process killed with SIGKILL at random moments while it makes 50 commits, restarted
// after each kill: between kills and at the end a fresh reader sees a valid table (every commit
// file parses fully, versions contiguous, snapshot and full scan succeed, rows = committed rows).

import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeDelta } from '@lake/core'
import type { ObjectStore } from '@lake/storage'
import { describeWithS3, ensureBucket } from '../../packages/storage-s3/test/s3-test-env.js'
import { addsOf, inspectTable, localTarget, s3Target, startChild, type Target } from './helpers.js'

const LAST_VERSION = 50 // version 0 is the create, then 50 appends
const ROWS_PER_COMMIT = 3
const KILLS = 6
const MAX_COMMITS_BEFORE_KILL = 6 // the kill comes after 1..6 reported commits ...
const MAX_KILL_DELAY_MS = 30 // ... plus 0..30 ms, to land anywhere in a commit cycle (not synchronisation)

/** Checks the table as a fresh reader; returns its version. Every commit holds exactly one file of ROWS_PER_COMMIT rows. */
async function expectValidTable(store: ObjectStore): Promise<number> {
  const state = await inspectTable(store)
  for (const [v, actions] of state.commits.entries()) expect(addsOf(actions), `version ${v}`).toHaveLength(1)
  expect(state.rows).toHaveLength((state.version + 1) * ROWS_PER_COMMIT)
  const keys = state.rows.map((r) => `${String(r['run'])}/${String(r['seq'])}/${String(r['k'])}`)
  expect(new Set(keys).size).toBe(keys.length)
  return state.version
}

function sigkillSuite(target: () => Target): void {
  let t: Target
  beforeAll(() => {
    t = target()
  })
  afterAll(() => t.cleanup())

  it(`a writer killed ${KILLS} times during ${LAST_VERSION} commits always leaves a readable table`, async () => {
    const { url, store } = t.table('sigkill')
    const initial = Array.from({ length: ROWS_PER_COMMIT }, (_, k) => ({ run: -1, seq: 0, k }))
    await writeDelta(store, initial, { mode: 'error' })
    let version = 0
    let kills = 0
    for (let run = 0; kills < KILLS && version < LAST_VERSION; run++) {
      const child = startChild(t, 'loop', { url, run, rowsPerCommit: ROWS_PER_COMMIT, until: LAST_VERSION }, `writer run ${run}`)
      const commitsBeforeKill = 1 + Math.floor(Math.random() * MAX_COMMITS_BEFORE_KILL)
      let finished = false
      for (let i = 0; i < commitsBeforeKill && !finished; i++) finished = !(await child.line()).startsWith('committed ')
      if (!finished) {
        await delay(Math.floor(Math.random() * MAX_KILL_DELAY_MS))
        child.process.kill('SIGKILL')
        kills++
      }
      const how = await child.exited()
      expect(['SIGKILL', '0']).toContain(how)
      version = await expectValidTable(store)
    }
    expect(kills).toBe(KILLS)
    if (version < LAST_VERSION) {
      const finisher = startChild(t, 'loop', { url, run: KILLS + 1, rowsPerCommit: ROWS_PER_COMMIT, until: LAST_VERSION }, 'writer to the end')
      await finisher.exited()
    }
    expect(await expectValidTable(store)).toBe(LAST_VERSION)
    // Data files of commits a kill interrupted stay as orphans (vacuum removes them): shows where kills landed.
    const referenced = new Set((await inspectTable(store)).commits.flatMap((c) => addsOf(c).map((a) => a.path)))
    let orphans = 0
    for await (const meta of store.list('')) if (meta.path.endsWith('.parquet') && !meta.path.startsWith('_delta_log/') && !referenced.has(meta.path)) orphans++
    console.log(`[sigkill ${t.name}] ${kills} kills, ${orphans} orphan data files (kills between file write and commit)`)
  })
}

describe('a writer killed with SIGKILL (local)', () => sigkillSuite(localTarget))

describeWithS3('a writer killed with SIGKILL (S3)', (env) => {
  beforeAll(() => ensureBucket(env))
  sigkillSuite(() => s3Target(env, 'lake-concurrency-sigkill'))
})
