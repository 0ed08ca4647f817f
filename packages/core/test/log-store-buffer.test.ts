// storeAsyncBuffer: ranged reads through the store with the footer cached, and createEngine.

import { countingStore, MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { createEngine, storeAsyncBuffer } from '../src/internal.js'

const BYTES = Uint8Array.from({ length: 2_000_000 }, (_, i) => i % 251)

async function store(): Promise<ReturnType<typeof countingStore>> {
  const inner = new MemoryStore()
  await inner.put('f.parquet', BYTES)
  return countingStore(inner)
}

describe('storeAsyncBuffer', () => {
  it('heads for the size only when it is not given', async () => {
    const counting = await store()
    expect((await storeAsyncBuffer(counting.store, 'f.parquet')).byteLength).toBe(BYTES.length)
    expect(counting.counts.head).toBe(1)
    expect((await storeAsyncBuffer(counting.store, 'f.parquet', BYTES.length)).byteLength).toBe(BYTES.length)
    expect(counting.counts.head).toBe(1)
  })

  it('returns exactly the requested slice', async () => {
    const counting = await store()
    const buffer = await storeAsyncBuffer(counting.store, 'f.parquet', BYTES.length)
    expect(new Uint8Array(await buffer.slice(10, 20))).toEqual(BYTES.subarray(10, 20))
    expect(new Uint8Array(await buffer.slice(BYTES.length - 8))).toEqual(BYTES.subarray(BYTES.length - 8))
    expect((await buffer.slice(5, 5)).byteLength).toBe(0)
  })

  it('fetches the footer region once and serves later tail reads from it', async () => {
    const counting = await store()
    const buffer = await storeAsyncBuffer(counting.store, 'f.parquet', BYTES.length)
    await buffer.slice(BYTES.length - 8)
    await buffer.slice(BYTES.length - 1000, BYTES.length - 8)
    await buffer.slice(BYTES.length - 100_000, BYTES.length - 50_000)
    expect(counting.counts.get).toBe(1)
    await buffer.slice(0, 100)
    expect(counting.counts.get).toBe(2)
  })

  it('does not cache a failed read', async () => {
    const buffer = await storeAsyncBuffer(new MemoryStore(), 'missing', 100)
    await expect(buffer.slice(90)).rejects.toMatchObject({ code: 'NotFound' })
    await expect(buffer.slice(90)).rejects.toMatchObject({ code: 'NotFound' })
  })
})

describe('createEngine', () => {
  it('uses the injected clock', () => {
    expect(createEngine(new MemoryStore(), { now: () => 42 }).now()).toBe(42)
  })
})
