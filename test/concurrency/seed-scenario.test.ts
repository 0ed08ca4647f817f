// The seed scenario of issue 12 on S3 (the local run is packages/core/test/dml/parallel-merge.test.ts):
// 8 tasks in this process and 4 child processes write their slices into their own tables and one
// shared table on a real S3 server at the same time; every table holds exactly its rows, the shared
// one every slice once, nothing fails, and no worker re-plans more than 11 times.

import { afterAll, beforeAll, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { describeWithS3, ensureBucket } from '../../packages/storage-s3/test/s3-test-env.js'
import { expectSeedResult, runSeedScenario } from '../../packages/core/test/dml/seed-scenario.js'
import { s3Target, type Target } from './helpers.js'

describeWithS3('seed scenario: 8 tasks and 4 processes write their slices into their own tables and one shared table (S3)', (env) => {
  let t: Target
  beforeAll(async () => {
    await ensureBucket(env)
    t = s3Target(env, 'lake-seed-scenario')
  })
  afterAll(() => t.cleanup())

  it.each([true, false])('deletion vectors %s', { timeout: 300_000 }, async (dv) => {
    const label = dv ? 'dv' : 'cow'
    const tables = { shared: t.table(`${label}-shared`).url, own: (slice: number) => t.table(`${label}-own-${slice}`).url, childEnv: t.childEnv }
    const outcomes = await runSeedScenario(DeltaTable, tables, dv)
    await expectSeedResult(DeltaTable, tables, outcomes)
  })
})
