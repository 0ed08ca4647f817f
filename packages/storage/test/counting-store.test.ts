// Tests of countingStore: per-method call counts and keys, reset, and unchanged results.

import { describe, expect, it } from 'vitest'
import { countingStore, MemoryStore, type ObjectStore } from '../src/index.js'
import { collect, textBytes } from '../src/testing/index.js'

describe('countingStore', () => {
  it('counts calls per method and records their keys in order', async () => {
    const counted = countingStore(new MemoryStore())
    const { store } = counted
    await store.put('a', textBytes('1'))
    await store.putIfAbsent('b', textBytes('2'))
    await store.get('a')
    await store.get('b', { range: { suffix: 1 } })
    await store.head('a').catch(() => undefined)
    await expect(store.get('missing')).rejects.toMatchObject({ code: 'NotFound' })
    expect(await collect(store.list(''))).toHaveLength(2)
    await store.delete('a')
    await store.deleteMany?.(['b', 'c'])
    expect(counted.counts).toEqual({ get: 3, head: 1, put: 1, putIfAbsent: 1, list: 1, delete: 1, deleteMany: 1 })
    expect(counted.paths.get).toEqual(['a', 'b', 'missing'])
    expect(counted.paths.list).toEqual([''])
    expect(counted.paths.deleteMany).toEqual(['b', 'c'])
    expect(counted.total()).toBe(9)
  })

  it('starts again from zero after reset', async () => {
    const counted = countingStore(new MemoryStore())
    await counted.store.put('a', textBytes('1'))
    counted.reset()
    expect(counted.total()).toBe(0)
    expect(counted.paths.put).toEqual([])
    await counted.store.get('a')
    expect(counted.counts.get).toBe(1)
  })

  it('offers deleteMany only when the wrapped store has it', () => {
    const inner = new MemoryStore()
    const withoutDeleteMany: ObjectStore = {
      url: inner.url,
      get: (p, o) => inner.get(p, o),
      head: (p, o) => inner.head(p, o),
      put: (p, b, o) => inner.put(p, b, o),
      putIfAbsent: (p, b, o) => inner.putIfAbsent(p, b, o),
      list: (p, o) => inner.list(p, o),
      delete: (p, o) => inner.delete(p, o),
    }
    expect(countingStore(withoutDeleteMany).store.deleteMany).toBeUndefined()
    expect(countingStore(inner).store.deleteMany).toBeTypeOf('function')
  })
})
