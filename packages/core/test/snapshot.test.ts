// loadSnapshot over an in-memory table: state accessors, hints, I/O budget, failures.

import { countingStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { createEngine, loadSnapshot } from '../src/internal.js'
import type { Action } from '../src/internal.js'
import { add, commitInfo, domain, dv, metadata, protocol, remove, txn } from './helpers/actions.js'
import { MemoryTable } from './helpers/memory-table.js'

/** A table with `latest + 1` commits, each adding one file `f<v>`; checkpoint at `checkpointAt` when given. */
async function tableWithCommits(latest: number, checkpointAt?: number): Promise<MemoryTable> {
  const table = new MemoryTable()
  const live: Action[] = [protocol(), metadata()]
  for (let v = 0; v <= latest; v++) {
    const actions = v === 0 ? [commitInfo(), protocol(), metadata(), add('f0')] : [commitInfo(), add(`f${v}`)]
    await table.commit(v, actions)
    live.push(add(`f${v}`))
    if (v === checkpointAt) {
      await table.checkpoint(v, live)
      await table.lastCheckpoint(JSON.stringify({ version: v, size: live.length }))
    }
  }
  return table
}

describe('loadSnapshot', () => {
  it('exposes the reconciled state of the latest version', async () => {
    const table = new MemoryTable()
    await table.commit(0, [commitInfo({ operation: 'CREATE TABLE' }), protocol(), metadata({ configuration: { 'delta.appendOnly': 'false', 'delta.checkpointInterval': '3' } }), add('a'), txn('app', 1)])
    await table.commit(1, [commitInfo(), add('b'), remove('a'), txn('app', 2), domain('d', 'cfg')], 5_000)
    const snapshot = await loadSnapshot(createEngine(table.store))
    expect(snapshot.version).toBe(1)
    expect(snapshot.files().map((f) => f.path)).toEqual(['b'])
    expect(snapshot.numFiles).toBe(1)
    expect(snapshot.tombstones().map((r) => r.path)).toEqual(['a'])
    expect(snapshot.txnVersion('app')).toBe(2)
    expect(snapshot.txnVersion('other')).toBeUndefined()
    expect(snapshot.domainMetadata.get('d')?.configuration).toBe('cfg')
    expect(snapshot.config.checkpointInterval).toBe(3)
    expect(snapshot.schema.fields.map((f) => f.name)).toEqual(['id', 'part'])
    expect(snapshot.columnMappingMode).toBe('none')
    expect(snapshot.timestamp).toBe(5_000)
    expect(snapshot.commitInfo?.operation).toBe('WRITE')
    expect(snapshot.segment.commits.map((c) => c.version)).toEqual([0, 1])
  })

  it('opens an older version', async () => {
    const table = await tableWithCommits(4)
    const snapshot = await loadSnapshot(createEngine(table.store), { version: 2 })
    expect(snapshot.files().map((f) => f.path).sort()).toEqual(['f0', 'f1', 'f2'])
  })

  it('fails with TableNotFound when the log is empty', async () => {
    await expect(loadSnapshot(createEngine(new MemoryTable().store))).rejects.toMatchObject({ code: 'TableNotFound', name: 'TableError' })
  })

  it('fails with VersionNotFound naming the range', async () => {
    const table = await tableWithCommits(3)
    const p = loadSnapshot(createEngine(table.store), { version: 9 })
    await expect(p).rejects.toMatchObject({ code: 'VersionNotFound', context: { earliest: 0, latest: 3 } })
  })

  it('rejects a negative version and version together with timestamp', async () => {
    const engine = createEngine((await tableWithCommits(1)).store)
    await expect(loadSnapshot(engine, { version: -1 })).rejects.toMatchObject({ code: 'InvalidArgument' })
    await expect(loadSnapshot(engine, { version: 0, timestamp: 0 })).rejects.toMatchObject({ code: 'InvalidArgument' })
  })

  it('refuses a table with an unknown reader feature, naming it', async () => {
    const table = new MemoryTable()
    await table.commit(0, [protocol(3, 7, { readerFeatures: ['quantumStorage'], writerFeatures: ['quantumStorage'] }), metadata()])
    await expect(loadSnapshot(createEngine(table.store))).rejects.toMatchObject({ code: 'UnsupportedFeature', context: { feature: 'quantumStorage' } })
  })

  it('reads column mapping mode only when the protocol supports it', async () => {
    const table = new MemoryTable()
    await table.commit(0, [protocol(1, 2), metadata({ configuration: { 'delta.columnMapping.mode': 'name' } })])
    expect((await loadSnapshot(createEngine(table.store))).columnMappingMode).toBe('none')
    await table.commit(1, [protocol(2, 5)])
    expect((await loadSnapshot(createEngine(table.store))).columnMappingMode).toBe('name')
  })

  it('fails with CorruptLog when a partition column is not in the schema', async () => {
    const table = new MemoryTable()
    await table.commit(0, [protocol(), metadata({ partitionColumns: ['nope'] })])
    await expect(loadSnapshot(createEngine(table.store))).rejects.toMatchObject({ code: 'CorruptLog' })
  })

  it('replays files keyed by deletion vector across a checkpoint', async () => {
    const table = new MemoryTable()
    await table.commit(0, [protocol(3, 7, { readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] }), metadata(), add('p', { stats: '{"numRecords":5}' })])
    await table.commit(1, [remove('p'), add('p', { deletionVector: dv('one', 2), stats: '{"numRecords":5}' })])
    await table.checkpoint(1, [
      protocol(3, 7, { readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] }),
      metadata(),
      add('p', { deletionVector: dv('one', 2), stats: '{"numRecords":5}' }),
      remove('p'),
    ])
    await table.commit(2, [remove('p', { deletionVector: dv('one', 2) }), add('p', { deletionVector: dv('two', 3) })])
    const snapshot = await loadSnapshot(createEngine(table.store))
    expect(snapshot.files()).toHaveLength(1)
    expect(snapshot.files()[0]?.deletionVector).toMatchObject({ pathOrInlineDv: 'two', cardinality: 3 })
    expect(snapshot.segment.checkpoint?.version).toBe(1)
  })
})

