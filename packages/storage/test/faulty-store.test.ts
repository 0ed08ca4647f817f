// Tests of faultyStore: failing chosen calls, recovering afterwards, lost responses and latency.

import { describe, expect, it } from 'vitest'
import { faultyStore, MemoryStore, StorageError } from '../src/index.js'
import { expectStorageError, listKeys, textBytes } from '../src/testing/index.js'

async function seeded(): Promise<MemoryStore> {
  const inner = new MemoryStore()
  await inner.put('a.json', textBytes('a'))
  await inner.put('b.json', textBytes('b'))
  return inner
}

describe('faultyStore', () => {
  it('fails the n-th matching call once and then recovers', async () => {
    const store = faultyStore(await seeded(), { rules: [{ method: 'get', after: 2, times: 1 }] })
    await expect(store.get('a.json')).resolves.toHaveLength(1)
    await expect(store.get('b.json')).resolves.toHaveLength(1)
    await expect(store.get('a.json')).rejects.toMatchObject({ code: 'Unavailable', retryable: true })
    await expect(store.get('a.json')).resolves.toHaveLength(1)
  })

  it('matches only the given key or pattern', async () => {
    const store = faultyStore(await seeded(), {
      rules: [
        { method: 'get', path: 'a.json', error: new StorageError('PermissionDenied', 'no') },
        { method: 'head', path: /^b\./ },
      ],
    })
    await expectStorageError(store.get('a.json'), 'PermissionDenied')
    await expect(store.get('b.json')).resolves.toHaveLength(1)
    await expectStorageError(store.head('b.json'), 'Unavailable')
    await expect(store.head('a.json')).resolves.toMatchObject({ size: 1 })
  })

  it('throws errors made by a factory, fresh on each call', async () => {
    let made = 0
    const store = faultyStore(await seeded(), {
      rules: [{ method: 'put', error: () => new StorageError('Timeout', `timeout ${++made}`) }],
    })
    await expect(store.put('c', textBytes('c'))).rejects.toThrow('timeout 1')
    await expect(store.put('c', textBytes('c'))).rejects.toThrow('timeout 2')
  })

  it("fails after the effect when when is 'after' (a lost response)", async () => {
    const inner = await seeded()
    const store = faultyStore(inner, { rules: [{ method: 'putIfAbsent', when: 'after', times: 1 }] })
    await expectStorageError(store.putIfAbsent('commit.json', textBytes('c')), 'Unavailable')
    expect(new TextDecoder().decode(await inner.get('commit.json'))).toBe('c')
    await expectStorageError(store.putIfAbsent('commit.json', textBytes('c')), 'AlreadyExists')
  })

  it('fails a listing when iteration starts', async () => {
    const store = faultyStore(await seeded(), { rules: [{ method: 'list', times: 1 }] })
    await expectStorageError(listKeys(store, ''), 'Unavailable')
    expect(await listKeys(store, '')).toEqual(['a.json', 'b.json'])
  })

  it('adds latency without failing when only delayMs is set, and aborts the wait', async () => {
    const store = faultyStore(await seeded(), {
      rules: [
        { method: 'get', delayMs: 1 },
        { method: 'head', delayMs: 60_000 },
      ],
    })
    await expect(store.get('a.json')).resolves.toHaveLength(1)
    const controller = new AbortController()
    const pending = store.head('a.json', { signal: controller.signal })
    controller.abort()
    await expectStorageError(pending, 'Aborted')
  })
})
