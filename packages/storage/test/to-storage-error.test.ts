// Tests of toStorageError: Node errno codes map to StorageError codes once, keeping the cause.

import { describe, expect, it } from 'vitest'
import { StorageError, toStorageError } from '../src/index.js'

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: something happened`), { code })
}

describe('toStorageError', () => {
  it.each([
    ['ENOENT', 'NotFound', false],
    ['EEXIST', 'AlreadyExists', false],
    ['EACCES', 'PermissionDenied', false],
    ['EPERM', 'PermissionDenied', false],
    ['EMFILE', 'Unavailable', true],
    ['EAGAIN', 'Unavailable', true],
    ['EBUSY', 'Unavailable', true],
    ['EIO', 'Unknown', false],
  ])('maps %s to %s (retryable: %s) with method, path and cause', (errno, code, retryable) => {
    const cause = systemError(errno)
    const err = toStorageError(cause, 'get', 'a/b.json')
    expect(err).toBeInstanceOf(StorageError)
    expect(err).toMatchObject({ code, retryable, context: { method: 'get', path: 'a/b.json', errno } })
    expect(err.cause).toBe(cause)
    expect(err.message).toContain("'a/b.json'")
  })

  it('passes a StorageError through unchanged', () => {
    const original = new StorageError('Timeout', 'slow', { retryable: true })
    expect(toStorageError(original, 'put', 'k')).toBe(original)
  })

  it('maps values that are not errors to Unknown', () => {
    expect(toStorageError('weird', 'list', '')).toMatchObject({ code: 'Unknown', cause: 'weird' })
  })
})
