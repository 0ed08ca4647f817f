// commitWithRetry against a MemoryStore with hand-written winning commits: rebase over harmless
// winners, typed conflicts naming the winner, txn skips, bounded attempts and time, I/O budget.

import { describe, expect, it } from 'vitest'
import { MemoryStore, countingStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import {
  CommitAttemptsExhaustedError,
  CommitConflictError,
  classicCheckpointPath,
  commitPath,
  commitWithRetry,
  createEngine,
  loadSnapshot,
  parseCommit,
  serializeCommit,
} from '../../src/internal.js'
import type { Action, CommitRequest, Engine } from '../../src/internal.js'
import { add, commitInfo, metadata, protocol, txn } from '../helpers/actions.js'

const NO_WAIT = { random: () => 0 } // full jitter with random 0: every delay is 0 ms
const blindAppend = (path: string): Action[] => [commitInfo({ isBlindAppend: true }), add(path)]

/** A table at version 0 (protocol, metadata, one file) in a fresh MemoryStore. */
async function table(): Promise<MemoryStore> {
  const store = new MemoryStore()
  await store.putIfAbsent(commitPath(0), serializeCommit([protocol(1, 2), metadata(), add('f0')]))
  return store
}

async function winner(store: ObjectStore, version: number, actions: readonly Action[]): Promise<void> {
  await store.putIfAbsent(commitPath(version), serializeCommit(actions))
}

function request(over: Partial<CommitRequest> = {}): CommitRequest {
  return {
    readVersion: 0,
    actions: [add('ours')],
    commitInfo: { operation: { kind: 'write', mode: 'Append', partitionBy: [] } },
    read: { readWholeTable: false, readFiles: [], readAppIds: [] },
    isolationLevel: 'WriteSerializable',
    inCommitTimestamps: false,
    options: NO_WAIT,
    ...over,
  }
}

async function actionsAt(store: ObjectStore, version: number): Promise<Action[]> {
  return parseCommit(await store.get(commitPath(version)), version)
}

describe('commitWithRetry', () => {
  it('commits at readVersion + 1 in one attempt when nobody else committed', async () => {
    const store = await table()
    expect(await commitWithRetry(createEngine(store), request())).toEqual({ status: 'committed', version: 1, attempts: 1 })
    expect((await actionsAt(store, 1)).map((a) => a.kind)).toEqual(['commitInfo', 'add'])
  })

  it('rebases a blind append over every concurrent blind append and commits after them', async () => {
    const store = await table()
    await winner(store, 1, blindAppend('w1'))
    await winner(store, 2, blindAppend('w2'))
    expect(await commitWithRetry(createEngine(store), request())).toEqual({ status: 'committed', version: 3, attempts: 2 })
    const snapshot = await loadSnapshot(createEngine(store))
    expect(snapshot.files().map((f) => f.path).sort()).toEqual(['f0', 'ours', 'w1', 'w2'])
  })

  it('records the read version and isolation level in commitInfo', async () => {
    const store = await table()
    await winner(store, 1, blindAppend('w1'))
    await commitWithRetry(createEngine(store), request({ isolationLevel: 'Serializable' }))
    const info = (await actionsAt(store, 2)).find((a) => a.kind === 'commitInfo')
    expect(info).toMatchObject({ commitInfo: { readVersion: 0, isolationLevel: 'Serializable', isBlindAppend: true } })
  })

  it('throws CommitConflictError naming the winning version, the reason and a Help line, and writes nothing', async () => {
    const store = await table()
    await winner(store, 1, blindAppend('w1'))
    await winner(store, 2, [commitInfo(), metadata({ configuration: { x: 'y' } })])
    const err = await commitWithRetry(createEngine(store), request()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CommitConflictError)
    expect(err).toMatchObject({ code: 'CommitConflict', reason: 'MetadataChanged', winningVersion: 2, context: { readVersion: 0 } })
    expect((err as Error).message).toMatch(/concurrent commit at version 2 \(this transaction read version 0\).*\nHelp: /s)
    await expect(store.head(commitPath(3))).rejects.toMatchObject({ code: 'NotFound' })
  })

  it.each([
    ['WriteSerializable', 'committed'],
    ['Serializable', 'CommitConflict'],
  ] as const)('under %s, a blind append matching our read predicate gives %s', async (isolationLevel, outcome) => {
    const store = await table()
    await winner(store, 1, blindAppend('w1'))
    const commit = commitWithRetry(
      createEngine(store),
      request({
        isolationLevel,
        actions: [add('ours')],
        commitInfo: { operation: { kind: 'delete' } },
        read: { readWholeTable: false, readPredicate: () => true, readFiles: ['f0'], readAppIds: [] },
      }),
    )
    if (outcome === 'committed') await expect(commit).resolves.toMatchObject({ status: 'committed', version: 2 })
    else await expect(commit).rejects.toMatchObject({ code: 'CommitConflict', reason: 'ConcurrentAppend', winningVersion: 1 })
  })

  it('skips when a concurrent commit already holds our txn version (same job ran twice)', async () => {
    const store = await table()
    await winner(store, 1, [commitInfo(), txn('job', 7), add('theirs')])
    const result = await commitWithRetry(createEngine(store), request({ actions: [add('ours'), txn('job', 7)], read: { readWholeTable: false, readFiles: [], readAppIds: ['job'] } }))
    expect(result).toMatchObject({ status: 'skipped', version: 1 })
    expect(result.status === 'skipped' && result.reason).toMatch(/appId 'job' version 7/)
  })

  it('gives up after maxAttempts when another writer wins every version, naming the last version tried', async () => {
    const store = await table()
    const engine = createEngine(alwaysBeaten(store))
    const err = await commitWithRetry(engine, request({ options: { ...NO_WAIT, maxAttempts: 3 } })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CommitAttemptsExhaustedError)
    expect(err).toMatchObject({ code: 'CommitAttemptsExhausted', retryable: true, context: { attempts: 3, lastVersion: 3, limit: 'attempts' } })
  })

  it('gives up when the next retry would start past maxTotalMs, by the engine clock', async () => {
    const store = await table()
    let now = 0
    const beaten = alwaysBeaten(store, () => (now += 400))
    const engine: Engine = { store: beaten, now: () => now }
    const err = await commitWithRetry(engine, request({ options: { ...NO_WAIT, maxTotalMs: 1_000 } })).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'CommitAttemptsExhausted', context: { limit: 'time', attempts: 3 } })
  })

  it('keeps in-commit timestamps increasing past a winner whose timestamp is ahead of our clock', async () => {
    const store = await table()
    await winner(store, 1, [commitInfo({ inCommitTimestamp: 5_000 }), add('w1')])
    const engine = createEngine(store, { now: () => 1_000 })
    await commitWithRetry(engine, request({ inCommitTimestamps: true, previousCommitTimestamp: 900 }))
    expect((await actionsAt(store, 2))[0]).toMatchObject({ kind: 'commitInfo', commitInfo: { inCommitTimestamp: 5_001 } })
  })

  it('does not load the snapshot after a commit off the checkpoint interval, and checkpoints on it', async () => {
    const store = await table()
    for (let v = 1; v <= 8; v++) await winner(store, v, blindAppend(`w${v}`))
    const counted = countingStore(store)
    await commitWithRetry(createEngine(counted.store), request({ readVersion: 8, checkpointInterval: 10 }))
    expect(counted.counts).toMatchObject({ list: 0, get: 0, put: 0, putIfAbsent: 1 })
    await commitWithRetry(createEngine(counted.store), request({ readVersion: 9, checkpointInterval: 10 }))
    expect(counted.paths.put).toEqual([classicCheckpointPath(10), '_delta_log/_last_checkpoint'])
  })

  it('checks the interval against the new snapshot when the caller does not know it', async () => {
    const store = await table()
    const counted = countingStore(store)
    await commitWithRetry(createEngine(counted.store), request())
    expect(counted.counts.list).toBeGreaterThan(0)
    expect(counted.counts.put).toBe(0)
  })
})

/** A view of `store` in which another writer commits a blind append at a version just before we try it. */
function alwaysBeaten(store: ObjectStore, onAttempt: () => void = () => {}): ObjectStore {
  return {
    url: store.url,
    get: (p, o) => store.get(p, o),
    head: (p, o) => store.head(p, o),
    put: (p, b, o) => store.put(p, b, o),
    list: (p, o) => store.list(p, o),
    delete: (p, o) => store.delete(p, o),
    putIfAbsent: async (p, b, o) => {
      if (p.endsWith('.json')) {
        onAttempt()
        await store.putIfAbsent(p, serializeCommit(blindAppend(`other-${p}`)))
      }
      return store.putIfAbsent(p, b, o)
    },
  }
}
