// The DML model test (test/dml/model.test.ts) on column-mapped tables: random appends, deletes,
// updates and merges agree with the in-memory model after every step, at every earlier version, and
// in the change feed, with the table created with `delta.columnMapping.mode` name or id.

import fc from 'fast-check'
import { describe, it } from 'vitest'
import { command, run } from '../dml/model-runner.js'

describe('DELETE, UPDATE and MERGE of a column-mapped table against an in-memory model', () => {
  it.each([
    ['name', true, true, true],
    ['id', false, false, true],
    ['name', false, true, false],
    ['id', true, false, false],
  ] as const)('mode %s (DV %s, partitioned %s, change data feed %s): random operations agree with the model, at every version', async (mode, dv, partitioned, cdf) => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), (commands) => run(dv, partitioned, cdf, commands, undefined, { 'delta.columnMapping.mode': mode })),
      { numRuns: 8 },
    )
  }, 120_000)
})
