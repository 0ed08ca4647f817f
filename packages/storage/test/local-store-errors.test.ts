// LocalStore's error mapping: which file-system failure becomes which StorageError code (callers
// branch on it: the commit loop reads AlreadyExists as a lost race, the log reader reads NotFound as
// the end of the log), and failed writes leave neither the key nor a temp file behind. Real errors
// where the file system produces them (ENAMETOOLONG, ENOTDIR, EISDIR); faults no test can provoke as
// root (EIO, EACCES, ENOSPC) are injected into node:fs for one call.

import { promises as fsp } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { LocalStore } from '../src/index.js'
import { textBytes } from '../src/testing/index.js'
import { errno, faultTestRoots, rejection } from './fault-helpers.js'

const LONG = 'x'.repeat(300) // longer than any file-name limit (255 bytes)
const tempRoot = faultTestRoots('errors')

/** The prototype of fs.promises FileHandle objects, to inject faults into writeFile/sync/stat. */
async function fileHandlePrototype(root: string): Promise<object> {
  const handle = await fsp.open(root, 'r')
  await handle.close()
  return Object.getPrototypeOf(handle) as object
}

describe('LocalStore reads', () => {
  it.each(['get', 'head'] as const)('%s maps a name that is too long to Unknown, not NotFound', async (method) => {
    const root = await tempRoot()
    await mkdir(join(root, 'dir'))
    const store = new LocalStore(root)
    const err = await rejection(store[method](`dir/${LONG}`))
    expect(err).toMatchObject({ name: 'StorageError', code: 'Unknown', context: { method, path: `dir/${LONG}`, errno: 'ENAMETOOLONG' } })
  })

  it.each([
    ['EIO', 'Unknown'],
    ['EACCES', 'PermissionDenied'],
    ['EMFILE', 'Unavailable'],
  ])('get maps %s from open to %s', async (code, expected) => {
    const store = new LocalStore(await tempRoot())
    await store.put('a.json', textBytes('x'))
    vi.spyOn(fsp, 'open').mockRejectedValueOnce(errno(code))
    const err = await rejection(store.get('a.json'))
    expect(err).toMatchObject({ code: expected, context: { method: 'get', path: 'a.json', errno: code } })
  })

  it('head maps EACCES from stat to PermissionDenied', async () => {
    const store = new LocalStore(await tempRoot())
    await store.put('a.json', textBytes('x'))
    vi.spyOn(fsp, 'stat').mockRejectedValueOnce(errno('EACCES'))
    const err = await rejection(store.head('a.json'))
    expect(err).toMatchObject({ code: 'PermissionDenied', context: { method: 'head', path: 'a.json', errno: 'EACCES' } })
  })

  it('get and head of a key below a file are NotFound', async () => {
    const store = new LocalStore(await tempRoot())
    await store.put('file', textBytes('x'))
    expect(await rejection(store.get('file/below'))).toMatchObject({ code: 'NotFound', context: { method: 'get', path: 'file/below' } })
    expect(await rejection(store.head('file/below'))).toMatchObject({ code: 'NotFound', context: { method: 'head', path: 'file/below' } })
  })

  it('get of a directory is NotFound and says what it expected', async () => {
    const root = await tempRoot()
    await mkdir(join(root, 'dir'))
    const err = await rejection(new LocalStore(root).get('dir'))
    expect(err).toMatchObject({ code: 'NotFound', message: "get 'dir': expected an object, found none", context: { method: 'get', path: 'dir' } })
  })

  it('maps EISDIR from open to NotFound (a key that is a directory)', async () => {
    const store = new LocalStore(await tempRoot())
    await store.put('a', textBytes('x'))
    vi.spyOn(fsp, 'open').mockRejectedValueOnce(errno('EISDIR'))
    expect(await rejection(store.get('a'))).toMatchObject({ code: 'NotFound', message: "get 'a': expected an object, found none", context: { method: 'get', path: 'a' } })
  })

  it('returns the bytes it could read when the file shrinks while it is read', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    await store.put('a', textBytes('0123456789'))
    const proto = (await fileHandlePrototype(root)) as { read: (...args: unknown[]) => Promise<{ bytesRead: number }> }
    const read = proto.read
    vi.spyOn(proto, 'read')
      .mockImplementationOnce(function (this: unknown, buffer: unknown, offset: unknown) {
        return read.call(this, buffer, offset, 4, 0)
      })
      .mockResolvedValueOnce({ bytesRead: 0 })
    expect(new TextDecoder().decode(await store.get('a'))).toBe('0123')
  })

  it('reads a range of the file', async () => {
    const store = new LocalStore(await tempRoot())
    await store.put('a', textBytes('0123456789'))
    expect(new TextDecoder().decode(await store.get('a', { range: { offset: 2, length: 3 } }))).toBe('234')
  })
})

