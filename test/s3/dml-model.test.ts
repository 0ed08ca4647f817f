// The model-based DML test of issue 12 on S3 (the local run is packages/core/test/dml/model.test.ts,
// with the same command generators and runner, model-runner.ts): random appends, deletes, updates and
// merges applied to a table on a real S3 server and to an in-memory model; after every step the table
// equals the model and at the end every earlier version does. Fewer runs than locally (each step is
// a few round trips to the server); every run gets a fresh prefix, all deleted afterwards.

import fc from 'fast-check'
import { afterAll, beforeAll, it } from 'vitest'
import { command, run } from '../../packages/core/test/dml/model-runner.js'
import type { Command } from '../../packages/core/test/dml/model-runner.js'
import { upsertCommand } from '../../packages/core/test/dml/model-merge.js'
import { deletePrefix, describeWithS3, ensureBucket, makeTestStore, uniqueRunPrefix } from '../../packages/storage-s3/test/s3-test-env.js'

describeWithS3('DELETE, UPDATE and MERGE against an in-memory model (S3)', (env) => {
  const prefix = uniqueRunPrefix('lake-dml-model')
  const stores: ReturnType<typeof makeTestStore>[] = []
  const fresh = (): ReturnType<typeof makeTestStore> => {
    const store = makeTestStore(env, `${prefix}/${stores.length}`)
    stores.push(store)
    return store
  }
  beforeAll(() => ensureBucket(env))
  afterAll(async () => {
    for (const store of stores) store.client.destroy()
    await deletePrefix(env, prefix)
  })

  it.each([
    [true, false, false],
    [true, true, true],
    [false, false, true],
    [false, true, false],
  ])('random appends, deletes, updates and merges agree with the model (DV %s, partitioned %s, change data feed %s), at every version', { timeout: 300_000 }, async (dv, partitioned, cdf) => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 6 }), (commands) => run(dv, partitioned, cdf, commands, fresh)),
      { numRuns: 4 },
    )
  })

  // Plain upserts with deletion vectors, unpartitioned, no change data feed: the columnar upsert route.
  const appendOrUpsert: fc.Arbitrary<Command> = fc.oneof(command.filter((c) => c.kind === 'append'), upsertCommand, upsertCommand)
  it('random plain upserts (the columnar route) agree with the model (DV, unpartitioned, no change data feed), at every version', { timeout: 300_000 }, async () => {
    await fc.assert(fc.asyncProperty(fc.array(appendOrUpsert, { minLength: 1, maxLength: 6 }), (commands) => run(true, false, false, commands, fresh)), { numRuns: 4 })
  })
})
