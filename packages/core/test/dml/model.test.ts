// Model-based DML test (docs/row-level-plan.md §11): random sequences of appends, deletes, merges
// (model-merge.ts: duplicate keys, random clauses and conditions) and updates with random predicates and SET lists over a small schema, DV on and off, partitioned and
// not, applied to a table and to an in-memory model (an array of rows). After every step the table
// equals the model, the DELETE/UPDATE metrics count the model's deleted/updated rows, and at the end
// every earlier version equals the model then and, with the change data feed on, changes(a, b) equals the
// model's changes of versions a..b (model-changes.ts).
// The runner and generators are model-runner.ts; the S3 run is the repository's test/s3/dml-model.test.ts.

import fc from 'fast-check'
import { describe, it } from 'vitest'
import { command, run } from './model-runner.js'
import type { Command } from './model-runner.js'
import { upsertCommand } from './model-merge.js'

describe('DELETE, UPDATE and MERGE against an in-memory model', () => {
  it.each([
    [true, false, false],
    [true, true, false],
    [true, true, true],
    [false, false, true],
    [false, true, false],
  ])('random appends, deletes, updates and merges agree with the model (DV %s, partitioned %s, change data feed %s), at every version', async (dv, partitioned, cdf) => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), (commands) => run(dv, partitioned, cdf, commands)),
      { numRuns: 15 },
    )
  }, 120_000)

  // The columnar upsert route (operations/merge/columnar-route.ts) runs for plain upserts on an unpartitioned
  // table without the change data feed, with deletion vectors or copy-on-write (the rewritten files' other
  // rows joined with the new rows): appends and upserts only, so most steps take it.
  const appendOrUpsert: fc.Arbitrary<Command> = fc.oneof(command.filter((c) => c.kind === 'append'), upsertCommand, upsertCommand)
  it.each([true, false])('random plain upserts (the columnar route) agree with the model (DV %s, unpartitioned, no change data feed), at every version', async (dv) => {
    await fc.assert(fc.asyncProperty(fc.array(appendOrUpsert, { minLength: 1, maxLength: 8 }), (commands) => run(dv, false, false, commands)), { numRuns: 15 })
  }, 120_000)
})
