// Shared by the LocalStore error tests: temp roots removed after the file, injected errno errors,
// and the rejection of a promise that must fail.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, vi } from 'vitest'

/**
 * Registers the file's hooks (mocks restored after each test, roots removed after the file) and
 * returns a function that makes a fresh temp root named `lake-storage-<name>-*`.
 */
export function faultTestRoots(name: string): () => Promise<string> {
  const roots: string[] = []
  afterEach(() => {
    vi.restoreAllMocks()
  })
  afterAll(async () => {
    await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })))
  })
  return async () => {
    const root = await mkdtemp(join(tmpdir(), `lake-storage-${name}-`))
    roots.push(root)
    return root
  }
}

/** An error shaped like one node:fs raises with `code`. */
export function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code })
}

/** What `promise` rejects with; a success fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a StorageError, found success')
    },
    (err: unknown) => err,
  )
}
