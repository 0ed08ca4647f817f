// The re-plan runner's own rules (operations/run.ts), with specs written here: which files a failed
// attempt deletes (data, change data and other files, percent-decoded paths; best effort; none when the
// commit's outcome is unknown), the give-up message and context, the checks of maxReplans, the abort
// signal (before the first load and while waiting to re-plan) and the backoff's clock.

import { MemoryStore, StorageError, faultyStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import { Transaction, runOperation } from '../../src/internal.js'
import type { AddCDCFile, AddFile, Engine, OperationSpec, WrittenFiles } from '../../src/internal.js'
import { keys, newTable, toRow } from './helpers.js'

const ENC = new TextEncoder()

/** v0 create, v1 ids 0..9 in one file (deletion vectors on). */
async function filled(): Promise<{ engine: Engine; store: MemoryStore }> {
  const t = await newTable({ dv: true, partitioned: false })
  await (await DeltaTable.open(t.engine)).write(Array.from({ length: 10 }, (_, id) => toRow({ id, p: 'a', v: id })))
  return t
}

interface SpecOptions {
  /** Attempts (1-based) before whose commit another writer deletes row `attempt`: a conflict. */
  readonly interfere: (attempt: number) => boolean
  /** Files each attempt writes (made in the store before its commit); `n` is the attempt. */
  readonly writes?: (n: number) => WrittenFiles
}

/** A spec removing every file of the snapshot, recording the versions it planned on. */
function removeAll(engine: Engine, other: Engine, options: SpecOptions, seen: number[]): OperationSpec<readonly AddFile[], { version: number | undefined }> {
  return {
    name: 'REMOVE ALL',
    plan: (snapshot) => snapshot.files(),
    execute: async (files, snapshot, context) => {
      seen.push(snapshot.version)
      const attempt = seen.length
      const written = options.writes?.(attempt) ?? {}
      const stored = [...(written.adds ?? []), ...(written.cdc ?? [])].map((f) => decodeURIComponent(f.path))
      for (const key of [...stored, ...(written.keys ?? [])]) await engine.store.put(key, ENC.encode(key))
      const txn = Transaction.begin(engine, snapshot, { operation: { kind: 'delete' }, intent: { removesData: true }, commit: context.commit })
      txn.removeFiles(files).readFiles(files.map((f) => f.path)).readWholeTable()
      if (options.interfere(attempt)) await (await DeltaTable.open(other)).delete(`id = ${attempt}`)
      return { txn, written, result: (version) => ({ version }) }
    },
  }
}

const addFile = (path: string): AddFile => ({ path, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true })
const cdcFile = (path: string): AddCDCFile => ({ path, partitionValues: {}, size: 1, dataChange: false })
const written = (n: number): WrittenFiles => ({
  adds: [addFile(`part-${n}%20a.parquet`)],
  cdc: [cdcFile(`_change_data/cdc-${n}.parquet`)],
  keys: [`deletion_vector_${n}.bin`],
})
const writtenKeys = (n: number): string[] => [`part-${n} a.parquet`, `_change_data/cdc-${n}.parquet`, `deletion_vector_${n}.bin`]

describe('runOperation: the files of a failed attempt', () => {
  it('deletes the data, change data and other files of each conflicting attempt (paths decoded) and keeps the committed one\'s', async () => {
    const { engine, store } = await filled()
    const seen: number[] = []
    const result = await runOperation(engine, removeAll(engine, engine, { interfere: (n) => n <= 2, writes: written }, seen))
    expect(result).toEqual({ version: 4, attempts: 3, replans: 2 })
    const all = await keys(store)
    for (const key of [...writtenKeys(1), ...writtenKeys(2)]) expect(all).not.toContain(key)
    expect(all).toEqual(expect.arrayContaining(writtenKeys(3)))
  })

  it('deletes every file it can when some deletes fail (best effort), then re-plans', async () => {
    const { engine, store } = await filled()
    const failing = faultyStore(store, { rules: [{ method: 'delete', path: 'part-1 a.parquet', error: new StorageError('Unavailable', 'injected delete failure') }] })
    const seen: number[] = []
    const result = await runOperation(createEngine(failing), removeAll(createEngine(failing), engine, { interfere: (n) => n === 1, writes: written }, seen))
    expect(result).toEqual({ version: 3, attempts: 2, replans: 1 })
    const all = await keys(store)
    expect(all).toContain('part-1 a.parquet') // the delete that failed: an orphan for vacuum
    expect(all).not.toContain('_change_data/cdc-1.parquet')
    expect(all).not.toContain('deletion_vector_1.bin')
  })

  it('keeps the files when the commit failed with an unknown outcome (a storage error), and does not re-plan', async () => {
    const { engine, store } = await filled()
    const lost = faultyStore(store, { rules: [{ method: 'putIfAbsent', path: '_delta_log/00000000000000000002.json', error: new StorageError('Unavailable', 'injected lost response'), when: 'after' }] })
    const seen: number[] = []
    const run = runOperation(createEngine(lost), removeAll(createEngine(lost), engine, { interfere: () => false, writes: written }, seen), { commit: { maxAttempts: 1 } })
    await expect(run).rejects.toMatchObject({ name: 'StorageError', code: 'Unavailable' })
    expect(seen).toEqual([1])
    expect(await keys(store)).toEqual(expect.arrayContaining(writtenKeys(1)))
  })
})

describe('runOperation: giving up', () => {
  it('after one re-plan says "1 time", keeps the conflict as the cause and its readVersion', async () => {
    const { engine } = await filled()
    const seen: number[] = []
    const run = runOperation(engine, removeAll(engine, engine, { interfere: () => true }, seen), { commit: { maxReplans: 1 } })
    const err: unknown = await run.catch((e: unknown) => e)
    expect(err).toMatchObject({
      name: 'CommitConflictError',
      reason: 'ConcurrentDeleteDelete',
      context: { reason: 'ConcurrentDeleteDelete', winningVersion: 3, readVersion: 2, replans: 1 },
    })
    const removed = "concurrent commit at version 3 \\(this transaction read version 2\\) removed file '[^']+', which this transaction removes too"
    expect(err).toMatchObject({ detail: expect.stringMatching(new RegExp(`^${removed}; REMOVE ALL was re-planned 1 time and gives up \\(commit\\.maxReplans is 1\\)$`)) })
    expect((err as Error).cause).toMatchObject({ name: 'CommitConflictError', context: { winningVersion: 3, readVersion: 2 }, detail: expect.stringMatching(new RegExp(`^${removed}$`)) })
    expect(seen).toEqual([1, 2])
  })

  it('when the backoff time budget runs out says so (the engine clock drives it)', async () => {
    const { store } = await filled()
    let clock = 0
    const ticking = createEngine(store, { now: () => (clock += 1_000) })
    const seen: number[] = []
    const run = runOperation(ticking, removeAll(ticking, ticking, { interfere: () => true }, seen), { commit: { maxTotalMs: 1 } })
    await expect(run).rejects.toMatchObject({
      reason: 'ConcurrentDeleteDelete',
      context: { replans: 0 },
      detail: expect.stringMatching(/; REMOVE ALL was re-planned 0 times and gives up \(the retry time ran out\)$/),
    })
    expect(seen).toEqual([1])
  })

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses maxReplans %s with InvalidArgument before planning', async (maxReplans) => {
    const { engine } = await filled()
    const seen: number[] = []
    const run = runOperation(engine, removeAll(engine, engine, { interfere: () => false }, seen), { commit: { maxReplans } })
    await expect(run).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      code: 'InvalidArgument',
      message: `commit.maxReplans: expected a non-negative integer, found ${maxReplans}`,
      context: { maxReplans },
    })
    expect(seen).toEqual([])
  })

  it('maxReplans 0 is valid: the first conflict is thrown with replans 0', async () => {
    const { engine } = await filled()
    const seen: number[] = []
    const run = runOperation(engine, removeAll(engine, engine, { interfere: () => true }, seen), { commit: { maxReplans: 0 } })
    await expect(run).rejects.toMatchObject({
      context: { replans: 0 },
      detail: expect.stringMatching(/; REMOVE ALL was re-planned 0 times and gives up \(commit\.maxReplans is 0\)$/),
    })
    expect(seen).toEqual([1])
  })
})

