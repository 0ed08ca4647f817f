// putIfAbsent over S3: PutObject with If-None-Match: * (412 = lost the race). A PUT whose response was
// lost may have succeeded, so after such an error the object is read back before anything is reported.

import { GetObjectCommand } from '@aws-sdk/client-s3'
import { StorageError, isLakeError, type ObjectMeta } from '@lake/storage'
import { etagField, putObjectOnce } from './put-object.js'
import type { S3Requests } from './s3-requests.js'
import { withRetry } from './with-retry.js'

/**
 * Writes `bytes` to `key` only if no object is there. Retries retryable failures, but after any
 * attempt whose outcome is unknown (timeout, reset, 5xx, 409 conflict) it reads the key back first:
 * our bytes there → success; other bytes → `AlreadyExists`; nothing → the PUT is retried. A later 412
 * is likewise checked against the stored bytes, since it may be our own earlier attempt.
 * Identity is by content: a concurrent writer with byte-identical content is indistinguishable.
 * @throws StorageError `AlreadyExists` when another writer's object is at the key.
 */
export async function putIfAbsent(
  requests: S3Requests,
  key: string,
  path: string,
  bytes: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<ObjectMeta> {
  let outcomeUnknown = false
  return withRetry('putIfAbsent', requests.policy, signal, async () => {
    try {
      return await putObjectOnce(requests, key, path, bytes, true, signal)
    } catch (err) {
      if (!isLakeError(err)) throw err
      if (err.code === 'AlreadyExists' && !outcomeUnknown) throw err
      if (err.code !== 'AlreadyExists' && !err.retryable) throw err
      outcomeUnknown = true
      const found = await readBack(requests, key, path, bytes, signal)
      if (found !== 'absent' && found !== 'unreadable') return found
      if (err.retryable) throw err
      const seen = found === 'absent' ? 'the key is empty again' : 'the key could not be read back'
      throw new StorageError('Unavailable', `putIfAbsent '${path}': outcome unknown: got 412 but ${seen}`, {
        retryable: true,
        context: { method: 'putIfAbsent', path, bucket: requests.bucket },
        cause: err,
      })
    }
  })
}

type ReadBack = ObjectMeta | 'absent' | 'unreadable'

/**
 * Reads the key once after an uncertain conditional PUT. Returns our object's metadata when the
 * stored bytes equal ours, 'absent' when the key is empty, 'unreadable' on a transient read failure.
 * @throws StorageError `AlreadyExists` when different bytes are stored; any non-transient read error.
 */
async function readBack(
  requests: S3Requests,
  key: string,
  path: string,
  bytes: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<ReadBack> {
  try {
    const { stored, meta } = await requests.once('putIfAbsent', path, async () => {
      const out = await requests.client.send(
        new GetObjectCommand({ Bucket: requests.bucket, Key: key }),
        { abortSignal: signal },
      )
      const body = (await out.Body?.transformToByteArray()) ?? new Uint8Array(0)
      const lastModified = out.LastModified?.getTime() ?? Date.now()
      return { stored: body, meta: { path, size: body.length, lastModified, ...etagField(out.ETag) } }
    })
    if (sameBytes(stored, bytes)) return meta
  } catch (err) {
    if (isLakeError(err, 'NotFound')) return 'absent'
    if (isLakeError(err) && err.retryable) return 'unreadable'
    throw err
  }
  throw new StorageError(
    'AlreadyExists',
    `putIfAbsent '${path}': expected no object, found one with different bytes (another writer won; ` +
      'our own attempt, whose response was lost, did not)',
    { context: { method: 'putIfAbsent', path, bucket: requests.bucket } },
  )
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0
}
