// Small helpers of the ObjectStore contract suite, exported for backend packages' own tests.
// Pure test utilities: deterministic bytes, collecting listings, asserting StorageError codes.

import { expect } from 'vitest'
import type { StorageErrorCode } from '../errors.js'
import type { ListOptions, ObjectMeta, ObjectStore } from '../object-store.js'

/**
 * Keys whose byte order differs from naive orders (per-directory name order, locale order,
 * JS UTF-16 order), listed here in the correct UTF-8 byte order.
 */
export const TRICKY_KEYS: readonly string[] = [
  'Z',
  'a b',
  'a%20b',
  'a-',
  'a.b',
  'a/b',
  'a0',
  'a=1/x',
  '~',
  'é',
  '\uFF5E', // fullwidth tilde: EF BD 9E, sorts before the astral emoji in bytes but after it in UTF-16
  '😀',
]

/** Keys with characters that need care in URLs, file systems or HTTP headers. */
export const SPECIAL_KEYS: readonly string[] = [
  'dir with space/file name.json',
  '100%/a%2Fb%20c',
  'date=2024-01-01/part=a+b/x.parquet',
  'ünïcødé/日本語.txt',
  'emoji/😀.bin',
]

/** UTF-8 bytes of a string. */
export function textBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** `size` pseudo-random bytes determined by `seed` (xorshift32): distinct seeds give distinct bodies. */
export function patternBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  let state = (seed * 2654435761 + 1) >>> 0 || 1
  for (let i = 0; i < size; i++) {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    out[i] = state & 0xff
  }
  return out
}

/** True when both arrays hold the same bytes (cheap for large bodies, unlike a deep-equal diff). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0
}

/** Every item of an async iterable, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** The keys `store.list(prefix, options)` yields, in order. */
export async function listKeys(store: ObjectStore, prefix: string, options?: ListOptions): Promise<string[]> {
  const metas: ObjectMeta[] = await collect(store.list(prefix, options))
  return metas.map((meta) => meta.path)
}

/** Asserts that `promise` rejects with a `StorageError`-shaped error carrying `code`. */
export async function expectStorageError(promise: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'StorageError', code })
}