describe('LocalStore.putIfAbsent failures', () => {
  it('maps a failed link that is not EEXIST to its own code, not AlreadyExists, and leaves no temp file', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    vi.spyOn(fsp, 'link').mockRejectedValueOnce(errno('EIO'))
    const err = await rejection(store.putIfAbsent('_delta_log/0.json', textBytes('x')))
    expect(err).toMatchObject({ code: 'Unknown', context: { method: 'putIfAbsent', path: '_delta_log/0.json', errno: 'EIO' } })
    expect(await readdir(join(root, '_delta_log'))).toEqual([])
  })

  it('maps a name that is too long to Unknown and leaves no temp file', async () => {
    const root = await tempRoot()
    const err = await rejection(new LocalStore(root).putIfAbsent(`d/${LONG}`, textBytes('x')))
    expect(err).toMatchObject({ code: 'Unknown', context: { method: 'putIfAbsent', errno: 'ENAMETOOLONG' } })
    expect(await readdir(join(root, 'd'))).toEqual([])
  })

  it('maps a failed temp write (ENOSPC) to Unknown and leaves no temp file', async () => {
    const root = await tempRoot()
    vi.spyOn(await fileHandlePrototype(root) as { writeFile: () => Promise<void> }, 'writeFile').mockRejectedValueOnce(errno('ENOSPC'))
    const err = await rejection(new LocalStore(root).putIfAbsent('d/a', textBytes('x')))
    expect(err).toMatchObject({ code: 'Unknown', context: { method: 'putIfAbsent', path: 'd/a', errno: 'ENOSPC' } })
    expect(await readdir(join(root, 'd'))).toEqual([])
  })

  it('reports AlreadyExists with the key when the object exists, and keeps the first body', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    await store.putIfAbsent('k', textBytes('first'))
    const err = await rejection(store.putIfAbsent('k', textBytes('second')))
    expect(err).toMatchObject({ code: 'AlreadyExists', message: "putIfAbsent 'k': expected no object, found one already", context: { method: 'putIfAbsent', path: 'k' } })
    expect(new TextDecoder().decode(await store.get('k'))).toBe('first')
    expect(await readdir(root)).toEqual(['k'])
  })

  it('succeeds once the link is made even if removing the temp file or syncing the directory fails', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    const rmSpy = vi.spyOn(fsp, 'rm').mockRejectedValueOnce(errno('EIO'))
    vi.spyOn(await fileHandlePrototype(root) as { sync: () => Promise<void> }, 'sync').mockResolvedValueOnce().mockRejectedValueOnce(errno('EIO'))
    const meta = await store.putIfAbsent('k', textBytes('abc'))
    expect(meta).toMatchObject({ path: 'k', size: 3 })
    expect(rmSpy).toHaveBeenCalledTimes(1)
    expect(new TextDecoder().decode(await store.get('k'))).toBe('abc')
  })

  it('returns the meta of the written object', async () => {
    const store = new LocalStore(await tempRoot())
    expect(await store.putIfAbsent('a/b', textBytes('abcd'))).toMatchObject({ path: 'a/b', size: 4 })
  })
})

