// LocalStore: the ObjectStore contract over a directory of the local file system.
// Writes go through a temp file in the target directory, so no reader ever sees a partial object.

import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { resolveByteRange } from './byte-range.js'
import { StorageError, throwIfAborted } from './errors.js'
import { makeDirs } from './make-dirs.js'
import { mapConcurrent } from './map-concurrent.js'
import { removeStaleTempFiles } from './local-stale-temp.js'
import { metaFromStat, walkSorted } from './local-walk.js'
import type { GetOptions, ListOptions, ObjectMeta, ObjectStore, SignalOptions } from './object-store.js'
import { errnoOf, toStorageError } from './to-storage-error.js'
import { validateBytes, validateKey, validatePrefix } from './validate-key.js'

const DELETE_CONCURRENCY = 8 // parallel unlink calls in deleteMany

/**
 * An `ObjectStore` rooted at a local directory. Key `a/b.json` is the file `<root>/a/b.json`;
 * parent directories are created on write and never removed. `put` is write-temp + fsync + rename;
 * `putIfAbsent` is write-temp + fsync + `link` (atomic across processes; the file system must
 * support hard links). Keys that could escape the root are rejected with `InvalidPath`.
 */
export class LocalStore implements ObjectStore {
  readonly url: string
  readonly #root: string

