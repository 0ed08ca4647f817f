// mergeSchema (top-level and nested, case-insensitive, incompatible changes) and overwriteSchema
// through writeDelta; a schema change lands in the same commit as its data.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { DeltaTable, SchemaError, WriteError, commitPath, parseCommit, writeDelta } from '../../src/internal.js'
import type { Action } from '../../src/internal.js'
import { P, array, field, map, struct } from './all-types.js'
import { listKeys, readRows } from './helpers.js'

const SCHEMA = struct(
  field('id', P('long')),
  field('st', struct(field('a', P('long')))),
  field('items', array(struct(field('x', P('long'))))),
  field('attrs', map(P('string'), struct(field('v', P('long'))))),
)

async function table(): Promise<MemoryStore> {
  const store = new MemoryStore()
  await writeDelta(store, [{ id: 1n, st: { a: 1n }, items: [{ x: 1n }], attrs: { k: { v: 1n } } }], { schema: SCHEMA })
  return store
}

async function commitKinds(store: ObjectStore, version: number): Promise<string[]> {
  const actions: Action[] = parseCommit(await store.get(commitPath(version)), version)
  return actions.map((a) => a.kind)
}

describe('writeDelta with schemaMode merge', () => {
  it('adds a new top-level column as nullable, in the same commit as the data', async () => {
    const store = await table()
    const result = await writeDelta(store, [{ id: 2n, extra: 'e' }], { mode: 'append', schemaMode: 'merge' })
    expect(result).toMatchObject({ status: 'committed', version: 1 })
    expect(await commitKinds(store, 1)).toEqual(['commitInfo', 'metaData', 'add'])
    const t = await DeltaTable.open(store)
    expect(t.schema.fields.map((f) => [f.name, f.nullable])).toEqual([['id', true], ['st', true], ['items', true], ['attrs', true], ['extra', true]])
    expect((await readRows(store)).map((r) => [r['id'], r['extra']])).toEqual([[1n, null], [2n, 'e']])
  })

  it('adds fields inside a struct, inside array<struct> and inside map values', async () => {
    const store = await table()
    const row = { id: 2n, st: { a: 2n, b: 'sb' }, items: [{ x: 2n, y: true }], attrs: new Map([['k', { v: 2n, w: 2.5 }]]) }
    await writeDelta(store, [row], { mode: 'append', schemaMode: 'merge' })
    const t = await DeltaTable.open(store)
    expect(t.schema).toEqual(
      struct(
        field('id', P('long')),
        field('st', struct(field('a', P('long')), field('b', P('string')))),
        field('items', array(struct(field('x', P('long')), field('y', P('boolean'))))),
        field('attrs', map(P('string'), struct(field('v', P('long')), field('w', P('double'))))),
      ),
    )
    expect(await readRows(store)).toEqual([
      { id: 1n, st: { a: 1n, b: null }, items: [{ x: 1n, y: null }], attrs: new Map([['k', { v: 1n, w: null }]]) },
      { id: 2n, st: { a: 2n, b: 'sb' }, items: [{ x: 2n, y: true }], attrs: new Map([['k', { v: 2n, w: 2.5 }]]) },
    ])
  })

  it('matches names case-insensitively and keeps the table casing', async () => {
    const store = await table()
    const result = await writeDelta(store, [{ ID: 3n, ST: { A: 3n } }], { mode: 'append', schemaMode: 'merge' })
    expect(result).toMatchObject({ status: 'committed', version: 1 })
    expect(await commitKinds(store, 1)).toEqual(['commitInfo', 'add'])
    expect((await DeltaTable.open(store)).schema).toEqual(SCHEMA)
    expect((await readRows(store))[1]).toMatchObject({ id: 3n, st: { a: 3n } })
  })

  it.each<[string, Record<string, unknown>, string]>([
    ['a struct over a long', { id: { a: 1 } }, 'id'],
    ['a long over a struct', { st: 5 }, 'st'],
    ['a boolean into an array', { items: true }, 'items'],
    ['a string into a nested long', { st: { a: 'x' } }, 'st.a'],
  ])('refuses an incompatible change (%s) and leaves the table unchanged', async (_name, row, column) => {
    const store = await table()
    const before = await listKeys(store)
    const error = await writeDelta(store, [row], { mode: 'append', schemaMode: 'merge' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaError)
    expect(error).toMatchObject({ code: 'SchemaMismatch', context: { column } })
    expect(await listKeys(store)).toEqual(before)
  })

  it('upgrades the protocol in the same commit when a new column needs a table feature', async () => {
    const store = await table()
    const schema = struct(...SCHEMA.fields, field('local', P('timestamp_ntz')))
    await writeDelta(store, [{ id: 2n, local: '2024-01-01T00:00:00' }], { mode: 'append', schemaMode: 'merge', schema })
    expect(await commitKinds(store, 1)).toEqual(['commitInfo', 'protocol', 'metaData', 'add'])
    const t = await DeltaTable.open(store)
    expect(t.protocol).toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['appendOnly', 'invariants', 'timestampNtz'] })
    expect((await readRows(store)).map((r) => r['local'])).toEqual([null, '2024-01-01T00:00:00.000000'])
  })

  it('refuses an explicit schema that changes a column type', async () => {
    const store = await table()
    const schema = struct(field('id', P('boolean')))
    await expect(writeDelta(store, [{ id: true }], { mode: 'append', schemaMode: 'merge', schema })).rejects.toMatchObject({ code: 'SchemaMismatch' })
  })
})

describe('writeDelta with schemaMode overwrite', () => {
  it('replaces the schema and the partitioning, removing every old file', async () => {
    const store = await table()
    const schema = struct(field('key', P('string')), field('day', P('date')))
    const result = await writeDelta(store, [{ key: 'a', day: '2024-01-01' }], { mode: 'overwrite', schemaMode: 'overwrite', schema, partitionBy: ['day'] })
    expect(result).toMatchObject({ status: 'committed', version: 1, numFilesAdded: 1, numFilesRemoved: 1 })
    expect(await commitKinds(store, 1)).toEqual(['commitInfo', 'metaData', 'remove', 'add'])
    const t = await DeltaTable.open(store)
    expect(t.schema).toEqual(schema)
    expect(t.partitionColumns).toEqual(['day'])
    expect(await t.toArray()).toEqual([{ key: 'a', day: '2024-01-01' }])
    expect((await DeltaTable.open(store, { version: 0 })).schema).toEqual(SCHEMA)
  })

  it.each(['append', 'error', 'ignore'] as const)('is refused with mode %s (InvalidArgument), writing nothing', async (mode) => {
    const store = await table()
    const before = await listKeys(store)
    const error = await writeDelta(store, [{ key: 'a' }], { mode, schemaMode: 'overwrite' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WriteError)
    expect(error).toMatchObject({ code: 'InvalidArgument' })
    expect(await listKeys(store)).toEqual(before)
  })

  it('refuses a different partitioning without overwriteSchema', async () => {
    const store = await table()
    await expect(writeDelta(store, [{ id: 1n }], { mode: 'overwrite', partitionBy: ['id'] })).rejects.toMatchObject({ name: 'WriteError', code: 'InvalidArgument' })
  })
})
