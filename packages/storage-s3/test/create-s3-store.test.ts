// Unit tests of createS3Store / s3StoreFromUrl: URL parsing, client settings from options and env.

import { S3Client } from '@aws-sdk/client-s3'
import { openStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { createS3Store, parseS3Url, s3StoreFromUrl } from '../src/create-s3-store.js'
import { S3Store } from '../src/s3-store.js'
import '../src/register-s3-scheme.js'

const ENV = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9000', AWS_ACCESS_KEY_ID: 'ak', AWS_SECRET_ACCESS_KEY: 'sk' }

describe('parseS3Url', () => {
  it.each([
    ['s3://bucket', 'bucket', ''],
    ['s3://bucket/', 'bucket', ''],
    ['s3://bucket/tables/events/', 'bucket', 'tables/events'],
    ['s3://bucket/with%20space/x', 'bucket', 'with space/x'],
  ])('splits %s', (url, bucket, prefix) => {
    expect(parseS3Url(url)).toEqual({ bucket, prefix })
  })

  it.each(['s3:///no-bucket', 'file:///tmp/x', 's3://b/p?x=1', 'not a url'])('rejects %s with InvalidConfig', (url) => {
    expect(() => parseS3Url(url)).toThrow(expect.objectContaining({ code: 'InvalidConfig' }))
  })
})

describe('createS3Store', () => {
  it('builds a path-style client with one SDK attempt and checksums only when required', async () => {
    const store = createS3Store({ bucket: 'b', prefix: '/t/', env: ENV })
    expect(store.url).toBe('s3://b/t')
    const client = store.client
    expect(client.config.forcePathStyle).toBe(true)
    expect(await client.config.maxAttempts()).toBe(1)
    expect(await client.config.region()).toBe('us-east-1')
    expect(await client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED')
    expect(await client.config.responseChecksumValidation()).toBe('WHEN_REQUIRED')
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'ak', secretAccessKey: 'sk' })
  })

  it('prefers explicit options over the environment', async () => {
    const store = createS3Store({
      bucket: 'b',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:7480',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      env: ENV,
    })
    const client = store.client
    expect(await client.config.region()).toBe('eu-west-1')
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'x' })
    const endpoint = await client.config.endpoint?.()
    expect(endpoint?.port).toBe(7480)
  })

  it('rejects a malformed endpoint with InvalidConfig', () => {
    expect(() => createS3Store({ bucket: 'b', endpoint: 'ftp://host' })).toThrow(expect.objectContaining({ code: 'InvalidConfig' }))
    expect(() => createS3Store({ bucket: '' })).toThrow(expect.objectContaining({ code: 'InvalidConfig' }))
  })

  it('rejects a part size below the S3 minimum', () => {
    expect(() => createS3Store({ bucket: 'b', env: ENV, partSizeBytes: 1024 })).toThrow(
      expect.objectContaining({ code: 'InvalidConfig' }),
    )
  })
})

describe('openStore with s3://', () => {
  it('returns an S3Store rooted at the URL, using an injected client', async () => {
    const client = new S3Client({ region: 'us-east-1' })
    const store = await openStore('s3://bucket/some/prefix', { s3: { client } })
    expect(store).toBeInstanceOf(S3Store)
    expect(store.url).toBe('s3://bucket/some/prefix')
    expect(s3StoreFromUrl('s3://bucket', { client }).url).toBe('s3://bucket')
  })

  it('rejects an s3 option of the wrong type with InvalidConfig', async () => {
    await expect(openStore('s3://bucket', { s3: { region: 42 } })).rejects.toMatchObject({ code: 'InvalidConfig' })
  })
})
