// One single-request PutObject attempt (optionally conditional), returning the written object's
// metadata. Does not retry: the callers decide, because a conditional PUT must never be retried blindly.

import { PutObjectCommand } from '@aws-sdk/client-s3'
import type { ObjectMeta } from '@lake/storage'
import type { S3Requests } from './s3-requests.js'

/**
 * Sends one PutObject of `bytes` to `key` (with `If-None-Match: *` when `ifAbsent`); errors are mapped
 * by `toStorageError` (412 → `AlreadyExists`). `lastModified` is the server's `Date` response header,
 * the clock that stamps S3's LastModified (local clock if absent).
 */
export async function putObjectOnce(
  requests: S3Requests,
  key: string,
  path: string,
  bytes: Uint8Array,
  ifAbsent: boolean,
  signal: AbortSignal | undefined,
): Promise<ObjectMeta> {
  const method = ifAbsent ? 'putIfAbsent' : 'put'
  const command = new PutObjectCommand({
    Bucket: requests.bucket,
    Key: key,
    Body: bytes,
    ContentLength: bytes.length,
    ...(ifAbsent ? { IfNoneMatch: '*' } : {}),
  })
  let serverDate: number | undefined
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args)
      serverDate = dateHeader(result.response)
      return result
    },
    { step: 'deserialize', name: 'lakeServerDate' },
  )
  const out = await requests.once(method, path, () => requests.client.send(command, { abortSignal: signal }))
  return { path, size: bytes.length, lastModified: serverDate ?? Date.now(), ...etagField(out.ETag) }
}

/** `{ etag }` without the quotes S3 puts around it, or `{}` when absent or empty (RGW multipart). */
export function etagField(etag: string | undefined): { readonly etag?: string } {
  const bare = etag?.replace(/^"|"$/g, '')
  return bare === undefined || bare === '' ? {} : { etag: bare }
}

function dateHeader(response: unknown): number | undefined {
  if (typeof response !== 'object' || response === null || !('headers' in response)) return undefined
  const { headers } = response
  if (typeof headers !== 'object' || headers === null || !('date' in headers)) return undefined
  const parsed = typeof headers.date === 'string' ? Date.parse(headers.date) : Number.NaN
  return Number.isFinite(parsed) ? parsed : undefined
}
