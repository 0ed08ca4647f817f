// Integration tests of S3Store against a real S3-compatible server (Ceph RGW in CI): the shared
// ObjectStore contract, then S3-specific behaviour (credentials, unreachable endpoint, multipart).
// putIfAbsent's handling of lost responses: put-if-absent.int.test.ts.

import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3'
import { openStore } from '@lake/storage'
import { describeObjectStoreContract, patternBytes, sameBytes, textBytes } from '@lake/storage/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import '../src/register-s3-scheme.js'
import type { S3Store } from '../src/s3-store.js'
import { injectFaults } from './inject-faults.js'
import { deletePrefix, describeWithS3, ensureBucket, makeTestStore, uniqueRunPrefix, type S3TestEnv } from './s3-test-env.js'

const MULTIPART_BYTES = 20 * 1024 * 1024 + 12_345 // ~20 MiB: 3 parts of 8 MiB
// HEAD's Last-Modified has 1-second resolution; the server is another clock.
const LAST_MODIFIED_RESOLUTION_MS = 2_000

describeWithS3('S3Store against a real S3 server', (env) => {
  const runPrefix = uniqueRunPrefix('lake-test-s3store')
  let storeCount = 0
  const nextStore = (overrides = {}): S3Store => makeTestStore(env, `${runPrefix}/${storeCount++}`, overrides)

  beforeAll(() => ensureBucket(env))
  afterAll(() => deletePrefix(env, runPrefix), 120_000)

  describeObjectStoreContract('S3Store', () => nextStore(), { lastModifiedResolutionMs: LAST_MODIFIED_RESOLUTION_MS })

  describe('S3Store errors', () => {
    it('rejects wrong credentials with PermissionDenied naming the variables to check', async () => {
      const store = nextStore({ credentials: { accessKeyId: 'not-a-key', secretAccessKey: 'wrong' } })
      const err = await store.get('any.json').catch((e: unknown) => e)
      expect(err).toMatchObject({ name: 'StorageError', code: 'PermissionDenied', retryable: false })
      expect((err as Error).message).toContain('check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY')
    })

    it('rejects an unreachable endpoint with Unavailable naming the endpoint', async () => {
      const store = nextStore({ endpoint: 'http://127.0.0.1:1', retry: { maxAttempts: 2, baseDelayMs: 1 } })
      const err = await store.head('any.json').catch((e: unknown) => e)
      expect(err).toMatchObject({ name: 'StorageError', code: 'Unavailable', retryable: true })
      expect((err as Error).message).toContain('http://127.0.0.1:1')
      expect((err as Error).message).toContain('AWS_ENDPOINT_URL')
    })

    it('rejects a missing bucket with InvalidConfig naming the bucket', async () => {
      const store = makeTestStore({ ...env, bucket: `lake-missing-${storeCount++}` }, 'p')
      await expect(store.get('x.json')).rejects.toMatchObject({ code: 'InvalidConfig', message: expect.stringContaining('lake-missing-') })
    })
  })

  describe('multipart put', () => {
    it('round-trips an object above the multipart threshold', async () => {
      const store = nextStore()
      const body = patternBytes(MULTIPART_BYTES, 7)
      const meta = await store.put('big/data.bin', body)
      expect(meta).toMatchObject({ path: 'big/data.bin', size: MULTIPART_BYTES })
      expect(meta.etag).toMatch(/-3$/) // S3's multipart ETag: md5-of-md5s, dash, part count
      expect(sameBytes(await store.get('big/data.bin'), body)).toBe(true)
      expect(sameBytes(await store.get('big/data.bin', { range: { suffix: 8 } }), body.subarray(-8))).toBe(true)
    }, 60_000)

    it('aborts the upload when a part fails, leaving no object and no pending upload', async () => {
      const store = nextStore({ multipartThresholdBytes: 5 * 1024 * 1024 })
      injectFaults(store.client, { failPart: 2 })
      await expect(store.put('big/broken.bin', patternBytes(11 * 1024 * 1024, 8))).rejects.toMatchObject({ code: 'InvalidArgument' })
      await expect(store.head('big/broken.bin')).rejects.toMatchObject({ code: 'NotFound' })
      const pending = await store.client.send(new ListMultipartUploadsCommand({ Bucket: env.bucket, Prefix: store.prefix }))
      expect(pending.Uploads ?? []).toEqual([])
    }, 60_000)
  })

  describe('openStore', () => {
    it("opens 's3://bucket/prefix' with settings from options", async () => {
      const prefix = `${runPrefix}/open-store`
      const store = await openStore(`s3://${env.bucket}/${prefix}`, { s3: connection(env) })
      expect(store.url).toBe(`s3://${env.bucket}/${prefix}`)
      await store.put('hello.txt', textBytes('hello'))
      expect(new TextDecoder().decode(await makeTestStore(env, prefix).get('hello.txt'))).toBe('hello')
    })
  })
})

function connection(env: S3TestEnv): Record<string, unknown> {
  return { endpoint: env.endpoint, region: env.region, credentials: env.credentials }
}
