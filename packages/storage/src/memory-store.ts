// MemoryStore: the ObjectStore contract in memory, for tests and for core code that needs no disk.
// Holds its own copies of bytes: callers can never mutate stored objects or their results.

import { resolveByteRange } from './byte-range.js'
import { StorageError, throwIfAborted } from './errors.js'
import { compareKeys } from './key-order.js'
import type { GetOptions, ListOptions, ObjectMeta, ObjectStore, SignalOptions } from './object-store.js'
import { validateBytes, validateKey, validatePrefix } from './validate-key.js'

/** Options of a `MemoryStore`. */
export interface MemoryStoreOptions {
  /** The clock for `lastModified`, in epoch milliseconds (default `Date.now`). */
  readonly now?: () => number
  /** The store's `url` (default `memory://`). */
  readonly url?: string
}

interface StoredObject {
  readonly bytes: Uint8Array
  readonly meta: ObjectMeta
}

/**
 * An `ObjectStore` held in a `Map`. Same key rules, ordering and errors as every other store;
 * `putIfAbsent` is trivially atomic (single-threaded). Unlike a file system, a key and a key below
 * it (`a` and `a/b`) may coexist, as on S3.
 */
export class MemoryStore implements ObjectStore {
  readonly url: string
  readonly #objects = new Map<string, StoredObject>()
  readonly #now: () => number

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now
    this.url = options.url ?? 'memory://'
  }

  async get(path: string, options: GetOptions = {}): Promise<Uint8Array> {
    const { bytes } = this.#find(path, 'get', options.signal)
    const { start, end } = resolveByteRange(options.range, bytes.length, 'get', path)
    return bytes.slice(start, end)
  }

  async head(path: string, options: SignalOptions = {}): Promise<ObjectMeta> {
    return { ...this.#find(path, 'head', options.signal).meta }
  }

  async put(path: string, bytes: Uint8Array, options: SignalOptions = {}): Promise<ObjectMeta> {
    checkWrite(path, bytes, 'put', options.signal)
    return this.#store(path, bytes)
  }

  async putIfAbsent(path: string, bytes: Uint8Array, options: SignalOptions = {}): Promise<ObjectMeta> {
    checkWrite(path, bytes, 'putIfAbsent', options.signal)
    if (this.#objects.has(path)) {
      throw new StorageError('AlreadyExists', `putIfAbsent '${path}': expected no object, found one already`, {
        context: { method: 'putIfAbsent', path },
      })
    }
    return this.#store(path, bytes)
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncGenerator<ObjectMeta> {
    throwIfAborted(options.signal, 'list')
    validatePrefix(prefix, 'list')
    const { startAfter } = options
    const keys = [...this.#objects.keys()]
      .filter((key) => key.startsWith(prefix) && (startAfter === undefined || compareKeys(key, startAfter) > 0))
      .sort(compareKeys)
    for (const key of keys) {
      throwIfAborted(options.signal, 'list')
      const found = this.#objects.get(key)
      if (found !== undefined) yield { ...found.meta }
    }
  }

  async delete(path: string, options: SignalOptions = {}): Promise<void> {
    throwIfAborted(options.signal, 'delete')
    validateKey(path, 'delete')
    this.#objects.delete(path)
  }

  async deleteMany(paths: readonly string[], options: SignalOptions = {}): Promise<void> {
    throwIfAborted(options.signal, 'deleteMany')
    for (const path of paths) validateKey(path, 'deleteMany')
    for (const path of paths) this.#objects.delete(path)
  }

  #find(path: string, method: string, signal: AbortSignal | undefined): StoredObject {
    throwIfAborted(signal, method)
    validateKey(path, method)
    const found = this.#objects.get(path)
    if (found === undefined) {
      throw new StorageError('NotFound', `${method} '${path}': expected an object, found none`, {
        context: { method, path },
      })
    }
    return found
  }

  #store(path: string, bytes: Uint8Array): ObjectMeta {
    const meta: ObjectMeta = { path, size: bytes.length, lastModified: this.#now() }
    this.#objects.set(path, { bytes: new Uint8Array(bytes), meta }) // a copy, also for Buffer inputs
    return { ...meta }
  }
}

function checkWrite(path: string, bytes: Uint8Array, method: string, signal: AbortSignal | undefined): void {
  throwIfAborted(signal, method)
  validateKey(path, method)
  validateBytes(bytes, method, path)
}
