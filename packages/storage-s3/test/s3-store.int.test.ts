// Integration tests of S3Store against a real S3-compatible server (Ceph RGW in CI): the shared
// ObjectStore contract, then S3-specific behaviour (credentials, unreachable endpoint, lost responses, multipart).

import { ListMultipartUploadsCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3'
import { openStore } from '@lake/storage'
import { describeObjectStoreContract, patternBytes, sameBytes, textBytes } from '@lake/storage/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import '../src/register-s3-scheme.js'
import { S3Store } from '../src/s3-store.js'
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

  describe('putIfAbsent when a response is lost', () => {
    it('reads the object back and reports success when the lost PUT did land', async () => {
      const store = nextStore()
      const faults = injectFaults(store.client, { put: 'after-send' })
      const meta = await store.putIfAbsent('_log/00.json', textBytes('ours'))
      expect(meta).toMatchObject({ path: '_log/00.json', size: 4 })
      expect(new TextDecoder().decode(await store.get('_log/00.json'))).toBe('ours')
      expect(faults.puts).toBe(1) // no blind retry: the read-back settled it
    })

    it('reports AlreadyExists when another writer holds the key after a lost PUT', async () => {
      const store = nextStore()
      injectFaults(store.client, { put: 'before-send', otherWriter: () => store.put('_log/00.json', textBytes('theirs')) })
      await expect(store.putIfAbsent('_log/00.json', textBytes('ours'))).rejects.toMatchObject({ code: 'AlreadyExists' })
      expect(new TextDecoder().decode(await store.get('_log/00.json'))).toBe('theirs')
    })

    it('retries the PUT when the read-back finds nothing', async () => {
      const store = nextStore()
      const faults = injectFaults(store.client, { put: 'before-send' })
      await store.putIfAbsent('_log/00.json', textBytes('ours'))
      expect(faults.puts).toBe(2)
      expect(new TextDecoder().decode(await store.get('_log/00.json'))).toBe('ours')
    })

    it('treats a 412 after an unverified lost PUT as its own success when the bytes are ours', async () => {
      const store = nextStore()
      const faults = injectFaults(store.client, { put: 'after-send', failFirstGet: true })
      const meta = await store.putIfAbsent('_log/00.json', textBytes('ours'))
      expect(meta.size).toBe(4)
      expect(faults.puts).toBe(2) // the second PUT got 412 and the read-back found our bytes
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

interface FaultPlan {
  /** Make the first conditional PUT fail with a dropped connection, before or after it reached the server. */
  readonly put?: 'before-send' | 'after-send'
  /** Runs in place of the first conditional PUT (another writer taking the key meanwhile). */
  readonly otherWriter?: () => Promise<unknown>
  /** Drop the first GetObject's connection (the read-back). */
  readonly failFirstGet?: boolean
  /** Reject this UploadPart number with a non-retryable 400. */
  readonly failPart?: number
}

/** Adds a middleware to `client` that injects the planned failures; counts conditional PUTs sent. */
function injectFaults(client: S3Client, plan: FaultPlan): { puts: number } {
  const counts = { puts: 0, gets: 0 }
  const dropped = (): Error => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' })
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>
      if (context.commandName === 'PutObjectCommand' && input.IfNoneMatch === '*') {
        counts.puts++
        if (counts.puts === 1 && plan.put === 'before-send') {
          await plan.otherWriter?.()
          throw dropped()
        }
        const result = await next(args)
        if (counts.puts === 1 && plan.put === 'after-send') throw dropped()
        return result
      }
      if (context.commandName === 'GetObjectCommand' && plan.failFirstGet === true && counts.gets++ === 0) throw dropped()
      if (context.commandName === 'UploadPartCommand' && input.PartNumber === plan.failPart) {
        throw new S3ServiceException({ name: 'InvalidArgument', $fault: 'client', $metadata: { httpStatusCode: 400 } })
      }
      return next(args)
    },
    { step: 'initialize', name: 'lakeTestFaults' },
  )
  return counts
}