describe('runOperation: what execute is given', () => {
  it('the caller\'s commit options and abort signal, on every attempt', async () => {
    const { engine } = await filled()
    const seen: number[] = []
    const contexts: unknown[] = []
    const spec = removeAll(engine, engine, { interfere: (n) => n === 1 }, seen)
    const commit = { maxReplans: 3, baseMs: 1 }
    const signal = new AbortController().signal
    await runOperation(engine, { ...spec, execute: (plan, snapshot, context) => (contexts.push(context), spec.execute(plan, snapshot, context)) }, { commit, signal })
    expect(contexts).toHaveLength(2)
    for (const context of contexts) expect(context).toEqual({ commit, signal })
  })
})

describe('runOperation: the abort signal', () => {
  it('an aborted signal stops it before the first snapshot is loaded', async () => {
    const { engine } = await filled()
    const seen: number[] = []
    const controller = new AbortController()
    controller.abort()
    const run = runOperation(engine, removeAll(engine, engine, { interfere: () => false }, seen), { signal: controller.signal })
    await expect(run).rejects.toMatchObject({ code: 'Aborted' })
    expect(seen).toEqual([])
  })

  it('an abort while waiting to re-plan rejects with Aborted at once and plans no more', async () => {
    const { engine } = await filled()
    const seen: number[] = []
    const controller = new AbortController()
    // The spec's transaction does not see the signal: the conflict reaches the runner, which waits ~59 s to re-plan.
    const spec = removeAll(engine, engine, { interfere: () => true }, seen)
    const aborting: OperationSpec<readonly AddFile[], { version: number | undefined }> = {
      ...spec,
      execute: async (plan, snapshot, context) => {
        const executed = await spec.execute(plan, snapshot, context)
        controller.abort()
        return executed
      },
    }
    const run = runOperation(engine, aborting, { signal: controller.signal, commit: { baseMs: 60_000, capMs: 60_000, random: () => 0.99 } })
    await expect(run).rejects.toMatchObject({ name: 'StorageError', code: 'Aborted' })
    expect(seen).toEqual([1])
  })
})

describe('runOperation: a snapshot the caller holds', () => {
  it('is used for the first attempt only; a re-plan loads the latest', async () => {
    const { engine } = await filled()
    const stale = (await DeltaTable.open(engine)).snapshot // version 1
    await (await DeltaTable.open(engine)).delete('id = 9') // version 2 changes the one file
    const seen: number[] = []
    const result = await runOperation(engine, removeAll(engine, engine, { interfere: () => false }, seen), { snapshot: stale, commit: { maxReplans: 1 } })
    expect(result).toEqual({ version: 3, attempts: 2, replans: 1 })
    expect(seen).toEqual([1, 2])
  })
})