describe('LocalStore.put failures', () => {
  it('maps a failed rename to its code and leaves neither the key nor a temp file', async () => {
    const root = await tempRoot()
    vi.spyOn(fsp, 'rename').mockRejectedValueOnce(errno('EIO'))
    const err = await rejection(new LocalStore(root).put('d/a', textBytes('x')))
    expect(err).toMatchObject({ code: 'Unknown', context: { method: 'put', path: 'd/a', errno: 'EIO' } })
    expect(await readdir(join(root, 'd'))).toEqual([])
  })

  it('maps a failed temp write to its code and leaves no temp file', async () => {
    const root = await tempRoot()
    vi.spyOn(await fileHandlePrototype(root) as { sync: () => Promise<void> }, 'sync').mockRejectedValueOnce(errno('EIO'))
    const err = await rejection(new LocalStore(root).put('d/a', textBytes('x')))
    expect(err).toMatchObject({ code: 'Unknown', context: { method: 'put', path: 'd/a', errno: 'EIO' } })
    expect(await readdir(join(root, 'd'))).toEqual([])
  })

  it('maps a failed directory creation that is not a clash to its code, not InvalidPath', async () => {
    const root = await tempRoot()
    const err = await rejection(new LocalStore(root).put(`${LONG}/a`, textBytes('x')))
    expect(err).toMatchObject({ code: 'Unknown', context: { method: 'put', path: `${LONG}/a`, errno: 'ENAMETOOLONG' } })
    vi.spyOn(fsp, 'mkdir').mockRejectedValueOnce(errno('EACCES'))
    expect(await rejection(new LocalStore(root).put('d/a', textBytes('x')))).toMatchObject({ code: 'PermissionDenied', context: { errno: 'EACCES' } })
  })

  it('maps a parent or grandparent that is a file (EEXIST, ENOTDIR) to InvalidPath for put and putIfAbsent', async () => {
    const root = await tempRoot()
    await writeFile(join(root, 'f'), 'x')
    for (const method of ['put', 'putIfAbsent'] as const) {
      for (const key of ['f/a', 'f/a/b']) {
        const err = await rejection(new LocalStore(root)[method](key, textBytes('x')))
        expect(err).toMatchObject({ code: 'InvalidPath', context: { method, path: key } })
        expect((err as Error).message).toBe(
          `${method} '${key}': expected the key to be a file and its parents directories, found a file/directory clash on the local file system`,
        )
      }
    }
  })

  it.each(['EINVAL', 'EISDIR', 'EBADF'])('tolerates a directory that cannot be fsynced (%s)', async (code) => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    const proto = (await fileHandlePrototype(root)) as { sync: () => Promise<void> }
    vi.spyOn(proto, 'sync').mockResolvedValueOnce().mockRejectedValueOnce(errno(code))
    await expect(store.put('a', textBytes('x'))).resolves.toMatchObject({ path: 'a', size: 1 })
    expect(new TextDecoder().decode(await store.get('a'))).toBe('x')
  })

  it('fails a put whose directory fsync fails (EIO)', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    const proto = await fileHandlePrototype(root) as { sync: () => Promise<void> }
    vi.spyOn(proto, 'sync').mockResolvedValueOnce().mockRejectedValueOnce(errno('EIO'))
    expect(await rejection(store.put('b', textBytes('x')))).toMatchObject({ code: 'Unknown', context: { method: 'put', path: 'b', errno: 'EIO' } })
  })
})

describe('LocalStore.delete and list failures', () => {
  it('maps an unlink failure to its code', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    await store.put('a', textBytes('x'))
    vi.spyOn(fsp, 'unlink').mockRejectedValueOnce(errno('EACCES'))
    expect(await rejection(store.delete('a'))).toMatchObject({ code: 'PermissionDenied', context: { method: 'delete', path: 'a', errno: 'EACCES' } })
  })

  it('treats a key below a file (ENOTDIR) or a directory (EISDIR) as nothing to delete', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    await store.put('f', textBytes('x'))
    await mkdir(join(root, 'd'))
    await expect(store.delete('f/below')).resolves.toBeUndefined()
    vi.spyOn(fsp, 'unlink').mockRejectedValueOnce(errno('EISDIR'))
    await expect(store.delete('d')).resolves.toBeUndefined()
    expect((await readdir(root)).sort()).toEqual(['d', 'f'])
  })

  it('treats EPERM on a directory as nothing to delete, and EPERM on a file as PermissionDenied', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    await mkdir(join(root, 'dir'))
    await store.put('a', textBytes('x'))
    vi.spyOn(fsp, 'unlink').mockRejectedValueOnce(errno('EPERM'))
    await expect(store.delete('dir')).resolves.toBeUndefined()
    vi.spyOn(fsp, 'unlink').mockRejectedValueOnce(errno('EPERM'))
    expect(await rejection(store.delete('a'))).toMatchObject({ code: 'PermissionDenied', context: { method: 'delete', path: 'a' } })
  })

  it('maps a listing failure to its code with the prefix', async () => {
    const root = await tempRoot()
    const store = new LocalStore(root)
    await store.put('p/a', textBytes('x'))
    vi.spyOn(fsp, 'readdir').mockRejectedValueOnce(errno('EIO'))
    const err = await rejection((async () => {
      for await (const meta of store.list('p/')) void meta
    })())
    expect(err).toMatchObject({ code: 'Unknown', context: { method: 'list', path: 'p/', errno: 'EIO' } })
  })
})
