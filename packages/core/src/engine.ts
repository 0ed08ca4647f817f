// The Engine: every piece of I/O and the clock @lake/core uses, injected as the first argument.
// The pure core (actions, schema, protocol, replay) never sees it.

import type { ObjectStore } from '@lake/storage'

/** What the read and write paths of @lake/core may touch. */
export interface Engine {
  /** The table's store, rooted at the table directory (keys like `_delta_log/00000000000000000000.json`). */
  readonly store: ObjectStore
  /** The current time in epoch milliseconds. The only clock the core reads. */
  now(): number
}

/** Options of `createEngine`. */
export interface EngineOptions {
  /** The clock; defaults to `Date.now`. Tests pass a fixed clock. */
  readonly now?: () => number
}

/**
 * An `Engine` over a store rooted at a table.
 * @param store - The table's store (its root is the table directory).
 */
export function createEngine(store: ObjectStore, options: EngineOptions = {}): Engine {
  const now = options.now ?? Date.now
  return { store, now: () => now() }
}
