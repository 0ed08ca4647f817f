// The S3 store's request runner: one attempt with errors mapped by `toStorageError`, or the same under
// the retry policy. Knows nothing about individual operations; must not retry conditional writes itself.

import type { S3Client } from '@aws-sdk/client-s3'
import type { StorageError } from '@lake/storage'
import { toStorageError, type S3ErrorContext } from './to-storage-error.js'
import { withRetry, type RetryPolicy } from './with-retry.js'

/** Shared state of one `S3Store` for the operation helpers (client, bucket, retry policy). */
export class S3Requests {
  readonly client: S3Client
  readonly bucket: string
  readonly policy: RetryPolicy
  readonly where: S3ErrorContext

  constructor(client: S3Client, bucket: string, policy: RetryPolicy, endpoint: string | undefined) {
    this.client = client
    this.bucket = bucket
    this.policy = policy
    this.where = { bucket, endpoint }
  }

  /** Runs `run` once; anything it throws is rethrown as a `StorageError`. */
  async once<T>(method: string, path: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      throw this.toError(err, method, path)
    }
  }

  /** Runs `run` under the retry policy; only for idempotent requests. */
  retried<T>(method: string, path: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    return withRetry(method, this.policy, signal, () => this.once(method, path, run))
  }

  /** Maps an error from this store's bucket and endpoint. */
  toError(err: unknown, method: string, path: string): StorageError {
    return toStorageError(err, method, path, this.where)
  }
}
