// The Transaction: what it stages (Spark's action order, one clock reading per transaction, the
// read set), its feature check before any I/O, the conflict outcome of commit(), and the rule that
// nothing but the Transaction hands a request to the commit loop.

import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { CommitConflictError, Transaction, commitPath, createEngine, loadSnapshot, serializeCommit, stagedActions, writeDelta } from '../../src/internal.js'
import type { AddCDCFile, Engine } from '../../src/internal.js'
import { commitInfo, protocol } from '../helpers/actions.js'

const ROWS = [
  { id: 1n, part: 'a' },
  { id: 2n, part: 'b' },
]

/** A table of two files (one per partition) whose engine clock ticks 1 ms per reading. */
async function tickingTable(): Promise<{ store: MemoryStore; engine: Engine }> {
  let t = Date.UTC(2024, 0, 1)
  const store = new MemoryStore()
  const engine = createEngine(store, { now: () => t++ })
  await writeDelta(engine, ROWS, { partitionBy: ['part'] })
  return { store, engine }
}

const CDC: AddCDCFile = { path: '_change_data/c.parquet', partitionValues: { part: 'a' }, size: 1, dataChange: false }

describe('Transaction staging', () => {
  it("stages actions in Spark's order whatever the call order, all at the transaction's one clock reading", async () => {
    const { engine } = await tickingTable()
    const snapshot = await loadSnapshot(engine)
    const [a, b] = snapshot.files()
    const txn = Transaction.begin(engine, snapshot, { operation: { kind: 'custom', operation: 'TEST', parameters: {} } })
    txn.setDomainMetadata('d', '{}').setAppTransaction('app', 4).addCdcFiles([CDC]).addFiles(b === undefined ? [] : [b])
    txn.removeFiles(a === undefined ? [] : [a]).setMetadata(snapshot.metadata).setProtocol(snapshot.protocol)
    const staged = txn.staged()
    expect(stagedActions(staged).map((x) => x.kind)).toEqual(['protocol', 'metaData', 'remove', 'add', 'cdc', 'txn', 'domainMetadata'])
    expect(staged.removes.map((r) => r.deletionTimestamp)).toEqual([txn.now])
    expect(staged.txns).toEqual([{ appId: 'app', version: 4, lastUpdated: txn.now }])
    expect(staged.read.readAppIds).toEqual(['app'])
    expect(staged.readVersion).toBe(snapshot.version)
  })

  it('removes with dataChange=false when asked, and records what the transaction read', async () => {
    const { engine } = await tickingTable()
    const snapshot = await loadSnapshot(engine)
    const files = snapshot.files()
    const match = (): boolean => true
    const txn = Transaction.begin(engine, snapshot, { operation: { kind: 'optimize' } })
    const staged = txn.removeFiles(files, { dataChange: false }).readFiles(['x']).readPredicate(match, "part = 'a'").readWholeTable().staged()
    expect(staged.removes.map((r) => [r.path, r.dataChange])).toEqual(files.map((f) => [f.path, false]))
    expect(staged.read).toEqual({ readWholeTable: true, readPredicate: match, readPredicateText: "part = 'a'", readFiles: ['x'], readAppIds: [] })
  })

  it("removes a domain with the snapshot's configuration, and a second setting of a domain replaces the first", async () => {
    const { engine } = await tickingTable()
    const txn = Transaction.begin(engine, await loadSnapshot(engine), { operation: { kind: 'custom', operation: 'TEST', parameters: {} } })
    expect(txn.setDomainMetadata('d', '1').setDomainMetadata('d', '2').staged().domains).toEqual([{ domain: 'd', configuration: '2', removed: false }])
    expect(txn.removeDomainMetadata('d').staged().domains).toEqual([{ domain: 'd', configuration: '', removed: true }])
  })
})

describe('Transaction.updateDeletionVectors', () => {
  const DV = { storageType: 'u' as const, pathOrInlineDv: 'ab^-aqEH.-t@S}K{vb[*k^', offset: 1, sizeInBytes: 36, cardinality: 2 }

  it('stages a remove of the file as it was and an add of it with the new vector, for updated paths only', async () => {
    const { engine } = await tickingTable()
    const snapshot = await loadSnapshot(engine)
    const [a, b] = snapshot.files()
    if (a === undefined || b === undefined) throw new Error('expected two files')
    const txn = Transaction.begin(engine, snapshot, { operation: { kind: 'delete' } })
    const staged = txn.updateDeletionVectors(new Map([[a.path, DV]]), [a, b]).staged()
    expect(staged.removes).toEqual([expect.objectContaining({ path: a.path, deletionTimestamp: txn.now, dataChange: true })])
    expect(staged.removes[0]?.deletionVector).toBeUndefined()
    expect(staged.adds).toEqual([{ ...a, deletionVector: DV, dataChange: true }])
  })

  it('refuses an update of a path that is not among the files (InvalidArgument, context.path), staging nothing', async () => {
    const { engine } = await tickingTable()
    const snapshot = await loadSnapshot(engine)
    const txn = Transaction.begin(engine, snapshot, { operation: { kind: 'delete' } })
    const updates = new Map([[snapshot.files()[0]?.path ?? '', DV], ['gone.parquet', DV]])
    expect(() => txn.updateDeletionVectors(updates, snapshot.files())).toThrow(expect.objectContaining({ code: 'InvalidArgument', context: { path: 'gone.parquet' } }))
    expect([txn.staged().removes, txn.staged().adds]).toEqual([[], []])
  })
})

