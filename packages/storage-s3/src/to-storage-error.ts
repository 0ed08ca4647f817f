// Maps whatever the AWS SDK (or the network under it) throws into one `StorageError`, once, at the
// S3 boundary. Callers branch on `code` and `retryable`; the SDK error is always kept as `cause`.

import { StorageError, type StorageErrorCode } from '@lake/storage'

/** Where the failing request went: named in messages so a misconfiguration is obvious. */
export interface S3ErrorContext {
  readonly bucket?: string
  readonly endpoint?: string
}

/** The fields of an SDK or Node error this mapping looks at. */
interface ErrorFacts {
  readonly name: string
  readonly status: number | undefined
  readonly errno: string | undefined
  readonly message: string
}

interface Mapped {
  readonly code: StorageErrorCode
  readonly retryable: boolean
  readonly reason: string
}

const CREDENTIAL_NAMES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden'])
const THROTTLE_NAMES = new Set([
  'SlowDown', 'Throttling', 'ThrottlingException', 'RequestThrottled', 'TooManyRequests', 'RequestLimitExceeded',
  'InternalError', 'ServiceUnavailable', 'OperationAborted', 'ConditionalRequestConflict',
])
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'])
const UNREACHABLE_ERRNOS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])
const DROPPED_ERRNOS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE'])

/**
 * Normalises an error from an S3 request into a `StorageError` with `context.method`/`context.path`.
 * A `StorageError` passes through. NoSuchKey/NotFound/404 → `NotFound`; NoSuchBucket → `InvalidConfig`
 * naming the bucket; 412 → `AlreadyExists`; 403, bad keys and no credentials at all → `PermissionDenied`; refused or
 * unresolvable endpoints → `Unavailable` naming the endpoint; 409 conditional conflicts (with or without
 * an S3 code), throttling, 5xx and dropped connections → `Unavailable` (retryable); timeouts → `Timeout` (retryable); aborts →
 * `Aborted`; 501 → `Unsupported`; anything else → `Unknown`.
 */
export function toStorageError(err: unknown, method: string, path: string, where: S3ErrorContext = {}): StorageError {
  if (err instanceof StorageError) return err
  const facts = errorFacts(err)
  const { code, retryable, reason } = classify(facts, where)
  const what = facts.status === undefined ? facts.name : `${facts.name} (HTTP ${facts.status})`
  // The SDK says 'UnknownError' when the server sent no message (HEAD responses, RGW's short bodies).
  const detail = facts.message === '' || facts.message === 'UnknownError' ? what : `${what}: ${facts.message}`
  return new StorageError(code, `${method} '${path}' failed: ${reason} [${detail}]`, {
    retryable,
    context: { method, path, bucket: where.bucket, endpoint: where.endpoint, status: facts.status, s3Code: facts.name },
    cause: err,
  })
}

function classify(facts: ErrorFacts, where: S3ErrorContext): Mapped {
  const { name, status, errno } = facts
  const endpoint = where.endpoint ?? 'the default AWS endpoint'
  if (name === 'AbortError') return { code: 'Aborted', retryable: false, reason: 'the request was aborted' }
  if (name === 'NoSuchBucket') {
    return { code: 'InvalidConfig', retryable: false, reason: `bucket '${where.bucket ?? '?'}' does not exist at ${endpoint}` }
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return { code: 'NotFound', retryable: false, reason: 'expected an object at the key, found none' }
  }
  if (name === 'PreconditionFailed' || status === 412) {
    return { code: 'AlreadyExists', retryable: false, reason: 'expected no object at the key, found one already' }
  }
  if (name === 'CredentialsProviderError') {
    const reason = 'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)'
    return { code: 'PermissionDenied', retryable: false, reason }
  }
  if (CREDENTIAL_NAMES.has(name) || status === 403) {
    const reason = `access denied to bucket '${where.bucket ?? '?'}' at ${endpoint}: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`
    return { code: 'PermissionDenied', retryable: false, reason }
  }
  if (errno !== undefined && UNREACHABLE_ERRNOS.has(errno)) {
    const reason = `cannot reach S3 endpoint ${endpoint} (${errno}): is the S3 endpoint right? (AWS_ENDPOINT_URL)`
    return { code: 'Unavailable', retryable: true, reason }
  }
  if (TIMEOUT_NAMES.has(name)) return { code: 'Timeout', retryable: true, reason: `no answer from ${endpoint} in time` }
  if (status === 501 || name === 'NotImplemented') {
    return { code: 'Unsupported', retryable: false, reason: `the S3 server at ${endpoint} does not implement this request` }
  }
  if (THROTTLE_NAMES.has(name) || status === 429 || (status !== undefined && status >= 500)) {
    return { code: 'Unavailable', retryable: true, reason: `the S3 server at ${endpoint} is busy or failing` }
  }
  if (status === 409) {
    // S3 answers 409 (ConditionalRequestConflict) to a conditional PUT racing another request on the
    // key and says to retry: putIfAbsent then reads the key back, so the loser sees AlreadyExists.
    return { code: 'Unavailable', retryable: true, reason: 'a concurrent request on the key conflicted with this one (HTTP 409); expected to retry it' }
  }
  if (errno !== undefined && DROPPED_ERRNOS.has(errno)) {
    return { code: 'Unavailable', retryable: true, reason: `the connection to ${endpoint} was dropped (${errno})` }
  }
  if (status === 400) return { code: 'InvalidArgument', retryable: false, reason: 'the S3 server rejected the request' }
  return { code: 'Unknown', retryable: false, reason: 'unexpected error from S3' }
}

function errorFacts(err: unknown): ErrorFacts {
  if (typeof err !== 'object' || err === null) {
    return { name: 'Error', status: undefined, errno: undefined, message: String(err) }
  }
  const name = stringField(err, 'name') ?? 'Error'
  const metadata = field(err, '$metadata')
  const statusValue = typeof metadata === 'object' && metadata !== null ? field(metadata, 'httpStatusCode') : undefined
  const status = typeof statusValue === 'number' ? statusValue : undefined
  return { name, status, errno: stringField(err, 'code'), message: stringField(err, 'message') ?? '' }
}

function field(value: object, key: string): unknown {
  return (value as Record<string, unknown>)[key]
}

function stringField(value: object, key: string): string | undefined {
  const found = field(value, key)
  return typeof found === 'string' ? found : undefined
}
