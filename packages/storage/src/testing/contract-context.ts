// The types the ObjectStore contract's groups of cases share: a backend's quirks and the context
// each group receives (in their own module, so the groups do not import the suite that runs them).

import type { ObjectStore } from '../object-store.js'

/** Known, allowed differences between backends. */
export interface ContractQuirks {
  /** How far `lastModified` may be from the local clock around the write, in ms (default 0). */
  readonly lastModifiedResolutionMs?: number
  /** Concurrent `putIfAbsent` calls in the race case (default 32). */
  readonly raceWriters?: number
}

/** What every group of cases receives. */
export interface ContractContext {
  /** A fresh, empty store (or one rooted at a fresh unique prefix) for each test. */
  readonly makeStore: () => Promise<ObjectStore>
  readonly quirks: Required<ContractQuirks>
}
