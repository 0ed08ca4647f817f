// Builds an S3Store from explicit options or the standard AWS environment (AWS_ENDPOINT_URL, AWS_REGION,
// credentials), with the client settings S3-compatible servers need. Reads env only here, never in the store.

import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import { StorageError } from '@lake/storage'
import { S3Store, type S3StoreOptions } from './s3-store.js'

/** Static credentials, as the SDK takes them. */
export interface S3Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

/** Options of `createS3Store`: where the store is, how to reach S3, and `S3StoreOptions` tuning. */
export interface CreateS3StoreOptions extends Omit<S3StoreOptions, 'client' | 'endpoint'> {
  /** Use this client as is (the connection options below are then ignored). */
  readonly client?: S3Client
  /** Endpoint URL of an S3-compatible server; enables path-style addressing (default `AWS_ENDPOINT_URL`). */
  readonly endpoint?: string
  /** Default `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `us-east-1`. */
  readonly region?: string
  /** Default `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, else the SDK's provider chain. */
  readonly credentials?: S3Credentials
  /** Abandon a connection attempt after this many milliseconds (default 10 s). */
  readonly connectionTimeoutMs?: number
  /** Abandon a request whose socket is idle this long, in milliseconds (default 60 s). */
  readonly socketTimeoutMs?: number
  /** Where to read `AWS_*` settings (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** The `s3://` options `s3StoreFromUrl` takes: everything but the location, which the URL gives. */
export type S3UrlOptions = Omit<CreateS3StoreOptions, 'bucket' | 'prefix'>

const DEFAULT_REGION = 'us-east-1'
const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000 // ms
const DEFAULT_SOCKET_TIMEOUT_MS = 60_000 // ms

/**
 * Creates an `S3Store` for `options.bucket`/`options.prefix`. Unless a `client` is given, builds one
 * with `maxAttempts: 1` (the store retries), `forcePathStyle` when an endpoint is set, and checksums
 * only when required (newer SDK defaults break Ceph RGW and others).
 * @throws StorageError `InvalidConfig` for a malformed endpoint or bucket.
 */
export function createS3Store(options: CreateS3StoreOptions): S3Store {
  const env = options.env ?? process.env
  const endpoint = nonEmpty(options.endpoint) ?? nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL)
  if (endpoint !== undefined) checkEndpoint(endpoint)
  const client = options.client ?? new S3Client(clientConfig(options, env, endpoint))
  return new S3Store({ ...options, client, endpoint })
}

/**
 * Creates an `S3Store` for `s3://bucket/prefix` (the prefix may be empty or percent-encoded).
 * @throws StorageError `InvalidConfig` when the URL is not `s3://bucket[/prefix]`.
 */
export function s3StoreFromUrl(url: string | URL, options: S3UrlOptions = {}): S3Store {
  const { bucket, prefix } = parseS3Url(url)
  return createS3Store({ ...options, bucket, prefix })
}

/** Splits `s3://bucket/some/prefix/` into `{ bucket: 'bucket', prefix: 'some/prefix' }`. */
export function parseS3Url(url: string | URL): { readonly bucket: string; readonly prefix: string } {
  let parsed: URL
  try {
    parsed = typeof url === 'string' ? new URL(url) : url
  } catch (cause) {
    throw invalidUrl(String(url), cause)
  }
  if (parsed.protocol !== 's3:' || parsed.hostname === '' || parsed.search !== '' || parsed.hash !== '') {
    throw invalidUrl(parsed.href)
  }
  const segments = parsed.pathname.split('/').filter((segment) => segment !== '')
  try {
    return { bucket: decodeURIComponent(parsed.hostname), prefix: segments.map(decodeURIComponent).join('/') }
  } catch (cause) {
    throw invalidUrl(parsed.href, cause)
  }
}

function clientConfig(
  options: CreateS3StoreOptions,
  env: Readonly<Record<string, string | undefined>>,
  endpoint: string | undefined,
): S3ClientConfig {
  const region = nonEmpty(options.region) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? DEFAULT_REGION
  const credentials = options.credentials ?? credentialsFromEnv(env)
  return {
    region,
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
    ...(credentials === undefined ? {} : { credentials }),
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      socketTimeout: options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
    },
  }
}

function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): S3Credentials | undefined {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID)
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY)
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN)
  return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) }
}

function checkEndpoint(endpoint: string): void {
  let protocol: string
  try {
    protocol = new URL(endpoint).protocol
  } catch (cause) {
    throw configError(`invalid S3 endpoint '${endpoint}': expected a URL like http://127.0.0.1:9000 (AWS_ENDPOINT_URL)`, cause)
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw configError(`invalid S3 endpoint '${endpoint}': expected an http:// or https:// URL, found '${protocol}'`)
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

/** A malformed s3:// URL: `context.uri` names it (callers tell a bad argument from a bad environment). */
function invalidUrl(url: string, cause?: unknown): StorageError {
  return new StorageError('InvalidConfig', `invalid S3 URL '${url}': expected s3://bucket or s3://bucket/prefix`, {
    context: { method: 'createS3Store', uri: url },
    cause,
  })
}

function configError(message: string, cause?: unknown): StorageError {
  return new StorageError('InvalidConfig', message, { context: { method: 'createS3Store' }, cause })
}