describe('loadSnapshot I/O budget', () => {
  it('lists once and reads one checkpoint plus the commits after it', async () => {
    const table = await tableWithCommits(13, 10)
    const counting = countingStore(table.store)
    const snapshot = await loadSnapshot(createEngine(counting.store))
    expect(snapshot.numFiles).toBe(14)
    expect(counting.counts.list).toBe(1)
    expect(counting.counts.head).toBe(0)
    const gets = counting.paths.get
    expect(gets.filter((p) => p.endsWith('.json'))).toEqual([11, 12, 13].map((v) => `_delta_log/${v.toString().padStart(20, '0')}.json`))
    expect(new Set(gets.filter((p) => !p.endsWith('.json')))).toEqual(new Set(['_delta_log/_last_checkpoint', '_delta_log/00000000000000000010.checkpoint.parquet']))
  })

  it('lists from the start when the requested version is before the hinted checkpoint', async () => {
    const table = await tableWithCommits(13, 10)
    const counting = countingStore(table.store)
    const snapshot = await loadSnapshot(createEngine(counting.store), { version: 4 })
    expect(snapshot.numFiles).toBe(5)
    expect(counting.counts.list).toBe(1)
    expect(counting.paths.get.filter((p) => p.endsWith('.json'))).toHaveLength(5)
  })

  it.each([
    ['missing', undefined],
    ['corrupt', '{"version":'],
    ['pointing at a checkpoint that is gone', JSON.stringify({ version: 12 })],
  ])('falls back to a full listing when the hint is %s', async (_, hint) => {
    const table = await tableWithCommits(13, 10)
    if (hint === undefined) await table.store.delete('_delta_log/_last_checkpoint')
    else await table.lastCheckpoint(hint)
    const counting = countingStore(table.store)
    const snapshot = await loadSnapshot(createEngine(counting.store))
    expect(snapshot.numFiles).toBe(14)
    expect(snapshot.segment.checkpoint?.version).toBe(10)
    expect(counting.paths.get.filter((p) => p.endsWith('.json'))).toHaveLength(3)
  })

  it('finds a newer checkpoint than a stale hint in the same listing', async () => {
    const table = await tableWithCommits(13, 10)
    await table.lastCheckpoint(JSON.stringify({ version: 5 }))
    const counting = countingStore(table.store)
    const snapshot = await loadSnapshot(createEngine(counting.store))
    expect(snapshot.segment.checkpoint?.version).toBe(10)
    expect(counting.counts.list).toBe(1)
  })

  it('opens a table whose early commits were cleaned up at every reconstructable version', async () => {
    const table = await tableWithCommits(13, 10)
    for (let v = 0; v < 10; v++) await table.store.delete(`_delta_log/${v.toString().padStart(20, '0')}.json`)
    const engine = createEngine(table.store)
    for (const version of [10, 11, 12, 13]) expect((await loadSnapshot(engine, { version })).numFiles).toBe(version + 1)
    await expect(loadSnapshot(engine, { version: 9 })).rejects.toMatchObject({ code: 'VersionNotFound', context: { earliest: 10, latest: 13 } })
  })
})
