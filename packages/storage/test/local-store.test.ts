// Tests of LocalStore: the shared contract plus root confinement, file layout, atomic replacement
// under concurrent readers, temp-file hiding and file/directory clashes.

import fs from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { LocalStore } from '../src/index.js'
import { describeObjectStoreContract, expectStorageError, listKeys, sameBytes, textBytes } from '../src/testing/index.js'

const roots: string[] = []

async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'lake-storage-'))
  roots.push(root)
  return root
}

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })))
})

// File mtimes come from the kernel's coarse clock, which may lag Date.now() by a tick.
describeObjectStoreContract('LocalStore', async () => new LocalStore(await tempRoot()), {
  lastModifiedResolutionMs: 50,
})

describe('LocalStore', () => {
  it.each(['../x', '../../etc/passwd', 'a/../../x', '/etc/passwd', 'a/..', 'ok/.lake-0123456789abcdef.tmp'])(
    'rejects the key %j with InvalidPath and writes nothing',
    async (key) => {
      const parent = await tempRoot()
      const store = new LocalStore(join(parent, 'root'))
      await expectStorageError(store.put(key, textBytes('x')), 'InvalidPath')
      await expectStorageError(store.putIfAbsent(key, textBytes('x')), 'InvalidPath')
      await expectStorageError(store.delete(key), 'InvalidPath')
      await expect(stat(join(parent, 'x'))).rejects.toMatchObject({ code: 'ENOENT' })
    },
  )

  it('rejects a list prefix that climbs out of the root', async () => {
    const store = new LocalStore(await tempRoot())
    await expectStorageError(listKeys(store, '../'), 'InvalidPath')
  })

  it('stores a key as the file at that path under the root, and has a file:// url', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    await store.put('date=2024-01-01/part 0%.json', textBytes('{"a":1}'))
    expect(await readFile(join(root, 'date=2024-01-01', 'part 0%.json'), 'utf8')).toBe('{"a":1}')
    expect(store.url).toBe(pathToFileURL(root).href)
    expect(store.root).toBe(root)
  })

  it('treats a root that does not exist yet as empty', async () => {
    const store = new LocalStore(join(await tempRoot(), 'not', 'yet'))
    expect(await listKeys(store, '')).toEqual([])
    await expectStorageError(store.get('k'), 'NotFound')
  })

  it('never shows a reader a partially written object while it is replaced', async () => {
    const store = new LocalStore(await tempRoot())
    const size = 2 << 20 // 2 MiB: large enough that a write takes several syscalls
    const bodies = Array.from({ length: 8 }, (_, i) => new Uint8Array(size).fill(i + 1))
    await store.put('big.bin', bodies[0] as Uint8Array)
    let isWriting = true
    const writer = (async () => {
      for (const body of bodies.slice(1)) await store.put('big.bin', body)
      isWriting = false
    })()
    const reads: Uint8Array[] = []
    while (isWriting) reads.push(await store.get('big.bin'))
    await writer
    expect(reads.length).toBeGreaterThan(0)
    for (const read of reads) expect(sameBytes(read, bodies[(read[0] ?? 0) - 1] ?? new Uint8Array())).toBe(true)
  })

  it('hides temp files of writes in progress from list', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    await store.put('d/visible', textBytes('v'))
    await writeFile(join(root, 'd', '.lake-0123456789abcdef.tmp'), 'half a write')
    expect(await listKeys(store, '')).toEqual(['d/visible'])
  })

  it('makes a key\'s directory once: writes into a directory that exists call no mkdir', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    const mkdirs = vi.spyOn(fs.promises, 'mkdir')
    try {
      await store.put('d/e/one', textBytes('1'))
      expect(mkdirs.mock.calls.map(([path]) => String(path))).toEqual([join(root, 'd', 'e'), join(root, 'd'), join(root, 'd', 'e')])
      mkdirs.mockClear()
      await store.put('d/e/two', textBytes('2'))
      await store.putIfAbsent('d/three', textBytes('3'))
      expect(mkdirs).not.toHaveBeenCalled()
      expect(await listKeys(store, 'd/')).toEqual(['d/e/one', 'd/e/two', 'd/three'])
    } finally {
      mkdirs.mockRestore()
    }
  })

  it('reports a key that clashes with a directory or a file as InvalidPath', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    await store.put('file', textBytes('f'))
    await expectStorageError(store.put('file/below', textBytes('x')), 'InvalidPath')
    await mkdir(join(root, 'dir', 'sub'), { recursive: true })
    await expectStorageError(store.put('dir/sub', textBytes('x')), 'InvalidPath')
    await expectStorageError(store.putIfAbsent('dir/sub', textBytes('x')), 'InvalidPath')
    await expectStorageError(store.get('dir/sub'), 'NotFound')
    await expectStorageError(store.head('dir'), 'NotFound')
    await expect(store.delete('dir/sub')).resolves.toBeUndefined()
  })
})

describe('LocalStore under a directory that refuses new entries', () => {
  it('fails fast with InvalidPath instead of looping in mkdir (/proc): each level tried at most twice, never recursively', async () => {
    // Node's own mkdir(dir, { recursive: true }) never returns here; count the attempts instead of timing them.
    const mkdir = vi.spyOn(fs.promises, 'mkdir')
    try {
      const store = new LocalStore('/proc/lake-no-such-dir/table')
      await expect(store.put('_delta_log/x.json', new Uint8Array([1]))).rejects.toMatchObject({
        name: 'StorageError',
        code: 'InvalidPath',
        context: { method: 'mkdir', path: '/proc/lake-no-such-dir' },
      })
      await expect(store.putIfAbsent('a/b.parquet', new Uint8Array([1]))).rejects.toMatchObject({ code: 'InvalidPath' })
      const calls = mkdir.mock.calls.map(([path, options]) => ({ path: String(path), options }))
      expect(calls.filter((c) => typeof c.options === 'object' && c.options?.recursive === true)).toEqual([])
      // each call: the key's directory, its parents up to /proc (a stat finds it: never made), then the refused level once more
      const attempts = new Map<string, number>()
      for (const c of calls) attempts.set(c.path, (attempts.get(c.path) ?? 0) + 1)
      expect(Object.fromEntries(attempts)).toEqual({
        '/proc/lake-no-such-dir/table/_delta_log': 1,
        '/proc/lake-no-such-dir/table/a': 1,
        '/proc/lake-no-such-dir/table': 2,
        '/proc/lake-no-such-dir': 4,
      })
    } finally {
      mkdir.mockRestore()
    }
  })
})
