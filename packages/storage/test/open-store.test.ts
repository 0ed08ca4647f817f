// Tests of openStore and the scheme registry: paths, file URLs, registered and unknown schemes, s3.

import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalStore, MemoryStore, openStore, registerStoreScheme } from '../src/index.js'
import { expectStorageError, textBytes } from '../src/testing/index.js'

let dir = ''

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake open store '))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('openStore', () => {
  it('opens a plain absolute path as a LocalStore', async () => {
    const store = await openStore(join(dir, 'plain'))
    expect(store).toBeInstanceOf(LocalStore)
    await store.put('k', textBytes('v'))
    expect(await readFile(join(dir, 'plain', 'k'), 'utf8')).toBe('v')
  })

  it('resolves a relative path against the working directory', async () => {
    const store = await openStore('some/relative/table')
    expect((store as LocalStore).root).toBe(resolve('some/relative/table'))
  })

  it('decodes percent-encoding in file:// URLs', async () => {
    const url = `file://${dir.split('/').map(encodeURIComponent).join('/')}/with%20space`
    const store = await openStore(url)
    expect((store as LocalStore).root).toBe(join(dir, 'with space'))
  })

  it('rejects an unknown scheme with InvalidConfig naming it and the supported ones', async () => {
    const failure = openStore('gs://bucket/table')
    await expectStorageError(failure, 'InvalidConfig')
    const message = await failure.catch((err: Error) => err.message)
    expect(message).toContain("'gs:'")
    expect(message).toContain('file://')
    expect(message).toContain('s3://')
  })

  it('rejects a file URL with a host with InvalidConfig', async () => {
    await expectStorageError(openStore('file://remote-host/data'), 'InvalidConfig')
  })

  it('uses a registered scheme factory with the URL and options', async () => {
    const memory = new MemoryStore()
    const seen: string[] = []
    const unregister = registerStoreScheme('mem', (url, options) => {
      seen.push(`${url.host}${url.pathname} ${String(options['tag'])}`)
      return memory
    })
    try {
      expect(await openStore('mem://box/t1', { tag: 'x' })).toBe(memory)
      expect(seen).toEqual(['box/t1 x'])
    } finally {
      unregister()
    }
    await expectStorageError(openStore('mem://box/t1'), 'InvalidConfig')
  })

  it('loads @lake/storage-s3 for s3:// or explains how to install it', async () => {
    try {
      const store = await openStore('s3://bucket/prefix', { s3: { region: 'us-east-1' } })
      expect(store.url).toMatch(/^s3:\/\/bucket/)
    } catch (err) {
      expect(err).toMatchObject({ code: 'InvalidConfig' })
      expect(String(err)).toContain('@lake/storage-s3')
    }
  })

  it('prefers a registered s3 factory over loading the package', async () => {
    const memory = new MemoryStore()
    const unregister = registerStoreScheme('S3:', () => memory)
    try {
      expect(await openStore('s3://bucket/prefix')).toBe(memory)
    } finally {
      unregister()
    }
  })
})
