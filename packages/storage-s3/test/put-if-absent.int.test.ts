// S3Store.putIfAbsent against a real S3 server, with failures injected into the SDK's requests: a plain
// 412 is final, even for identical bytes; after a lost response the key is read back (our bytes →
// success, other bytes → AlreadyExists, nothing → retry); a 412 over a key that is empty or unreadable,
// a refused request or read-back, and an abort during the read-back or before a retry.

import { textBytes } from '@lake/storage/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { S3Store } from '../src/s3-store.js'
import { injectFaults } from './inject-faults.js'
import { deletePrefix, describeWithS3, ensureBucket, makeTestStore, uniqueRunPrefix } from './s3-test-env.js'

const KEY = '_log/00.json'
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

describeWithS3('S3Store.putIfAbsent against a real S3 server', (env) => {
  const runPrefix = uniqueRunPrefix('lake-test-put-if-absent')
  let storeCount = 0
  const nextStore = (overrides = {}): S3Store => makeTestStore(env, `${runPrefix}/${storeCount++}`, overrides)
  const context = { method: 'putIfAbsent', path: KEY, bucket: env.bucket }

  beforeAll(() => ensureBucket(env))
  afterAll(() => deletePrefix(env, runPrefix), 120_000)

  describe('without failures', () => {
    it('refuses a taken key with AlreadyExists even for the same bytes, without reading it back', async () => {
      const store = nextStore()
      expect(await store.putIfAbsent(KEY, textBytes('ours'))).toMatchObject({ path: KEY, size: 4 })
      const faults = injectFaults(store.client, {})
      await expect(store.putIfAbsent(KEY, textBytes('ours'))).rejects.toMatchObject({ code: 'AlreadyExists', retryable: false, context: { method: 'putIfAbsent', path: KEY } })
      expect(faults).toEqual({ puts: 1, gets: 0 })
    })
  })

  describe('when a response is lost', () => {
    it('reads the object back and reports success when the lost PUT did land', async () => {
      const store = nextStore()
      const faults = injectFaults(store.client, { put: 'after-send' })
      expect(await store.putIfAbsent(KEY, textBytes('ours'))).toMatchObject({ path: KEY, size: 4 })
      expect(text(await store.get(KEY))).toBe('ours')
      expect(faults.puts).toBe(1) // no blind retry: the read-back settled it
    })

    it('reports AlreadyExists when another writer holds the key after a lost PUT, even with bytes of the same length', async () => {
      const store = nextStore()
      injectFaults(store.client, { put: 'before-send', onPutFault: () => store.put(KEY, textBytes('them')) })
      await expect(store.putIfAbsent(KEY, textBytes('ours'))).rejects.toMatchObject({
        code: 'AlreadyExists',
        message: `putIfAbsent '${KEY}': expected no object, found one with different bytes (another writer won; our own attempt, whose response was lost, did not)`,
        context,
      })
      expect(text(await store.get(KEY))).toBe('them')
    })

    it('retries the PUT when the read-back finds nothing', async () => {
      const store = nextStore()
      const faults = injectFaults(store.client, { put: 'before-send' })
      await store.putIfAbsent(KEY, textBytes('ours'))
      expect(faults.puts).toBe(2)
      expect(text(await store.get(KEY))).toBe('ours')
    })

    it('reports the dropped connection when the read-back finds nothing and no retry is left', async () => {
      const store = nextStore({ retry: { maxAttempts: 1 } })
      injectFaults(store.client, { put: 'before-send' })
      await expect(store.putIfAbsent(KEY, textBytes('ours'))).rejects.toMatchObject({ code: 'Timeout', retryable: true, context })
      await expect(store.head(KEY)).rejects.toMatchObject({ code: 'NotFound' })
    })

    it('treats a 412 after an unverified lost PUT as its own success when the bytes are ours', async () => {
      const store = nextStore()
      const faults = injectFaults(store.client, { put: 'after-send', dropGets: [1] })
      expect((await store.putIfAbsent(KEY, textBytes('ours'))).size).toBe(4)
      expect(faults.puts).toBe(2) // the second PUT got 412 and the read-back found our bytes
    })
  })

  describe('when a 412 follows a lost response', () => {
    const retry = { maxAttempts: 2, baseDelayMs: 1 }

    it('fails retryably when the key is empty again', async () => {
      const store = nextStore({ retry })
      injectFaults(store.client, { put: 'before-send', secondPutTaken: true })
      await expect(store.putIfAbsent(KEY, textBytes('ours'))).rejects.toMatchObject({
        code: 'Unavailable',
        retryable: true,
        message: `putIfAbsent '${KEY}': outcome unknown: got 412 but the key is empty again`,
        context,
      })
    })

    it('fails retryably when the key cannot be read back', async () => {
      const store = nextStore({ retry })
      injectFaults(store.client, { put: 'before-send', secondPutTaken: true, dropGets: [2] })
      await expect(store.putIfAbsent(KEY, textBytes('ours'))).rejects.toMatchObject({
        code: 'Unavailable',
        retryable: true,
        message: `putIfAbsent '${KEY}': outcome unknown: got 412 but the key could not be read back`,
        context,
      })
    })
  })

  describe('when a request fails for good', () => {
    it('does not read back after a refused PUT', async () => {
      const store = nextStore()
      const faults = injectFaults(store.client, { put: 'rejected' })
      await expect(store.putIfAbsent(KEY, textBytes('ours'))).rejects.toMatchObject({ code: 'InvalidArgument', retryable: false, context })
      expect(faults).toEqual({ puts: 1, gets: 0 })
    })

    it('reports a refused read-back as it is, not as the lost PUT', async () => {
      const store = nextStore()
      injectFaults(store.client, { put: 'after-send', denyFirstGet: true })
      await expect(store.putIfAbsent(KEY, textBytes('ours'))).rejects.toMatchObject({ code: 'PermissionDenied', retryable: false, context })
    })
  })

  describe('when aborted', () => {
    it('aborts the read-back', async () => {
      const store = nextStore()
      const controller = new AbortController()
      injectFaults(store.client, { put: 'after-send', onPutFault: () => controller.abort() })
      await expect(store.putIfAbsent(KEY, textBytes('ours'), { signal: controller.signal })).rejects.toMatchObject({ code: 'Aborted', context: { method: 'putIfAbsent' } })
    })

    it('names putIfAbsent when aborted before its retry', async () => {
      const store = nextStore()
      const controller = new AbortController()
      injectFaults(store.client, { put: 'before-send', afterFirstGet: () => controller.abort() })
      await expect(store.putIfAbsent(KEY, textBytes('ours'), { signal: controller.signal })).rejects.toMatchObject({
        code: 'Aborted',
        message: 'putIfAbsent was aborted',
        context: { method: 'putIfAbsent' },
      })
    })
  })
})
