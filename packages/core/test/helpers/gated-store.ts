// A store view for deterministic races in tests: the first putIfAbsent of one key waits at a gate
// until the test opens it, so another writer can be made to win that key first (no sleeps).
import type { ObjectStore } from '@lake/storage'

/** A gated view of `inner`; `reached` resolves when the held putIfAbsent of `path` starts waiting. */
export function gatedPutIfAbsent(inner: ObjectStore, path: string): { store: ObjectStore; reached: Promise<void>; open(): void } {
  let open = (): void => {}
  let reach = (): void => {}
  const gate = new Promise<void>((resolve) => (open = resolve))
  const reached = new Promise<void>((resolve) => (reach = resolve))
  let held = false
  const store: ObjectStore = {
    url: inner.url,
    get: (p, o) => inner.get(p, o),
    head: (p, o) => inner.head(p, o),
    put: (p, b, o) => inner.put(p, b, o),
    list: (p, o) => inner.list(p, o),
    delete: (p, o) => inner.delete(p, o),
    putIfAbsent: async (p, b, o) => {
      if (p === path && !held) {
        held = true
        reach()
        await gate
      }
      return inner.putIfAbsent(p, b, o)
    },
  }
  return { store, reached, open: () => open() }
}
