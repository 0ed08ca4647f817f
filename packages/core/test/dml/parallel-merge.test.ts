// The seed scenario of issue 12 (docs/row-level-plan.md §11) on local tables: 12 slices of keys; 8
// Promise-concurrent tasks in this process and 4 child processes (real processes, on the built dist)
// each write their slice into their own table and into one shared table at the same time. Every
// table must end holding exactly its rows (the known failure of such pipelines elsewhere: one
// worker's rows in another's table), the shared table every slice once, no operation may fail, and
// no worker may re-plan more than 11 times (12 writers that each commit once). Deletion vectors on
// and off. The worker operation is fixtures/slice-worker.mjs `writeSlice` (DELETE + append today;
// MERGE later); the S3 variant is the repository's test/concurrency/seed-scenario.test.ts.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, it } from 'vitest'
import { DeltaTable } from '../../src/index.js'
import { tempDir } from '../../../../test/temp-dir.js'
import { expectSeedResult, runSeedScenario } from './seed-scenario.js'

const DIST = fileURLToPath(new URL('../../dist/internal.js', import.meta.url))

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build first (npx turbo run build --filter=@lake/core)`)
})

describe('seed scenario: 8 tasks and 4 processes write their slices into their own tables and one shared table (local)', () => {
  it.each([true, false])('deletion vectors %s', { timeout: 240_000 }, async (dv) => {
    const dir = tempDir('lake-seed-')
    const tables = { shared: join(dir, 'shared'), own: (slice: number) => join(dir, `own-${slice}`) }
    const outcomes = await runSeedScenario(DeltaTable, tables, dv)
    await expectSeedResult(DeltaTable, tables, outcomes)
  })
})
