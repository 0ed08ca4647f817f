// A table whose protocol lists a writer feature lake does not know: every writer (writeDelta in
// each mode, commitFiles, optimize, restore, vacuum, checkpoint, cleanup-log) refuses with
// UnsupportedFeature naming it before writing anything, and reads still work. Checkpoints also
// refuse action fields they cannot hold instead of dropping them.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import {
  DeltaTable, assertWritable, checkpoint, cleanupLog, commitFiles, commitPath, createEngine, loadSnapshot, optimize, restore,
  serializeCommit, unkeptField, unknownWriterFeatures, vacuum, writeDelta,
} from '../../src/internal.js'
import type { Engine, WriteOptions } from '../../src/internal.js'
import { add, commitInfo, protocol } from '../helpers/actions.js'
import { EVENTS } from '../maintenance/helpers.js'
import { listKeys } from './helpers.js'

const FEATURE = 'futureWriterFeature'

/** A table at version 2 (two appends), then version 3 raising the protocol to (1,7) with FEATURE. */
async function futureTable(): Promise<{ store: MemoryStore; engine: Engine }> {
  const store = new MemoryStore()
  const engine = createEngine(store)
  await writeDelta(engine, [{ id: 1n, day: 'a' }], { schema: EVENTS })
  await writeDelta(engine, [{ id: 2n, day: 'a' }], { mode: 'append' })
  await writeDelta(engine, [{ id: 3n, day: 'b' }], { mode: 'append' })
  await store.putIfAbsent(commitPath(3), serializeCommit([commitInfo(), protocol(1, 7, { writerFeatures: ['appendOnly', FEATURE] })]))
  return { store, engine }
}

async function* stream(rows: readonly unknown[]): AsyncIterable<unknown> {
  yield* rows
}

const refusal = { code: 'UnsupportedFeature', context: { feature: FEATURE } }

describe('a table with an unknown writer feature', () => {
  const writes: [string, WriteOptions][] = [
    ['append', { mode: 'append' }],
    ['overwrite', { mode: 'overwrite' }],
    ['replaceWhere', { mode: 'overwrite', replaceWhere: "day = 'a'" }],
    ['mergeSchema', { mode: 'append', schemaMode: 'merge' }],
    ['overwriteSchema', { mode: 'overwrite', schemaMode: 'overwrite' }],
  ]
  it.each(writes)('refuses writeDelta %s (array and stream) before writing any file', async (_name, options) => {
    const { store, engine } = await futureTable()
    const before = await listKeys(store)
    await expect(writeDelta(engine, [{ id: 9n, day: 'a' }], options)).rejects.toMatchObject(refusal)
    await expect(writeDelta(engine, stream([{ id: 9n, day: 'a' }]), options)).rejects.toMatchObject(refusal)
    expect(await listKeys(store)).toEqual(before)
  })

  it.each([
    ['commitFiles', async (e: Engine) => commitFiles(e, await loadSnapshot(e), [])],
    ['optimize', (e: Engine) => optimize(e)],
    ['restore', (e: Engine) => restore(e, { version: 1 })],
    ['vacuum', (e: Engine) => vacuum(e, { dryRun: false, retentionHours: 0, enforceRetention: false })],
    ['checkpoint', (e: Engine) => checkpoint(e)],
    ['cleanupLog', (e: Engine) => cleanupLog(e)],
  ] as const)('refuses %s before writing or deleting anything', async (_name, run) => {
    const { store, engine } = await futureTable()
    const before = await listKeys(store)
    await expect(run(engine)).rejects.toMatchObject(refusal)
    expect(await listKeys(store)).toEqual(before)
  })

  it('is still readable, and names every unknown feature', async () => {
    const { engine } = await futureTable()
    expect((await (await DeltaTable.open(engine)).toArray()).length).toBe(3)
    const p = { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['appendOnly', FEATURE, 'other'] }
    expect(unknownWriterFeatures(p)).toEqual([FEATURE, 'other'])
    expect(() => assertWritable({ protocol: p }, 'vacuum')).toThrow(`cannot vacuum: the table requires writer features '${FEATURE}', 'other', which lake does not implement`)
    expect(() => assertWritable({ protocol: { minReaderVersion: 1, minWriterVersion: 4 } }, 'vacuum')).not.toThrow()
  })
})

describe('checkpoints and unknown action fields', () => {
  it('refuses to checkpoint an add with a field the checkpoint schema has no column for, writing nothing', async () => {
    const store = new MemoryStore()
    const engine = createEngine(store)
    await writeDelta(engine, [{ id: 1n, day: 'a' }], { schema: EVENTS })
    await store.putIfAbsent(commitPath(1), serializeCommit([commitInfo(), add('x.parquet', { futureField: { a: 1 } } as object)]))
    const before = await listKeys(store)
    await expect(checkpoint(engine)).rejects.toMatchObject({ code: 'UnsupportedFeature', context: { action: 'add', field: 'futureField' } })
    await expect(checkpoint(engine)).rejects.toThrow("the add action of file 'x.parquet' has field 'futureField'")
    expect(await listKeys(store)).toEqual(before)
  })

  it('finds unknown fields in nested structs, ignores nulls and what checkpoints may omit', () => {
    const dv = { storageType: 'u', pathOrInlineDv: 'x', sizeInBytes: 1, cardinality: 1 }
    expect(unkeptField('add', { path: 'a', size: 1, deletionVector: { ...dv, extra: 1 } })).toBe('deletionVector.extra')
    expect(unkeptField('add', { path: 'a', stats: '{}', tags: { k: 'v' }, deletionVector: dv, futureNull: null })).toBeUndefined()
    expect(unkeptField('remove', { path: 'a', stats: '{}', tags: { k: 'v' } })).toBeUndefined()
    expect(unkeptField('metaData', { id: 'x', format: { provider: 'parquet', options: {}, codec: 'z' } })).toBe('format.codec')
    expect(unkeptField('protocol', { minReaderVersion: 1, minWriterVersion: 2, futureList: [] })).toBe('futureList')
  })
})