  /** @param rootDir the store root; resolved against the working directory, created on first write. */
  constructor(rootDir: string) {
    this.#root = resolve(rootDir)
    this.url = pathToFileURL(this.#root).href
  }

  /** The absolute root directory. */
  get root(): string {
    return this.#root
  }

  async get(path: string, options: GetOptions = {}): Promise<Uint8Array> {
    const file = this.#file(path, 'get', options.signal)
    try {
      const handle = await fs.open(file, 'r')
      try {
        const stat = await handle.stat()
        // Stryker disable next-line ConditionalExpression: without it, reading a directory fails with EISDIR, the same NotFound
        if (!stat.isFile()) throw notAnObject('get', path)
        const { start, end } = resolveByteRange(options.range, stat.size, 'get', path)
        return await readFully(handle, start, end - start)
      } finally {
        await handle.close()
      }
    } catch (err) {
      throw toReadError(err, 'get', path)
    }
  }

  async head(path: string, options: SignalOptions = {}): Promise<ObjectMeta> {
    const file = this.#file(path, 'head', options.signal)
    try {
      const stat = await fs.stat(file)
      if (!stat.isFile()) throw notAnObject('head', path)
      return metaFromStat(path, stat)
    } catch (err) {
      throw toReadError(err, 'head', path)
    }
  }

  async put(path: string, bytes: Uint8Array, options: SignalOptions = {}): Promise<ObjectMeta> {
    const file = this.#file(path, 'put', options.signal)
    try {
      const { tmp, meta } = await this.#writeTemp(file, path, bytes, 'put')
      try {
        await fs.rename(tmp, file)
        await syncDirectory(dirname(file))
      } catch (err) {
        await fs.rm(tmp, { force: true })
        throw errnoOf(err) === 'EISDIR' ? directoryConflict('put', path, err) : err
      }
      return meta
    } catch (err) {
      throw toStorageError(err, 'put', path)
    }
  }

  async putIfAbsent(path: string, bytes: Uint8Array, options: SignalOptions = {}): Promise<ObjectMeta> {
    const file = this.#file(path, 'putIfAbsent', options.signal)
    try {
      const { tmp, meta } = await this.#writeTemp(file, path, bytes, 'putIfAbsent')
      try {
        await fs.link(tmp, file)
      } catch (err) {
        // Stryker disable next-line ObjectLiteral,BooleanLiteral: the temp file exists here, so `force` changes nothing
        await fs.rm(tmp, { force: true })
        throw err
      }
      // The link made the object visible: from here the write has happened, so a failure to tidy
      // up must not be reported as a failed put (a caller retrying it would write twice).
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: the temp file exists here, so `force` changes nothing
      await fs.rm(tmp, { force: true }).catch(() => undefined)
      await syncDirectory(dirname(file)).catch(() => undefined)
      return meta
    } catch (err) {
      throw await this.#toPutIfAbsentError(err, file, path)
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncGenerator<ObjectMeta> {
    throwIfAborted(options.signal, 'list')
    validatePrefix(prefix, 'list')
    const slash = prefix.lastIndexOf('/')
    const keyPrefix = prefix.slice(0, slash + 1)
    // Stryker disable next-line ConditionalExpression: encoding undefined gives empty bytes, below every key, as no bound
    const startAfter = options.startAfter === undefined ? undefined : new TextEncoder().encode(options.startAfter)
    const dir = join(this.#root, ...keyPrefix.split('/'))
    try {
      yield* walkSorted({ dir, keyPrefix, namePrefix: prefix.slice(slash + 1), startAfter, signal: options.signal })
    } catch (err) {
      throw toStorageError(err, 'list', prefix)
    }
  }

  async delete(path: string, options: SignalOptions = {}): Promise<void> {
    const file = this.#file(path, 'delete', options.signal)
    try {
      await fs.unlink(file)
    } catch (err) {
      // Missing, or a directory (which is not an object): nothing to delete, by contract.
      const errno = errnoOf(err)
      if (errno === 'ENOENT' || errno === 'ENOTDIR' || errno === 'EISDIR') return
      if (errno === 'EPERM' && (await isDirectory(file))) return
      throw toStorageError(err, 'delete', path)
    }
  }

  async deleteMany(paths: readonly string[], options: SignalOptions = {}): Promise<void> {
    throwIfAborted(options.signal, 'deleteMany')
    for (const path of paths) validateKey(path, 'deleteMany')
    await mapConcurrent(paths, DELETE_CONCURRENCY, (path) => this.delete(path, options))
  }

  /** Removes `.lake-*.tmp` files left by killed writes, last modified before `before` (see `ObjectStore.removeStaleTemp`). */
  async removeStaleTemp(before: number, options: SignalOptions & { readonly dryRun?: boolean } = {}): Promise<ObjectMeta[]> {
    throwIfAborted(options.signal, 'removeStaleTemp')
    return removeStaleTempFiles(this.#root, before, options)
  }

  /** Validates the key and maps it to its absolute file path. */
  #file(path: string, method: string, signal: AbortSignal | undefined): string {
    throwIfAborted(signal, method)
    validateKey(path, method)
    return join(this.#root, ...path.split('/'))
  }

  /** Writes `bytes` to a fresh temp file next to `file`, fsyncs it and returns its name and meta. */
  async #writeTemp(
    file: string,
    path: string,
    bytes: Uint8Array,
    method: string,
  ): Promise<{ tmp: string; meta: ObjectMeta }> {
    validateBytes(bytes, method, path)
    const dir = dirname(file)
    await makeParents(dir, method, path)
    const tmp = join(dir, `.lake-${randomBytes(8).toString('hex')}.tmp`)
    const handle = await fs.open(tmp, 'wx')
    let isWritten = false
    try {
      await handle.writeFile(bytes)
      await handle.sync()
      const meta = metaFromStat(path, await handle.stat())
      isWritten = true
      return { tmp, meta }
    } finally {
      await handle.close()
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: the temp file exists here, so `force` changes nothing
      if (!isWritten) await fs.rm(tmp, { force: true })
    }
  }

  async #toPutIfAbsentError(err: unknown, file: string, path: string): Promise<StorageError> {
    if (errnoOf(err) !== 'EEXIST') return toStorageError(err, 'putIfAbsent', path)
    if (await isDirectory(file)) return directoryConflict('putIfAbsent', path, err)
    return new StorageError('AlreadyExists', `putIfAbsent '${path}': expected no object, found one already`, {
      context: { method: 'putIfAbsent', path },
      cause: err,
    })
  }
}

async function readFully(handle: fs.FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length)
  let filled = 0
  // Stryker disable next-line EqualityOperator: at filled === length one more read of 0 bytes returns the same array
  while (filled < length) {
    const { bytesRead } = await handle.read(out, filled, length - filled, position + filled)
    if (bytesRead === 0) return out.subarray(0, filled) // truncated under us; never happens with our writes
    filled += bytesRead
  }
  return out
}

async function makeParents(dir: string, method: string, path: string): Promise<void> {
  try {
    await makeDirs(dir)
  } catch (err) {
    const errno = errnoOf(err)
    if (errno === 'EEXIST' || errno === 'ENOTDIR') throw directoryConflict(method, path, err)
    throw err
  }
}

/** Makes a new directory entry durable (a commit must survive a crash once acknowledged). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } catch (err) {
    // Some file systems cannot fsync a directory; the rename/link itself is still atomic.
    const errno = errnoOf(err)
    if (errno !== 'EINVAL' && errno !== 'EISDIR' && errno !== 'EBADF') throw err
  } finally {
    await handle.close()
  }
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await fs.lstat(file)).isDirectory()
  } catch {
    return false
  }
}

function toReadError(err: unknown, method: string, path: string): StorageError {
  const errno = errnoOf(err)
  if (errno === 'ENOTDIR' || errno === 'EISDIR') return notAnObject(method, path, err)
  return toStorageError(err, method, path)
}

function notAnObject(method: string, path: string, cause?: unknown): StorageError {
  return new StorageError('NotFound', `${method} '${path}': expected an object, found none`, {
    context: { method, path },
    cause,
  })
}

/** A key that is a directory, or whose parent is a file: a local file system cannot hold both. */
function directoryConflict(method: string, path: string, cause: unknown): StorageError {
  return new StorageError(
    'InvalidPath',
    `${method} '${path}': expected the key to be a file and its parents directories, ` +
      'found a file/directory clash on the local file system',
    { context: { method, path }, cause },
  )
}
