// Contract cases for single-object operations: get/head/put/putIfAbsent/delete, byte ranges,
// key validation and abort signals.

import { describe, expect, it } from 'vitest'
import type { ByteRange } from '../object-store.js'
import { expectStorageError, listKeys, patternBytes, sameBytes, SPECIAL_KEYS, textBytes } from './contract-helpers.js'
import type { ContractContext } from './contract-context.js'

const RANGE_BODY = patternBytes(100, 7)

const RANGE_CASES: ReadonlyArray<readonly [string, ByteRange, number, number]> = [
  ['a middle slice', { offset: 10, length: 20 }, 10, 30],
  ['an offset to the end', { offset: 90 }, 90, 100],
  ['the last 8 bytes', { suffix: 8 }, 92, 100],
  ['everything for a suffix larger than the object', { suffix: 500 }, 0, 100],
  ['a range past the end clamped to the object', { offset: 95, length: 50 }, 95, 100],
  ['no bytes for an offset past the end', { offset: 150, length: 10 }, 100, 100],
]

const INVALID_KEYS: readonly string[] = [
  '',
  '/absolute',
  'a//b',
  'trailing/',
  '../escape',
  'a/../../b',
  'a/./b',
  'nul\0byte',
]

/** Registers the single-object cases. */
export function describeReadWriteCases(ctx: ContractContext): void {
  describe('get, head and put', () => {
    it('returns the bytes that were put', async () => {
      const store = await ctx.makeStore()
      const body = patternBytes(1000, 1)
      const meta = await store.put('dir/object.bin', body)
      expect(meta).toMatchObject({ path: 'dir/object.bin', size: 1000 })
      const read = await store.get('dir/object.bin')
      expect(read).toBeInstanceOf(Uint8Array)
      expect(sameBytes(read, body)).toBe(true)
    })

    it('stores and reads an empty object', async () => {
      const store = await ctx.makeStore()
      await store.put('empty', new Uint8Array(0))
      expect((await store.get('empty')).length).toBe(0)
      expect((await store.head('empty')).size).toBe(0)
    })

    it('rejects get and head of a missing key with NotFound', async () => {
      const store = await ctx.makeStore()
      await expectStorageError(store.get('missing.json'), 'NotFound')
      await expectStorageError(store.head('missing.json'), 'NotFound')
      await expectStorageError(store.get('missing.json', { range: { suffix: 8 } }), 'NotFound')
    })

    it('reports size and a lastModified taken around the write', async () => {
      const store = await ctx.makeStore()
      const tolerance = ctx.quirks.lastModifiedResolutionMs
      const before = Date.now()
      await store.put('meta.bin', patternBytes(123, 2))
      const after = Date.now()
      const meta = await store.head('meta.bin')
      expect(meta).toMatchObject({ path: 'meta.bin', size: 123 })
      expect(meta.lastModified).toBeGreaterThanOrEqual(before - tolerance)
      expect(meta.lastModified).toBeLessThanOrEqual(after + tolerance)
    })

    it('replaces an existing object on put', async () => {
      const store = await ctx.makeStore()
      await store.put('replace.txt', textBytes('old and longer'))
      await store.put('replace.txt', textBytes('new'))
      expect(new TextDecoder().decode(await store.get('replace.txt'))).toBe('new')
      expect((await store.head('replace.txt')).size).toBe(3)
    })

    it('round-trips keys with spaces, percent signs, equals signs and unicode', async () => {
      const store = await ctx.makeStore()
      for (const [i, key] of SPECIAL_KEYS.entries()) await store.put(key, textBytes(`body ${i}`))
      for (const [i, key] of SPECIAL_KEYS.entries()) {
        expect(new TextDecoder().decode(await store.get(key))).toBe(`body ${i}`)
        expect((await store.head(key)).path).toBe(key)
      }
      expect((await listKeys(store, '')).sort()).toEqual([...SPECIAL_KEYS].sort())
    })

    it.each(INVALID_KEYS)('rejects the key %j with InvalidPath', async (key) => {
      const store = await ctx.makeStore()
      await expectStorageError(store.put(key, textBytes('x')), 'InvalidPath')
      await expectStorageError(store.get(key), 'InvalidPath')
    })
  })

  describe('putIfAbsent', () => {
    it('writes a new key', async () => {
      const store = await ctx.makeStore()
      const meta = await store.putIfAbsent('_log/00.json', textBytes('first'))
      expect(meta).toMatchObject({ path: '_log/00.json', size: 5 })
      expect(new TextDecoder().decode(await store.get('_log/00.json'))).toBe('first')
    })

    it('rejects an existing key with AlreadyExists and keeps the original bytes', async () => {
      const store = await ctx.makeStore()
      await store.putIfAbsent('_log/00.json', textBytes('first'))
      await expectStorageError(store.putIfAbsent('_log/00.json', textBytes('second!')), 'AlreadyExists')
      expect(new TextDecoder().decode(await store.get('_log/00.json'))).toBe('first')
      expect(await listKeys(store, '_log/')).toEqual(['_log/00.json'])
    })
  })

  describe('ranged get', () => {
    it.each(RANGE_CASES)('reads %s', async (_label, range, start, end) => {
      const store = await ctx.makeStore()
      await store.put('range.bin', RANGE_BODY)
      const read = await store.get('range.bin', { range })
      expect(sameBytes(read, RANGE_BODY.subarray(start, end))).toBe(true)
    })
  })

  describe('delete', () => {
    it('removes an object and succeeds again on the missing key', async () => {
      const store = await ctx.makeStore()
      await store.put('gone.txt', textBytes('x'))
      await store.delete('gone.txt')
      await expectStorageError(store.get('gone.txt'), 'NotFound')
      await expect(store.delete('gone.txt')).resolves.toBeUndefined()
      await expect(store.delete('never/existed.txt')).resolves.toBeUndefined()
    })

    it('deletes many keys and ignores missing ones', async () => {
      const store = await ctx.makeStore()
      for (const key of ['m/a', 'm/b', 'm/c']) await store.put(key, textBytes(key))
      if (store.deleteMany === undefined) await Promise.all(['m/a', 'm/b'].map((k) => store.delete(k)))
      else await store.deleteMany(['m/a', 'm/b', 'm/missing'])
      expect(await listKeys(store, 'm/')).toEqual(['m/c'])
    })
  })

  describe('abort', () => {
    it('rejects every method with Aborted when the signal is already aborted', async () => {
      const store = await ctx.makeStore()
      await store.put('kept', textBytes('kept'))
      const controller = new AbortController()
      controller.abort()
      const signal = controller.signal
      await expectStorageError(store.get('kept', { signal }), 'Aborted')
      await expectStorageError(store.head('kept', { signal }), 'Aborted')
      await expectStorageError(store.put('new', textBytes('x'), { signal }), 'Aborted')
      await expectStorageError(store.putIfAbsent('new', textBytes('x'), { signal }), 'Aborted')
      await expectStorageError(store.delete('kept', { signal }), 'Aborted')
      await expectStorageError(listKeys(store, '', { signal }), 'Aborted')
      expect(await listKeys(store, '')).toEqual(['kept'])
    })
  })
}
