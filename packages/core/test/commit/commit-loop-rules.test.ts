// commitWithRetry rules not covered by the main loop tests: which concurrent txn makes us skip, the
// commitInfo the loop derives (isBlindAppend, readVersion, in-commit timestamps), and an abort while
// waiting to retry.

import { getEventListeners } from 'node:events'
import { MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { commitPath, commitWithRetry, createEngine, parseCommit, serializeCommit } from '../../src/internal.js'
import type { Action, CommitRequest } from '../../src/internal.js'
import { add, commitInfo, metadata, protocol, remove, txn } from '../helpers/actions.js'

async function table(): Promise<MemoryStore> {
  const store = new MemoryStore()
  await store.putIfAbsent(commitPath(0), serializeCommit([protocol(1, 2), metadata(), add('f0')]))
  return store
}

function request(over: Partial<CommitRequest> = {}): CommitRequest {
  return {
    readVersion: 0,
    actions: [add('ours')],
    commitInfo: { operation: { kind: 'write', mode: 'Append', partitionBy: [] } },
    read: { readWholeTable: false, readFiles: [], readAppIds: [] },
    isolationLevel: 'WriteSerializable',
    inCommitTimestamps: false,
    options: { random: () => 0 },
    ...over,
  }
}

async function infoAt(store: MemoryStore, version: number): Promise<Record<string, unknown>> {
  const actions: Action[] = parseCommit(await store.get(commitPath(version)), version)
  const info = actions.find((a) => a.kind === 'commitInfo')
  return (info?.kind === 'commitInfo' ? info.commitInfo : {}) as Record<string, unknown>
}

describe('commitWithRetry txn skips', () => {
  it('skips when the winner holds a later version of our app id, naming it', async () => {
    const store = await table()
    await store.putIfAbsent(commitPath(1), serializeCommit([commitInfo(), txn('job', 9), add('theirs')]))
    const result = await commitWithRetry(createEngine(store), request({ actions: [add('ours'), txn('job', 7)] }))
    expect(result).toEqual({ status: 'skipped', version: 1, reason: "concurrent commit 1 already holds appId 'job' version 9" })
  })

  it('does not skip over an earlier version of our app id (it conflicts instead)', async () => {
    const store = await table()
    await store.putIfAbsent(commitPath(1), serializeCommit([commitInfo(), txn('job', 6), add('theirs')]))
    await expect(commitWithRetry(createEngine(store), request({ actions: [add('ours'), txn('job', 7)] }))).rejects.toMatchObject({
      code: 'CommitConflict',
      reason: 'ConcurrentTransaction',
      winningVersion: 1,
    })
  })

  it('does not skip over the same version of another app id', async () => {
    const store = await table()
    await store.putIfAbsent(commitPath(1), serializeCommit([commitInfo({ isBlindAppend: true }), txn('other', 7), add('theirs')]))
    expect(await commitWithRetry(createEngine(store), request({ actions: [add('ours'), txn('job', 7)] }))).toMatchObject({ status: 'committed', version: 2 })
  })
})

describe('commitWithRetry commitInfo', () => {
  it('marks a delete that read nothing as not a blind append', async () => {
    const store = await table()
    await commitWithRetry(createEngine(store), request({ actions: [remove('f0')], commitInfo: { operation: { kind: 'delete' } } as CommitRequest['commitInfo'] }))
    expect(await infoAt(store, 1)).toMatchObject({ isBlindAppend: false, readVersion: 0 })
  })

  it('records no read version when creating the table', async () => {
    const store = new MemoryStore()
    await commitWithRetry(createEngine(store), request({ readVersion: -1, actions: [protocol(1, 2), metadata(), add('a')] }))
    expect(await infoAt(store, 0)).not.toHaveProperty('readVersion')
  })

  it('uses the clock for in-commit timestamps when it is ahead of the previous commit', async () => {
    const store = await table()
    await commitWithRetry(createEngine(store, { now: () => 7_000 }), request({ inCommitTimestamps: true, previousCommitTimestamp: 900 }))
    expect(await infoAt(store, 1)).toMatchObject({ timestamp: 7_000, inCommitTimestamp: 7_000 })
    await commitWithRetry(createEngine(store, { now: () => 10 }), request({ readVersion: 1, inCommitTimestamps: true }))
    expect(await infoAt(store, 2)).toMatchObject({ timestamp: 10, inCommitTimestamp: 10 })
  })

  it('finds the in-commit timestamp of a winner whose commitInfo is not its first action', async () => {
    const store = await table()
    await store.putIfAbsent(commitPath(1), serializeCommit([add('w1'), commitInfo({ isBlindAppend: true, inCommitTimestamp: 5_000 })]))
    await commitWithRetry(createEngine(store, { now: () => 100 }), request({ inCommitTimestamps: true, previousCommitTimestamp: 500 }))
    expect(await infoAt(store, 2)).toMatchObject({ inCommitTimestamp: 5_001 })
  })

  it('keeps the previous timestamp when a winner carries none, and writes none without the feature', async () => {
    const store = await table()
    await store.putIfAbsent(commitPath(1), serializeCommit([commitInfo({ isBlindAppend: true }), add('w1')]))
    await commitWithRetry(createEngine(store, { now: () => 100 }), request({ inCommitTimestamps: true, previousCommitTimestamp: 500 }))
    expect(await infoAt(store, 2)).toMatchObject({ inCommitTimestamp: 501 })
    await commitWithRetry(createEngine(store, { now: () => 100 }), request({ readVersion: 2 }))
    expect(await infoAt(store, 3)).not.toHaveProperty('inCommitTimestamp')
  })
})

describe('commitWithRetry abort', () => {
  it('rejects with Aborted when aborted while waiting to retry, and writes nothing more', async () => {
    const store = await table()
    const controller = new AbortController()
    const beaten = {
      url: store.url,
      get: store.get.bind(store),
      head: store.head.bind(store),
      put: store.put.bind(store),
      list: store.list.bind(store),
      delete: store.delete.bind(store),
      putIfAbsent: async (p: string, b: Uint8Array, o?: { signal?: AbortSignal }) => {
        await store.putIfAbsent(p, serializeCommit([commitInfo({ isBlindAppend: true }), add(`other-${p}`)]))
        setTimeout(() => controller.abort(), 5)
        return store.putIfAbsent(p, b, o)
      },
    }
    const err = await commitWithRetry(createEngine(beaten), request({ signal: controller.signal, options: { baseMs: 60_000, capMs: 60_000, random: () => 0.99 } })).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'Aborted', message: 'commit was aborted while waiting to retry', context: { method: 'commit' } })
    expect(await store.head(commitPath(2)).catch((e: unknown) => e)).toMatchObject({ code: 'NotFound' })
    expect(getEventListeners(controller.signal, 'abort')).toEqual([])
  })

  it('rejects with Aborted before waiting when aborted during the rebase', async () => {
    const store = await table()
    await store.putIfAbsent(commitPath(1), serializeCommit([commitInfo({ isBlindAppend: true }), add('w1')]))
    const controller = new AbortController()
    const abortAtEnd: ObjectStore = {
      ...storeMethods(store),
      get: async (p) => {
        // The rebase reads version 2, finds none (the end of the log), and the caller aborts just then.
        if (p === commitPath(2)) controller.abort()
        return store.get(p)
      },
    }
    const options = { baseMs: 60_000, capMs: 60_000, random: () => 0.99 }
    const err = await commitWithRetry(createEngine(abortAtEnd), request({ signal: controller.signal, options })).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'Aborted', message: 'commit was aborted while waiting to retry', context: { method: 'commit' } })
  })

  it('leaves no listener on the signal of the caller after waiting to retry', async () => {
    const store = await table()
    await store.putIfAbsent(commitPath(1), serializeCommit([commitInfo({ isBlindAppend: true }), add('w1')]))
    const controller = new AbortController()
    expect(await commitWithRetry(createEngine(store), request({ signal: controller.signal }))).toMatchObject({ status: 'committed', version: 2 })
    expect(getEventListeners(controller.signal, 'abort')).toEqual([])
  })

  it('rejects with Aborted at once when already aborted before the first retry', async () => {
    const store = await table()
    await store.putIfAbsent(commitPath(1), serializeCommit([commitInfo({ isBlindAppend: true }), add('w1')]))
    const controller = new AbortController()
    controller.abort()
    await expect(commitWithRetry(createEngine(store), request({ signal: controller.signal }))).rejects.toMatchObject({ code: 'Aborted' })
  })
})

function storeMethods(store: ObjectStore): ObjectStore {
  return {
    url: store.url,
    get: (p, o) => store.get(p, o),
    head: (p, o) => store.head(p, o),
    put: (p, b, o) => store.put(p, b, o),
    putIfAbsent: (p, b, o) => store.putIfAbsent(p, b, o),
    list: (p, o) => store.list(p, o),
    delete: (p, o) => store.delete(p, o),
  }
}
