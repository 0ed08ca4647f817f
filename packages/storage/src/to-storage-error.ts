// Maps Node.js file-system errors to `StorageError` once, at the local store's boundary.
// Callers branch on the resulting `code`; the original error is kept as `cause`.

import { LakeError, StorageError, type StorageErrorCode } from './errors.js'

const CODE_BY_ERRNO: Readonly<Record<string, StorageErrorCode>> = {
  ENOENT: 'NotFound',
  EEXIST: 'AlreadyExists',
  EACCES: 'PermissionDenied',
  EPERM: 'PermissionDenied',
  EROFS: 'PermissionDenied',
  EMFILE: 'Unavailable',
  ENFILE: 'Unavailable',
  EAGAIN: 'Unavailable',
  EBUSY: 'Unavailable',
  ETIMEDOUT: 'Timeout',
  ABORT_ERR: 'Aborted',
}

const RETRYABLE: ReadonlySet<StorageErrorCode> = new Set(['Unavailable', 'Timeout'])

/**
 * Normalises anything thrown by a store operation into a `StorageError` with `context.method` and
 * `context.path`. A `StorageError` passes through unchanged; Node errno codes map as
 * ENOENT→NotFound, EEXIST→AlreadyExists, EACCES/EPERM/EROFS→PermissionDenied,
 * EMFILE/ENFILE/EAGAIN/EBUSY→Unavailable (retryable), ETIMEDOUT→Timeout (retryable), else Unknown.
 */
export function toStorageError(err: unknown, method: string, path: string): StorageError {
  if (err instanceof StorageError) return err
  const errno = errnoOf(err)
  const code = (errno === undefined ? undefined : CODE_BY_ERRNO[errno]) ?? 'Unknown'
  const detail = err instanceof Error ? err.message : String(err)
  return new StorageError(code, `${method} '${path}' failed with ${code}: ${detail}`, {
    retryable: RETRYABLE.has(code),
    context: { method, path, errno },
    cause: err,
  })
}

/** The `code` string of a Node.js system error (`'ENOENT'`, ...), if `err` has one. */
export function errnoOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || err instanceof LakeError || !('code' in err)) return undefined
  const { code } = err
  return typeof code === 'string' ? code : undefined
}
