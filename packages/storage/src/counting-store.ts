// countingStore: a decorator that records every call made to a store, for I/O budget assertions
// in tests ("loading a snapshot lists once and reads two commits"). It never changes results.

import type { ObjectStore } from './object-store.js'
import { STORE_METHODS, type StoreMethod } from './store-method.js'

/** A counted store and the live tallies of the calls made through it. */
export interface CountingStore {
  /** Use this store; every call is recorded, then forwarded unchanged. */
  readonly store: ObjectStore
  /** Calls per method (live, updated in place). A `list` counts once when called, not per object. */
  readonly counts: Readonly<Record<StoreMethod, number>>
  /** The keys per method in call order (live); `list` records its prefix, `deleteMany` each key. */
  readonly paths: Readonly<Record<StoreMethod, readonly string[]>>
  /** Calls of all methods together. */
  total(): number
  /** Sets every count back to zero and forgets the recorded keys. */
  reset(): void
}

/** Wraps `inner` so that every call is counted. `deleteMany` exists only when `inner` has it. */
export function countingStore(inner: ObjectStore): CountingStore {
  const counts = Object.fromEntries(STORE_METHODS.map((m) => [m, 0])) as Record<StoreMethod, number>
  const paths = Object.fromEntries(STORE_METHODS.map((m) => [m, []])) as unknown as Record<StoreMethod, string[]>
  const record = (method: StoreMethod, keys: readonly string[]): void => {
    counts[method] += 1
    for (const key of keys) paths[method].push(key)
  }
  const deleteMany = inner.deleteMany?.bind(inner)
  const store: ObjectStore = {
    url: inner.url,
    get: (path, options) => (record('get', [path]), inner.get(path, options)),
    head: (path, options) => (record('head', [path]), inner.head(path, options)),
    put: (path, bytes, options) => (record('put', [path]), inner.put(path, bytes, options)),
    putIfAbsent: (path, bytes, options) => (record('putIfAbsent', [path]), inner.putIfAbsent(path, bytes, options)),
    list: (prefix, options) => (record('list', [prefix]), inner.list(prefix, options)),
    delete: (path, options) => (record('delete', [path]), inner.delete(path, options)),
    ...(deleteMany === undefined
      ? {}
      : { deleteMany: (keys: readonly string[], options) => (record('deleteMany', keys), deleteMany(keys, options)) }),
  }
  return {
    store,
    counts,
    paths,
    total: () => STORE_METHODS.reduce((sum, m) => sum + counts[m], 0),
    reset: () => {
      for (const m of STORE_METHODS) {
        counts[m] = 0
        paths[m].length = 0
      }
    },
  }
}
