// A small least-recently-used cache of promises: concurrent requests for one key share one load, and
// a load that fails is forgotten so the next request tries again.

/** Keeps the `capacity` most recently used values. */
export class Lru<K, V> {
  readonly #capacity: number
  readonly #entries = new Map<K, Promise<V>>()

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /** The cached value of `key`, else the value `load` resolves to (cached once it does). */
  get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.#entries.get(key)
    if (hit !== undefined) {
      this.#entries.delete(key)
      this.#entries.set(key, hit)
      return hit
    }
    const loading = load()
    this.#entries.set(key, loading)
    loading.catch(() => {
      if (this.#entries.get(key) === loading) this.#entries.delete(key)
    })
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#capacity) break
      this.#entries.delete(oldest)
    }
    return loading
  }
}
