// Tests of MemoryStore: the shared contract plus its injectable clock and defensive copies.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index.js'
import { describeObjectStoreContract, expectStorageError, textBytes } from '../src/testing/index.js'

describeObjectStoreContract('MemoryStore', () => new MemoryStore())

describe('MemoryStore', () => {
  it('takes lastModified from the injected clock', async () => {
    let now = 1_700_000_000_000
    const store = new MemoryStore({ now: () => now })
    expect((await store.put('a', textBytes('1'))).lastModified).toBe(1_700_000_000_000)
    now += 5
    await store.put('b', textBytes('2'))
    expect((await store.head('a')).lastModified).toBe(1_700_000_000_000)
    expect((await store.head('b')).lastModified).toBe(1_700_000_000_005)
  })

  it('keeps its own copy of the bytes, whatever callers do with theirs', async () => {
    const store = new MemoryStore()
    const input = Buffer.from('original')
    await store.put('k', input)
    input.fill(0)
    const first = await store.get('k')
    first.fill(0)
    expect(new TextDecoder().decode(await store.get('k'))).toBe('original')
  })

  it('lets a key and a key below it coexist, as on S3', async () => {
    const store = new MemoryStore()
    await store.put('a', textBytes('file'))
    await store.put('a/b', textBytes('below'))
    expect((await store.head('a')).size).toBe(4)
    expect((await store.head('a/b')).size).toBe(5)
  })

  it('rejects a negative range offset and a non-integer length with InvalidArgument', async () => {
    const store = new MemoryStore()
    await store.put('k', textBytes('0123456789'))
    await expectStorageError(store.get('k', { range: { offset: -1 } }), 'InvalidArgument')
    await expectStorageError(store.get('k', { range: { offset: 1, length: 1.5 } }), 'InvalidArgument')
    await expectStorageError(store.get('k', { range: { suffix: -2 } }), 'InvalidArgument')
  })

  it('rejects a body that is not a Uint8Array with InvalidArgument', async () => {
    const store = new MemoryStore()
    await expectStorageError(store.put('k', 'text' as unknown as Uint8Array), 'InvalidArgument')
  })
})
