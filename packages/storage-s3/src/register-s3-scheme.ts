// Side effect: registers the `s3` URL scheme with @lake/storage's `openStore`, so that
// `openStore('s3://bucket/prefix', { s3: { ... } })` builds an S3Store. Imported by index.ts.

import { S3Client } from '@aws-sdk/client-s3'
import { StorageError, registerStoreScheme, type OpenStoreOptions } from '@lake/storage'
import { s3StoreFromUrl, type S3Credentials, type S3UrlOptions } from './create-s3-store.js'
import type { S3Store } from './s3-store.js'

const STRING_OPTIONS = ['endpoint', 'region'] as const
const NUMBER_OPTIONS = [
  'multipartThresholdBytes', 'partSizeBytes', 'listPageSize', 'connectionTimeoutMs', 'socketTimeoutMs',
] as const

/**
 * `openStore`'s factory for `s3://` URLs. `options.s3` may hold `client` (an `S3Client`), `endpoint`,
 * `region`, `credentials` and the numeric `S3StoreOptions`; unset ones come from the AWS environment.
 * @throws StorageError `InvalidConfig` when an option has the wrong type.
 */
export function openS3Store(url: URL, options: OpenStoreOptions): S3Store {
  return s3StoreFromUrl(url, s3Options(options.s3 ?? {}))
}

function s3Options(raw: Readonly<Record<string, unknown>>): S3UrlOptions {
  const picked: Record<string, unknown> = {}
  for (const name of STRING_OPTIONS) picked[name] = optional(raw, name, 'string')
  for (const name of NUMBER_OPTIONS) picked[name] = optional(raw, name, 'number')
  if (raw.client !== undefined && !(raw.client instanceof S3Client)) throw wrongType('client', 'an S3Client', raw.client)
  return { ...(picked as S3UrlOptions), client: raw.client, credentials: credentials(raw.credentials) }
}

function optional(raw: Readonly<Record<string, unknown>>, name: string, type: 'string' | 'number'): unknown {
  const value = raw[name]
  if (value !== undefined && typeof value !== type) throw wrongType(name, `a ${type}`, value)
  return value
}

function credentials(value: unknown): S3Credentials | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'object' && value !== null && 'accessKeyId' in value && 'secretAccessKey' in value) {
    const { accessKeyId, secretAccessKey } = value
    const sessionToken = 'sessionToken' in value ? value.sessionToken : undefined
    if (typeof accessKeyId === 'string' && typeof secretAccessKey === 'string') {
      return typeof sessionToken === 'string' ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey }
    }
  }
  throw wrongType('credentials', '{ accessKeyId, secretAccessKey, sessionToken? } strings', value)
}

function wrongType(name: string, expected: string, found: unknown): StorageError {
  return new StorageError('InvalidConfig', `invalid openStore option s3.${name}: expected ${expected}, found ${typeof found}`, {
    context: { method: 'openStore' },
  })
}

registerStoreScheme('s3', openS3Store)
