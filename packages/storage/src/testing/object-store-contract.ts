// describeObjectStoreContract: the one behaviour suite every ObjectStore backend must pass
// (Memory, Local, S3, ...). Backend differences are declared as quirks, never as skipped cases.

import { describe } from 'vitest'
import type { ObjectStore } from '../object-store.js'
import type { ContractContext, ContractQuirks } from './contract-context.js'
import { describeListCases } from './list-cases.js'
import { describeRaceCases } from './race-cases.js'
import { describeReadWriteCases } from './read-write-cases.js'

const DEFAULT_RACE_WRITERS = 32

/**
 * Registers the ObjectStore contract tests for one backend with vitest. Call it at the top level of
 * a test file. `makeStore` is called once per test and must return an empty store.
 */
export function describeObjectStoreContract(
  name: string,
  makeStore: () => Promise<ObjectStore> | ObjectStore,
  quirks: ContractQuirks = {},
): void {
  const ctx: ContractContext = {
    makeStore: async () => makeStore(),
    quirks: {
      lastModifiedResolutionMs: quirks.lastModifiedResolutionMs ?? 0,
      raceWriters: quirks.raceWriters ?? DEFAULT_RACE_WRITERS,
    },
  }
  describe(`ObjectStore contract: ${name}`, () => {
    describeReadWriteCases(ctx)
    describeListCases(ctx)
    describeRaceCases(ctx)
  })
}
