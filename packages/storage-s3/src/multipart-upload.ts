// Multipart upload of one in-memory object: create, upload parts (each retried), complete, and abort
// the upload on any failure so no orphan parts are left billed. Readers see the object only once complete.

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3'
import { StorageError, isLakeError } from '@lake/storage'
import type { S3Requests } from './s3-requests.js'

/** S3's smallest allowed part (all parts but the last), in bytes. */
export const MIN_PART_BYTES = 5 * 1024 * 1024 // 5 MiB
const MAX_PARTS = 10_000

/**
 * Uploads `bytes` to `key` in parts of `partSize` bytes (raised if needed to stay within 10,000
 * parts), one part at a time. On failure the upload is aborted (best effort) and the error thrown.
 */
export async function multipartUpload(
  requests: S3Requests,
  key: string,
  path: string,
  bytes: Uint8Array,
  partSize: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { client, bucket } = requests
  const created = await requests.retried('put', path, signal, () =>
    client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }),
  )
  const uploadId = created.UploadId
  if (uploadId === undefined) {
    throw new StorageError('Unknown', `put '${path}': expected an UploadId from CreateMultipartUpload, found none`, {
      context: { method: 'put', path },
    })
  }
  try {
    const parts = await uploadParts(requests, key, path, uploadId, bytes, partSize, signal)
    await complete(requests, key, path, uploadId, parts, signal)
  } catch (err) {
    await abortUpload(requests, key, uploadId)
    throw err
  }
}

async function uploadParts(
  requests: S3Requests,
  key: string,
  path: string,
  uploadId: string,
  bytes: Uint8Array,
  partSize: number,
  signal: AbortSignal | undefined,
): Promise<CompletedPart[]> {
  const size = Math.max(partSize, Math.ceil(bytes.length / MAX_PARTS))
  const parts: CompletedPart[] = []
  for (let offset = 0, partNumber = 1; offset < bytes.length; offset += size, partNumber++) {
    const body = bytes.subarray(offset, Math.min(bytes.length, offset + size))
    const input = { Bucket: requests.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body }
    const out = await requests.retried('put', path, signal, () =>
      requests.client.send(new UploadPartCommand({ ...input, ContentLength: body.length }), { abortSignal: signal }),
    )
    parts.push({ PartNumber: partNumber, ETag: out.ETag })
  }
  return parts
}

/** Completes the upload. A retry after a lost response may find the upload gone (`NotFound`): done. */
async function complete(
  requests: S3Requests,
  key: string,
  path: string,
  uploadId: string,
  parts: CompletedPart[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const input = { Bucket: requests.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }
  let attempts = 0
  try {
    await requests.retried('put', path, signal, () => {
      attempts++
      return requests.client.send(new CompleteMultipartUploadCommand(input), { abortSignal: signal })
    })
  } catch (err) {
    // NoSuchUpload after an attempt whose response was lost: that attempt completed the upload.
    if (!(attempts > 1 && isLakeError(err, 'NotFound'))) throw err
  }
}

async function abortUpload(requests: S3Requests, key: string, uploadId: string): Promise<void> {
  const input = { Bucket: requests.bucket, Key: key, UploadId: uploadId }
  try {
    // No abort signal: the caller's signal may be what failed the upload, and the parts must still go.
    await requests.client.send(new AbortMultipartUploadCommand(input))
  } catch {
    // Best effort: the bucket's lifecycle rule for incomplete uploads is the backstop.
  }
}
