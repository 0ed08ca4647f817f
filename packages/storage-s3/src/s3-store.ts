// S3Store: the ObjectStore contract over an injected @aws-sdk/client-s3 `S3Client`, rooted at a bucket
// and an optional key prefix. Every SDK error is mapped once by `toStorageError`; retries follow our policy only.

import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3'
import {
  StorageError,
  isLakeError,
  throwIfAborted,
  validateBytes,
  validateKey,
  validatePrefix,
  type GetOptions,
  type ListOptions,
  type ObjectMeta,
  type ObjectStore,
  type SignalOptions,
} from '@lake/storage'
import { MIN_PART_BYTES, multipartUpload } from './multipart-upload.js'
import { putIfAbsent } from './put-if-absent.js'
import { etagField, putObjectOnce } from './put-object.js'
import { EMPTY_RANGE, isRangeNotSatisfiable, rangeHeader } from './range-header.js'
import { S3Requests } from './s3-requests.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './with-retry.js'

/** Objects larger than this go up as a multipart upload by default. */
export const DEFAULT_MULTIPART_THRESHOLD_BYTES = 16 * 1024 * 1024 // 16 MiB
/** Part size of a multipart upload by default. */
export const DEFAULT_PART_BYTES = 8 * 1024 * 1024 // 8 MiB
const DELETE_BATCH_KEYS = 1000 // DeleteObjects' limit per request

/** Options of an `S3Store`. */
export interface S3StoreOptions {
  /** The SDK client. Build it with `maxAttempts: 1` (as `createS3Store` does) so our retry policy is the only one. */
  readonly client: S3Client
  readonly bucket: string
  /** Key prefix of the store root inside the bucket, without leading or trailing '/' (default: bucket root). */
  readonly prefix?: string
  /** `put` of more bytes than this uses a multipart upload (default 16 MiB). */
  readonly multipartThresholdBytes?: number
  /** Part size of multipart uploads, at least 5 MiB (default 8 MiB). */
  readonly partSizeBytes?: number
  /** Overrides of the retry policy (default 5 attempts, full-jitter backoff from 50 ms). */
  readonly retry?: Partial<RetryPolicy>
  /** The endpoint URL, used only to name it in error messages (`createS3Store` fills it in). */
  readonly endpoint?: string
  /** Keys per `ListObjectsV2` page (default 1000, the S3 maximum). */
  readonly listPageSize?: number
}

/**
 * An `ObjectStore` over S3 or any S3-compatible server (Ceph RGW, MinIO). `putIfAbsent` is a
 * conditional PutObject (`If-None-Match: *`) that double-checks uncertain outcomes by reading back.
 */
export class S3Store implements ObjectStore {
  readonly url: string
  /** The SDK client requests go through (e.g. to `destroy()` it when done). */
  readonly client: S3Client
  readonly bucket: string
  /** The key prefix of the store root ('' for the bucket root). */
  readonly prefix: string
  readonly #requests: S3Requests
  readonly #root: string
  readonly #threshold: number
  readonly #partSize: number
  readonly #pageSize: number