describe('Transaction.begin feature check', () => {
  it('refuses a table with an unknown writer feature with UnsupportedFeature before any I/O', async () => {
    const { store, engine } = await tickingTable()
    await store.putIfAbsent(commitPath(1), serializeCommit([commitInfo(), protocol(1, 7, { writerFeatures: ['appendOnly', 'futureWriterFeature'] })]))
    const snapshot = await loadSnapshot(engine)
    expect(() => Transaction.begin(engine, snapshot, { operation: { kind: 'optimize' }, intent: { removesData: false } })).toThrow(
      expect.objectContaining({ code: 'UnsupportedFeature', context: { feature: 'futureWriterFeature' } }),
    )
    expect(() => Transaction.begin(engine, snapshot, { operation: { kind: 'optimize' } })).not.toThrow()
  })

  it('refuses a checked create without the protocol and metadata it would check (InvalidArgument)', async () => {
    const { engine } = await tickingTable()
    const options = { operation: { kind: 'optimize' as const }, intent: { removesData: false }, checkCreate: true }
    expect(() => Transaction.begin(engine, undefined, options)).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: expect.stringContaining('found no protocol') }))
  })
})

describe('Transaction commit outcomes', () => {
  it('commits, then reports a logical conflict as an outcome (commit) or a throw (commitOrThrow)', async () => {
    const { engine } = await tickingTable()
    const snapshot = await loadSnapshot(engine)
    const files = snapshot.files()
    const begin = (): Transaction => Transaction.begin(engine, snapshot, { operation: { kind: 'delete' } }).removeFiles(files).readFiles(files.map((f) => f.path))
    await expect(begin().commit()).resolves.toEqual({ status: 'committed', version: 1, attempts: 1 })
    const outcome = await begin().commit()
    expect(outcome.status).toBe('conflict')
    expect(outcome.status === 'conflict' ? { reason: outcome.error.reason, winningVersion: outcome.error.winningVersion } : undefined).toEqual({ reason: 'ConcurrentDeleteDelete', winningVersion: 1 })
    await expect(begin().commitOrThrow()).rejects.toBeInstanceOf(CommitConflictError)
    expect((await loadSnapshot(engine)).version).toBe(1)
  })

  it('skips when a concurrent commit already holds its app transaction', async () => {
    const { engine } = await tickingTable()
    const snapshot = await loadSnapshot(engine)
    const begin = (): Transaction => Transaction.begin(engine, snapshot, { operation: { kind: 'custom', operation: 'TEST', parameters: {} } }).setAppTransaction('job', 1)
    await expect(begin().commit()).resolves.toMatchObject({ status: 'committed', version: 1 })
    await expect(begin().commit()).resolves.toMatchObject({ status: 'skipped', version: 1 })
  })
})

describe('only the Transaction commits', () => {
  const packages = fileURLToPath(new URL('../../../', import.meta.url))
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
  const files = readdirSync(packages).flatMap((p) => {
    try {
      return sources(join(packages, p, 'src')).map((f) => relative(packages, f))
    } catch {
      return []
    }
  })
  const using = (pattern: RegExp): string[] => files.filter((f) => pattern.test(readFileSync(join(packages, f), 'utf8'))).sort()

  it('calls commitWithRetry only in commit/transaction.ts (and defines it in commit/commit-loop.ts)', () => {
    expect(files.length).toBeGreaterThan(100)
    expect(using(/commitWithRetry\(/)).toEqual(['core/src/commit/commit-loop.ts', 'core/src/commit/transaction.ts'])
  })

  it('builds a CommitRequest only in transaction/staged.ts (transaction/commit-request.ts defines it, the loop takes it, the internal entry re-exports it)', () => {
    expect(using(/\bCommitRequest\b/)).toEqual(['core/src/commit/commit-loop.ts', 'core/src/internal.ts', 'core/src/transaction/commit-request.ts', 'core/src/transaction/staged.ts'])
  })
})
