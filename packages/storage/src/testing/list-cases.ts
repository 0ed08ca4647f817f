// Contract cases for list: byte order of the full UTF-8 key, prefixes, startAfter, and listings
// longer than one S3 page (1,000 keys).

import { describe, expect, it } from 'vitest'
import { mapConcurrent } from '../map-concurrent.js'
import type { ObjectStore } from '../object-store.js'
import { collect, listKeys, textBytes, TRICKY_KEYS } from './contract-helpers.js'
import type { ContractContext } from './contract-context.js'

const MANY_KEYS = 1100 // more than one S3 ListObjectsV2 page (1,000)
const PUT_CONCURRENCY = 16 // parallel puts while filling the store

async function putTricky(store: ObjectStore): Promise<void> {
  // Insert in reverse so that insertion order cannot pass for sorting.
  for (const key of [...TRICKY_KEYS].reverse()) await store.put(key, textBytes(key))
}

function manyKey(i: number): string {
  return `many/k${String(i).padStart(4, '0')}`
}

/** Registers the list cases. */
export function describeListCases(ctx: ContractContext): void {
  describe('list', () => {
    it('yields nothing for an empty store or a prefix with no objects', async () => {
      const store = await ctx.makeStore()
      expect(await listKeys(store, '')).toEqual([])
      await store.put('x/y', textBytes('y'))
      expect(await listKeys(store, 'nothing/')).toEqual([])
      expect(await listKeys(store, 'x/y/')).toEqual([])
    })

    it('sorts keys by the byte order of their UTF-8 encoding', async () => {
      const store = await ctx.makeStore()
      await putTricky(store)
      const metas = await collect(store.list(''))
      expect(metas.map((m) => m.path)).toEqual(TRICKY_KEYS)
      for (const meta of metas) expect(meta.size).toBe(textBytes(meta.path).length)
    })

    it.each([
      ['a', ['a b', 'a%20b', 'a-', 'a.b', 'a/b', 'a0', 'a=1/x']],
      ['a/', ['a/b']],
      ['a.', ['a.b']],
      ['a=1/', ['a=1/x']],
      ['a/b', ['a/b']],
    ])('keeps only keys starting with the prefix %j', async (prefix, expected) => {
      const store = await ctx.makeStore()
      await putTricky(store)
      expect(await listKeys(store, prefix)).toEqual(expected)
    })

    it.each([
      ['an existing key', 'a.b', TRICKY_KEYS.slice(5)],
      ['a key between two keys', 'a/a', TRICKY_KEYS.slice(5)],
      ['a key inside a directory', 'a/c', TRICKY_KEYS.slice(6)],
      ['a key after every key', '😀😀', []],
    ])('starts after %s', async (_label, startAfter, expected) => {
      const store = await ctx.makeStore()
      await putTricky(store)
      expect(await listKeys(store, '', { startAfter })).toEqual(expected)
    })

    it('combines a prefix with startAfter', async () => {
      const store = await ctx.makeStore()
      await putTricky(store)
      expect(await listKeys(store, 'a', { startAfter: 'a/b' })).toEqual(['a0', 'a=1/x'])
    })

    it('lists each key once after it was replaced', async () => {
      const store = await ctx.makeStore()
      await store.put('r/k', textBytes('1'))
      await store.put('r/k', textBytes('22'))
      expect(await collect(store.list('r/'))).toEqual([expect.objectContaining({ path: 'r/k', size: 2 })])
    })

    it(
      'lists more than 1,000 keys in order, from the start and after a key',
      async () => {
        const store = await ctx.makeStore()
        const keys = Array.from({ length: MANY_KEYS }, (_, i) => manyKey(i))
        await mapConcurrent(keys, PUT_CONCURRENCY, (key) => store.put(key, textBytes(key)))
        await store.put('many.after', textBytes('outside the prefix'))
        expect(await listKeys(store, 'many/')).toEqual(keys)
        expect(await listKeys(store, 'many/', { startAfter: manyKey(49) })).toEqual(keys.slice(50))
        expect(await listKeys(store, 'many/', { startAfter: manyKey(999) })).toEqual(keys.slice(1000))
        expect((await listKeys(store, 'many')).length).toBe(MANY_KEYS + 1)
      },
      120_000,
    )
  })
}