  constructor(options: S3StoreOptions) {
    if (typeof options.bucket !== 'string' || options.bucket.length === 0) {
      throw configError(`invalid S3 bucket '${String(options.bucket)}': expected a non-empty bucket name`)
    }
    const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '')
    if (prefix !== '') validateKey(prefix, 'S3Store')
    this.client = options.client
    this.bucket = options.bucket
    this.prefix = prefix
    this.#root = prefix === '' ? '' : `${prefix}/`
    this.url = prefix === '' ? `s3://${options.bucket}` : `s3://${options.bucket}/${prefix}`
    this.#threshold = positive(options.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD_BYTES, 'multipartThresholdBytes', 1)
    this.#partSize = positive(options.partSizeBytes ?? DEFAULT_PART_BYTES, 'partSizeBytes', MIN_PART_BYTES)
    this.#pageSize = positive(options.listPageSize ?? 1000, 'listPageSize', 1)
    const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
    this.#requests = new S3Requests(options.client, options.bucket, policy, options.endpoint)
  }

  async get(path: string, options: GetOptions = {}): Promise<Uint8Array> {
    const { signal } = options
    throwIfAborted(signal, 'get')
    validateKey(path, 'get')
    const range = rangeHeader(options.range, path)
    if (range === EMPTY_RANGE) {
      await this.head(path, { signal })
      return new Uint8Array(0)
    }
    const { client, bucket } = this.#requests
    return this.#requests.retried('get', path, signal, async () => {
      try {
        const command = new GetObjectCommand({ Bucket: bucket, Key: this.#key(path), Range: range })
        const out = await client.send(command, { abortSignal: signal })
        return (await out.Body?.transformToByteArray()) ?? new Uint8Array(0)
      } catch (err) {
        // A range starting at or past the end: the object exists, the slice is empty (the contract's clamping).
        if (isRangeNotSatisfiable(err)) return new Uint8Array(0)
        throw err
      }
    })
  }

  async head(path: string, options: SignalOptions = {}): Promise<ObjectMeta> {
    throwIfAborted(options.signal, 'head')
    validateKey(path, 'head')
    const { client, bucket } = this.#requests
    const out = await this.#requests.retried('head', path, options.signal, () =>
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: this.#key(path) }), { abortSignal: options.signal }),
    )
    const lastModified = out.LastModified?.getTime() ?? 0
    return { path, size: out.ContentLength ?? 0, lastModified, ...etagField(out.ETag) }
  }

  async put(path: string, bytes: Uint8Array, options: SignalOptions = {}): Promise<ObjectMeta> {
    const { signal } = options
    this.#checkWrite(path, bytes, 'put', signal)
    const key = this.#key(path)
    if (bytes.length <= this.#threshold) {
      return this.#requests.retried('put', path, signal, () => putObjectOnce(this.#requests, key, path, bytes, false, signal))
    }
    await multipartUpload(this.#requests, key, path, bytes, this.#partSize, signal)
    return this.head(path, { signal })
  }

  async putIfAbsent(path: string, bytes: Uint8Array, options: SignalOptions = {}): Promise<ObjectMeta> {
    this.#checkWrite(path, bytes, 'putIfAbsent', options.signal)
    return putIfAbsent(this.#requests, this.#key(path), path, bytes, options.signal)
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncGenerator<ObjectMeta> {
    const { signal } = options
    throwIfAborted(signal, 'list')
    validatePrefix(prefix, 'list')
    const { client, bucket } = this.#requests
    const startAfter = options.startAfter === undefined ? undefined : this.#key(options.startAfter)
    let token: string | undefined
    do {
      const input = { Bucket: bucket, Prefix: this.#key(prefix), MaxKeys: this.#pageSize }
      const page = await this.#requests.retried('list', prefix, signal, () =>
        client.send(
          new ListObjectsV2Command({ ...input, ...(token === undefined ? { StartAfter: startAfter } : { ContinuationToken: token }) }),
          { abortSignal: signal },
        ),
      )
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined || !item.Key.startsWith(this.#root)) continue
        const lastModified = item.LastModified?.getTime() ?? 0
        yield { path: item.Key.slice(this.#root.length), size: item.Size ?? 0, lastModified, ...etagField(item.ETag) }
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined
      if (page.IsTruncated === true && token === undefined) {
        throw new StorageError('Unknown', `list '${prefix}': expected a NextContinuationToken on a truncated page, found none`, {
          context: { method: 'list', path: prefix, bucket },
        })
      }
    } while (token !== undefined)
  }

  async delete(path: string, options: SignalOptions = {}): Promise<void> {
    throwIfAborted(options.signal, 'delete')
    validateKey(path, 'delete')
    const { client, bucket } = this.#requests
    try {
      await this.#requests.retried('delete', path, options.signal, () =>
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: this.#key(path) }), { abortSignal: options.signal }),
      )
    } catch (err) {
      if (!isLakeError(err, 'NotFound')) throw err
    }
  }

  async deleteMany(paths: readonly string[], options: SignalOptions = {}): Promise<void> {
    throwIfAborted(options.signal, 'deleteMany')
    for (const path of paths) validateKey(path, 'deleteMany')
    for (let i = 0; i < paths.length; i += DELETE_BATCH_KEYS) {
      await this.#deleteBatch(paths.slice(i, i + DELETE_BATCH_KEYS), options.signal)
    }
  }

  async #deleteBatch(paths: readonly string[], signal: AbortSignal | undefined): Promise<void> {
    const { client, bucket } = this.#requests
    const first = paths[0] ?? ''
    await this.#requests.retried('deleteMany', first, signal, async () => {
      const Objects = paths.map((path) => ({ Key: this.#key(path) }))
      const out = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects, Quiet: true } }), {
        abortSignal: signal,
      })
      const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey')
      const failure = failed[0]
      if (failure === undefined) return
      const path = (failure.Key ?? '').slice(this.#root.length)
      const message = `${failed.length} of ${paths.length} keys were not deleted; first '${path}': ${failure.Message ?? ''}`
      throw this.#requests.toError(Object.assign(new Error(message), { name: failure.Code ?? 'Unknown' }), 'deleteMany', path)
    })
  }

  #key(path: string): string {
    return this.#root + path
  }

  #checkWrite(path: string, bytes: Uint8Array, method: string, signal: AbortSignal | undefined): void {
    throwIfAborted(signal, method)
    validateKey(path, method)
    validateBytes(bytes, method, path)
  }
}

function positive(value: number, name: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw configError(`invalid S3Store option ${name}: expected an integer >= ${min}, found ${String(value)}`)
  }
  return value
}

function configError(message: string): StorageError {
  return new StorageError('InvalidConfig', message, { context: { method: 'S3Store' } })
}
