// A writer whose commit races a VACUUM: the pure classification of VACUUM START/END commits, and
// the commit loop waiting for a running vacuum to end, then refusing to commit files it deleted.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { NO_VACUUM, commitPath, commitWithRetry, createEngine, filesAtRisk, serializeCommit, trackVacuum, vacuumPhase } from '../../src/internal.js'
import type { Action, CommitRequest, VacuumRace } from '../../src/internal.js'
import { add, commitInfo, metadata, protocol, remove, txn } from '../helpers/actions.js'

const NO_WAIT = { random: () => 0 } // full jitter with random 0: every delay is 0 ms
const START = commitInfo({ operation: 'VACUUM START', operationParameters: { retentionCheckEnabled: 'false' } })
const END = commitInfo({ operation: 'VACUUM END', operationParameters: { status: 'COMPLETED' } })

function request(over: Partial<CommitRequest> = {}): CommitRequest {
  return {
    readVersion: 0,
    actions: [add('ours.parquet')],
    commitInfo: { operation: { kind: 'write', mode: 'Append', partitionBy: [] } },
    read: { readWholeTable: false, readFiles: [], readAppIds: [] },
    isolationLevel: 'WriteSerializable',
    inCommitTimestamps: false,
    options: NO_WAIT,
    ...over,
  }
}

/** A table at version 0 and our uncommitted data file. */
async function table(): Promise<MemoryStore> {
  const store = new MemoryStore()
  await store.putIfAbsent(commitPath(0), serializeCommit([protocol(1, 2), metadata(), add('f0.parquet')]))
  await store.put('ours.parquet', new Uint8Array(100))
  return store
}

const commit = (store: ObjectStore, version: number, actions: readonly Action[]): Promise<unknown> => store.putIfAbsent(commitPath(version), serializeCommit(actions))
const track = (commits: readonly (readonly Action[])[], from = 1): VacuumRace => commits.reduce((s, a, i) => trackVacuum(s, from + i, a), NO_VACUUM)

describe('vacuum race classification', () => {
  it('tells VACUUM START and VACUUM END commits from others', () => {
    expect(vacuumPhase([START])).toBe('start')
    expect(vacuumPhase([END])).toBe('end')
    expect(vacuumPhase([commitInfo(), add('x')])).toBeUndefined()
    expect(vacuumPhase([add('x')])).toBeUndefined()
  })

  it('tracks running vacuums and the first start since the last check', () => {
    expect(track([[commitInfo(), add('a')]])).toEqual(NO_VACUUM)
    expect(track([[START]])).toEqual({ running: 1, startedAt: 1 })
    expect(track([[START], [add('a')], [END]])).toEqual({ running: 0, startedAt: 1 })
    expect(track([[START], [START], [END]], 4)).toEqual({ running: 1, startedAt: 4 })
    // An END whose START came before our read version: that vacuum listed before our files existed.
    expect(track([[END]])).toEqual(NO_VACUUM)
    // ... also when it lands after a START we saw: lake's END names its START as readVersion.
    const endOf = (start: number): Action[] => [commitInfo({ operation: 'VACUUM END', readVersion: start })]
    expect(track([[START], endOf(0)], 3)).toEqual({ running: 1, startedAt: 3 })
    expect(track([[START], endOf(0), endOf(3)], 3)).toEqual({ running: 0, startedAt: 3 })
  })

  it('puts the relative paths of added files at risk, not removes or absolute paths', () => {
    const actions = [add('a.parquet'), add('file:///elsewhere/b.parquet'), remove('c.parquet'), commitInfo()]
    expect(filesAtRisk(actions).map((f) => f.path)).toEqual(['a.parquet'])
  })
})

describe('commitWithRetry racing a vacuum', () => {
  it('fails with ConcurrentVacuum naming the file when a vacuum deleted it, and commits nothing', async () => {
    const store = await table()
    await commit(store, 1, [START])
    await store.delete('ours.parquet')
    await commit(store, 2, [END])
    await expect(commitWithRetry(createEngine(store), request())).rejects.toMatchObject({
      code: 'CommitConflict',
      reason: 'ConcurrentVacuum',
      winningVersion: 1,
      context: { path: 'ours.parquet', readVersion: 0 },
    })
    await expect(store.head(commitPath(3))).rejects.toMatchObject({ code: 'NotFound' })
  })

  it('commits after the vacuum when its files survived', async () => {
    const store = await table()
    await commit(store, 1, [START])
    await commit(store, 2, [END])
    expect(await commitWithRetry(createEngine(store), request())).toMatchObject({ status: 'committed', version: 3 })
  })

  it('waits for a running vacuum to end before it checks its files', async () => {
    const store = await table()
    await commit(store, 1, [START])
    let polls = 0
    let vacuumDone: Promise<unknown> = Promise.resolve()
    const watched: ObjectStore = {
      url: store.url,
      get: async (path, options) => {
        // The writer polls version 2 while the vacuum runs; on its third poll the vacuum deletes and ends.
        if (path === commitPath(2) && ++polls === 3) vacuumDone = store.delete('ours.parquet').then(() => commit(store, 2, [END]))
        await vacuumDone
        return store.get(path, options)
      },
      head: (p, o) => store.head(p, o),
      put: (p, b, o) => store.put(p, b, o),
      putIfAbsent: (p, b, o) => store.putIfAbsent(p, b, o),
      list: (p, o) => store.list(p, o),
      delete: (p, o) => store.delete(p, o),
    }
    await expect(commitWithRetry(createEngine(watched), request())).rejects.toMatchObject({ reason: 'ConcurrentVacuum', context: { path: 'ours.parquet' } })
    expect(polls).toBeGreaterThanOrEqual(3)
  })

  it('gives up with ConcurrentVacuum when the vacuum never ends within the retry budget', async () => {
    const store = await table()
    await commit(store, 1, [START])
    const err = commitWithRetry(createEngine(store), request({ options: { ...NO_WAIT, maxAttempts: 3 } }))
    await expect(err).rejects.toMatchObject({ code: 'CommitConflict', reason: 'ConcurrentVacuum', winningVersion: 1, context: { readVersion: 0 } })
    await expect(err).rejects.toThrow(/did not end/)
  })

  it('skips at once when a commit made during a running vacuum already holds our txn', async () => {
    const store = await table()
    await commit(store, 1, [START])
    await commit(store, 2, [commitInfo(), txn('job', 7), add('theirs.parquet')])
    const result = await commitWithRetry(createEngine(store), request({ actions: [add('ours.parquet'), txn('job', 7)], options: { ...NO_WAIT, maxAttempts: 3 } }))
    expect(result).toMatchObject({ status: 'skipped', version: 2 })
  })

  it('skips without checking its files when a commit after a finished vacuum holds our txn', async () => {
    const store = await table()
    await commit(store, 1, [START])
    await store.delete('ours.parquet')
    await commit(store, 2, [END])
    await commit(store, 3, [commitInfo(), txn('job', 7), add('theirs.parquet')])
    const result = await commitWithRetry(createEngine(store), request({ actions: [add('ours.parquet'), txn('job', 7)] }))
    expect(result).toMatchObject({ status: 'skipped', version: 3 })
  })

  it('does not wait for a vacuum when it adds no files', async () => {
    const store = await table()
    await commit(store, 1, [START])
    expect(await commitWithRetry(createEngine(store), request({ actions: [] }))).toMatchObject({ status: 'committed', version: 2 })
  })
})
