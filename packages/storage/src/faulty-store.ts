// faultyStore: a test decorator that injects failures and latency into chosen calls of a store.
// Rules match by method and key; a fault can fire before the call or after it took effect.

import { setTimeout as delay } from 'node:timers/promises'
import { StorageError } from './errors.js'
import type { ObjectStore, SignalOptions } from './object-store.js'
import type { StoreMethod } from './store-method.js'
import { toStorageError } from './to-storage-error.js'

/** One fault to inject. */
export interface FaultRule {
  readonly method: StoreMethod
  /** Only calls on this exact key (or prefix for `list`), or keys matching this RegExp. Default: all. */
  readonly path?: string | RegExp
  /** Let this many matching calls through untouched first (default 0): "fail the 3rd get" is `after: 2`. */
  readonly after?: number
  /** Fire on this many matching calls, then stop (default: every one). */
  readonly times?: number
  /**
   * The error to throw. Default: a retryable `Unavailable` `StorageError` — unless only `delayMs`
   * is set, in which case the rule adds latency and does not fail.
   */
  readonly error?: StorageError | (() => Error)
  /** Wait this long before the call (honours the call's `signal`). */
  readonly delayMs?: number
  /**
   * `'before'` (default): fail without calling the store. `'after'`: call the store, let the
   * effect happen, then fail anyway (a lost response).
   */
  readonly when?: 'before' | 'after'
}

/** Options of `faultyStore`. */
export interface FaultyStoreOptions {
  readonly rules: readonly FaultRule[]
}

interface Fault {
  readonly delayMs: number
  readonly error: (() => Error) | undefined
  readonly when: 'before' | 'after'
}

/**
 * Wraps `inner` so that calls matching a rule are delayed and/or fail. Every rule that matches a
 * call counts it; the delays of all firing rules add up, and the first firing rule with an error
 * decides the failure. For `list` the rules are applied when iteration starts.
 */
export function faultyStore(inner: ObjectStore, options: FaultyStoreOptions): ObjectStore {
  const decide = makeDecider(options.rules)
  const guard = async <T>(
    method: StoreMethod,
    keys: readonly string[],
    opts: SignalOptions | undefined,
    run: () => Promise<T>,
  ): Promise<T> => {
    const fault = decide(method, keys)
    await applyDelay(fault, method, keys, opts?.signal)
    if (fault.error !== undefined && fault.when === 'before') throw fault.error()
    const result = await run()
    if (fault.error !== undefined && fault.when === 'after') throw fault.error()
    return result
  }
  const deleteMany = inner.deleteMany?.bind(inner)
  return {
    url: inner.url,
    get: (path, o) => guard('get', [path], o, () => inner.get(path, o)),
    head: (path, o) => guard('head', [path], o, () => inner.head(path, o)),
    put: (path, bytes, o) => guard('put', [path], o, () => inner.put(path, bytes, o)),
    putIfAbsent: (path, bytes, o) => guard('putIfAbsent', [path], o, () => inner.putIfAbsent(path, bytes, o)),
    list: async function* (prefix, o) {
      const fault = decide('list', [prefix])
      await applyDelay(fault, 'list', [prefix], o?.signal)
      if (fault.error !== undefined && fault.when === 'before') throw fault.error()
      yield* inner.list(prefix, o)
      if (fault.error !== undefined && fault.when === 'after') throw fault.error()
    },
    delete: (path, o) => guard('delete', [path], o, () => inner.delete(path, o)),
    ...(deleteMany === undefined
      ? {}
      : { deleteMany: (keys: readonly string[], o) => guard('deleteMany', keys, o, () => deleteMany(keys, o)) }),
  }
}

function makeDecider(rules: readonly FaultRule[]): (method: StoreMethod, keys: readonly string[]) => Fault {
  const seen = rules.map(() => 0)
  return (method, keys) => {
    let delayMs = 0
    let error: (() => Error) | undefined
    let when: 'before' | 'after' = 'before'
    rules.forEach((rule, i) => {
      if (rule.method !== method || !keys.some((key) => matches(rule.path, key))) return
      const index = seen[i] ?? 0
      seen[i] = index + 1
      const skip = rule.after ?? 0
      if (index < skip || index >= skip + (rule.times ?? Infinity)) return
      delayMs += rule.delayMs ?? 0
      if (error !== undefined || (rule.error === undefined && rule.delayMs !== undefined)) return
      error = errorFactory(rule, method, keys[0] ?? '')
      when = rule.when ?? 'before'
    })
    return { delayMs, error, when }
  }
}

function matches(pattern: string | RegExp | undefined, key: string): boolean {
  if (pattern === undefined) return true
  return typeof pattern === 'string' ? pattern === key : pattern.test(key)
}

function errorFactory(rule: FaultRule, method: StoreMethod, path: string): () => Error {
  const { error } = rule
  if (typeof error === 'function') return error
  if (error !== undefined) return () => error
  return () =>
    new StorageError('Unavailable', `injected fault: ${method} '${path}' failed as a faultyStore rule asked`, {
      retryable: true,
      context: { method, path },
    })
}

async function applyDelay(
  fault: Fault,
  method: StoreMethod,
  keys: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  if (fault.delayMs <= 0) return
  try {
    await delay(fault.delayMs, undefined, { signal })
  } catch (err) {
    throw toStorageError(err, method, keys[0] ?? '')
  }
}
