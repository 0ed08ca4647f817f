// LocalStore names the method in every error it raises (callers and messages use context.method), closes
// every file handle it opens, and keeps its few remaining edge cases: a write whose read is split, an
// EPERM/EACCES on delete, a race that removes the key between two checks.

import { promises as fsp } from 'node:fs'
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { LocalStore } from '../src/index.js'
import { textBytes } from '../src/testing/index.js'
import { errno, faultTestRoots, rejection } from './fault-helpers.js'

const tempRoot = faultTestRoots('methods')

async function listAll(store: LocalStore, prefix: string, startAfter?: string): Promise<string[]> {
  const keys: string[] = []
  for await (const meta of store.list(prefix, startAfter === undefined ? {} : { startAfter })) keys.push(meta.path)
  return keys
}

type Call = (store: LocalStore, key: string, signal?: AbortSignal) => Promise<unknown>
const CALLS: [string, Call][] = [
  ['get', (s, k, signal) => s.get(k, { signal })],
  ['head', (s, k, signal) => s.head(k, { signal })],
  ['put', (s, k, signal) => s.put(k, textBytes('x'), { signal })],
  ['putIfAbsent', (s, k, signal) => s.putIfAbsent(k, textBytes('x'), { signal })],
  ['delete', (s, k, signal) => s.delete(k, { signal })],
  ['deleteMany', (s, k, signal) => s.deleteMany([k], { signal })],
  ['list', (s, k, signal) => listAll(s, `${k}/`).then(() => (signal?.aborted ? listAll(s, 'x', undefined) : undefined))],
]

describe('LocalStore errors name their method', () => {
  it.each(CALLS)('%s: an invalid key is InvalidPath with the method', async (method, call) => {
    const err = await rejection(call(new LocalStore(await tempRoot()), '../x'))
    expect(err).toMatchObject({ code: 'InvalidPath', context: { method } })
  })

  it.each(CALLS.filter(([m]) => m !== 'list'))('%s: an aborted call is Aborted with the method', async (method, call) => {
    const err = await rejection(call(new LocalStore(await tempRoot()), 'k', AbortSignal.abort()))
    expect(err).toMatchObject({ code: 'Aborted', message: `${method} was aborted`, context: { method } })
  })

  it('list: an aborted call is Aborted with the method', async () => {
    const store = new LocalStore(await tempRoot())
    const err = await rejection((async () => {
      for await (const meta of store.list('', { signal: AbortSignal.abort() })) void meta
    })())
    expect(err).toMatchObject({ code: 'Aborted', message: 'list was aborted', context: { method: 'list' } })
  })

  it('get: an invalid range names get', async () => {
    const store = new LocalStore(await tempRoot())
    await store.put('a', textBytes('abc'))
    expect(await rejection(store.get('a', { range: { offset: -1, length: 1 } }))).toMatchObject({ code: 'InvalidArgument', context: { method: 'get', path: 'a' } })
  })

  it('head and get of a directory say which method found no object', async () => {
    const root = await tempRoot()
    await mkdir(join(root, 'dir'))
    const store = new LocalStore(root)
    expect(await rejection(store.head('dir'))).toMatchObject({ code: 'NotFound', message: "head 'dir': expected an object, found none", context: { method: 'head', path: 'dir' } })
  })

  it.each(['put', 'putIfAbsent'] as const)('%s of a key that is a directory is InvalidPath naming %s', async (method) => {
    const root = await tempRoot()
    await mkdir(join(root, 'dir', 'sub'), { recursive: true })
    const err = await rejection(new LocalStore(root)[method]('dir/sub', textBytes('x')))
    expect(err).toMatchObject({ code: 'InvalidPath', context: { method, path: 'dir/sub' } })
    expect((err as Error).message).toMatch(new RegExp(`^${method} 'dir/sub': expected the key to be a file`))
  })
})

describe('LocalStore file handles', () => {
  /** How many handles `action` opened, and how many of them it closed. */
  async function handles(action: (store: LocalStore) => Promise<unknown>): Promise<{ opened: number; closed: number }> {
    const store = new LocalStore(await tempRoot())
    await store.put('a', textBytes('abc'))
    const open = fsp.open.bind(fsp)
    const counts = { opened: 0, closed: 0 }
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await open(...args)
      const close = handle.close.bind(handle)
      counts.opened++
      handle.close = async () => {
        counts.closed++
        return close()
      }
      return handle
    })
    await action(store)
    return counts
  }

  it('closes the handle of a get', async () => {
    expect(await handles((s) => s.get('a'))).toEqual({ opened: 1, closed: 1 })
  })

  it('closes the temp file and the directory handle of a put', async () => {
    expect(await handles((s) => s.put('b', textBytes('x')))).toEqual({ opened: 2, closed: 2 })
  })
})

describe('LocalStore edge cases', () => {
  it('reads a file whose read returns fewer bytes than asked, continuing where it stopped', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    await store.put('a', textBytes('0123456789'))
    const handle = await fsp.open(join(root, 'a'), 'r')
    const proto = Object.getPrototypeOf(handle) as { read: (...args: unknown[]) => Promise<{ bytesRead: number }> }
    await handle.close()
    const read = proto.read
    vi.spyOn(proto, 'read').mockImplementationOnce(function (this: unknown, buffer: unknown, offset: unknown, _length: unknown, position: unknown) {
      return read.call(this, buffer, offset, 4, position)
    })
    expect(new TextDecoder().decode(await store.get('a'))).toBe('0123456789')
    expect(new TextDecoder().decode(await store.get('a', { range: { offset: 2, length: 5 } }))).toBe('23456')
  })

  it('lists every key with no startAfter and those after it with one', async () => {
    const store = new LocalStore(await tempRoot())
    await store.put('p/a', textBytes('x'))
    await store.put('p/b', textBytes('x'))
    expect(await listAll(store, 'p/')).toEqual(['p/a', 'p/b'])
    expect(await listAll(store, 'p/', 'p/a')).toEqual(['p/b'])
  })

  it('reports EACCES on deleting a directory key', async () => {
    const root = await tempRoot()
    await mkdir(join(root, 'dir'))
    vi.spyOn(fsp, 'unlink').mockRejectedValueOnce(errno('EACCES'))
    expect(await rejection(new LocalStore(root).delete('dir'))).toMatchObject({ code: 'PermissionDenied', context: { method: 'delete', path: 'dir' } })
  })

  it('reports EPERM on a key that vanished before it could be checked for a directory', async () => {
    const root = await tempRoot()
    vi.spyOn(fsp, 'unlink').mockRejectedValueOnce(errno('EPERM'))
    expect(await rejection(new LocalStore(root).delete('gone'))).toMatchObject({ code: 'PermissionDenied', context: { method: 'delete', path: 'gone' } })
    expect(await readdir(root)).toEqual([])
  })
})
