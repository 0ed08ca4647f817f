// Validation of object keys and list prefixes at every store's entry points. A valid key is a
// relative '/'-separated path with no empty, '.' or '..' segment, so it can never escape a store root.

import { StorageError } from './errors.js'

/** File names of a local store's in-flight temp files; such names are reserved and never listed. */
export const TEMP_FILE_PATTERN = /^\.lake-[0-9a-f]{16}\.tmp$/

/**
 * Checks that `key` names an object: non-empty, relative, '/'-separated, no empty/`.`/`..` segment,
 * no NUL character, and a last segment that is not a reserved temp-file name.
 * @throws StorageError `InvalidPath` naming the offending key and the rule it breaks.
 */
export function validateKey(key: string, method: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw invalid(method, String(key), 'expected a non-empty key')
  }
  checkSegments(key, key.split('/'), method)
  const last = key.slice(key.lastIndexOf('/') + 1)
  if (TEMP_FILE_PATTERN.test(last)) {
    throw invalid(method, key, `expected a name other than the reserved temp-file pattern ${TEMP_FILE_PATTERN}`)
  }
}

/**
 * Checks a list prefix: '' lists everything; otherwise every complete segment (before the last '/')
 * follows the key rules, and the trailing partial segment may be anything without NUL or '/'.
 * @throws StorageError `InvalidPath`.
 */
export function validatePrefix(prefix: string, method: string): void {
  if (typeof prefix !== 'string') throw invalid(method, String(prefix), 'expected a string prefix')
  if (prefix.length === 0) return
  const segments = prefix.split('/')
  segments.pop()
  checkSegments(prefix, segments, method)
  if (prefix.includes('\0')) throw invalid(method, prefix, 'expected no NUL character')
}

function checkSegments(key: string, segments: readonly string[], method: string): void {
  if (key.startsWith('/')) throw invalid(method, key, "expected a relative key, found a leading '/'")
  if (key.includes('\0')) throw invalid(method, key, 'expected no NUL character')
  for (const segment of segments) {
    if (segment === '') throw invalid(method, key, "expected no empty segment ('//' or a trailing '/')")
    if (segment === '.' || segment === '..') {
      throw invalid(method, key, `expected no '${segment}' segment`)
    }
  }
}

function invalid(method: string, key: string, expected: string): StorageError {
  return new StorageError('InvalidPath', `invalid key '${key}' for ${method}: ${expected}`, {
    context: { method, path: key },
  })
}

/**
 * Checks that a body to write is a `Uint8Array` (a `Buffer` is one).
 * @throws StorageError `InvalidArgument` naming the type found.
 */
export function validateBytes(bytes: unknown, method: string, path: string): void {
  if (!(bytes instanceof Uint8Array)) {
    const found = bytes === null ? 'null' : typeof bytes
    throw new StorageError('InvalidArgument', `${method} '${path}': expected Uint8Array bytes, found ${found}`, {
      context: { method, path },
    })
  }
}
