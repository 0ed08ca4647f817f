// Creating column-mapped tables and evolving their schema: ids counting from 1 (nested fields too),
// `col-<uuid>` physical names, `delta.columnMapping.maxColumnId`, protocol (3,7) with the
// columnMapping feature; new columns from writeDelta's and MERGE's schemaMode 'merge' and from
// overwriteSchema get fresh ids above maxColumnId in the same metaData action; pruning by stats and
// partition values under physical names.

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, commitFiles, createEngine, writeDelta } from '../../src/internal.js'
import { assignColumnMapping } from '../../src/schema/assign-column-mapping.js'
import type { StructType } from '@lake/parquet'
import { SCHEMA, createMappedTable, footerColumns, rowsAt, rowsFrom, toRow } from './helpers.js'

const PHYSICAL = 'delta.columnMapping.physicalName'
const ID = 'delta.columnMapping.id'
const UUID_NAME = /^col-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** [logical dotted path, id] of every field, depth-first. */
function ids(schema: StructType, prefix = ''): [string, number][] {
  return schema.fields.flatMap((f): [string, number][] => [
    [prefix + f.name, Number(f.metadata[ID])],
    ...(f.type.kind === 'struct' ? ids(f.type, `${prefix}${f.name}.`) : []),
  ])
}

describe('creating a column-mapped table', () => {
  it.each(['name', 'id'] as const)('mode %s: ids 1..n (nested fields too), col-<uuid> physical names, maxColumnId, protocol (3,7) with columnMapping', async (mode) => {
    const engine = await createMappedTable(new MemoryStore(), { mode, dv: false, cdf: false, partitioned: false })
    const table = await DeltaTable.open(engine)
    expect(ids(table.schema)).toEqual([['id', 1], ['p', 2], ['v', 3], ['s', 4], ['s.x', 5], ['s.y', 6]])
    const names = table.schema.fields.map((f) => f.metadata[PHYSICAL])
    for (const n of names) expect(n).toMatch(UUID_NAME)
    expect(new Set(names).size).toBe(names.length)
    expect(table.metadata.configuration['delta.columnMapping.maxColumnId']).toBe('6')
    expect(table.protocol).toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['columnMapping'], writerFeatures: ['columnMapping'] })
  })

  it('a schema carrying another table\'s mapping gets fresh ids and names (assignColumnMapping)', () => {
    const foreign: StructType = { kind: 'struct', fields: [{ name: 'a', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: { [ID]: 40, [PHYSICAL]: 'col-other' } }] }
    const { schema, configuration } = assignColumnMapping(foreign, 'name', { 'delta.columnMapping.mode': 'name' })
    expect(schema.fields[0]?.metadata[ID]).toBe(1)
    expect(schema.fields[0]?.metadata[PHYSICAL]).toMatch(UUID_NAME)
    expect(configuration['delta.columnMapping.maxColumnId']).toBe('1')
  })

  it('writeDelta creating the table with rows writes them with the physical names it commits', async () => {
    const store = new MemoryStore()
    await writeDelta(store, rowsFrom(1, 6).map(toRow), { schema: SCHEMA, partitionBy: ['p'], configuration: { 'delta.columnMapping.mode': 'id' } })
    const table = await DeltaTable.open(store)
    expect(await rowsAt(createEngine(store))).toEqual(rowsFrom(1, 6))
    const p = String(table.schema.fields[1]?.metadata[PHYSICAL])
    for (const f of table.files()) expect(Object.keys(f.partitionValues)).toEqual([p])
  })

  it('commitFiles refuses to create a column-mapped table from files written before it exists', async () => {
    const store = new MemoryStore()
    await expect(commitFiles(createEngine(store), undefined, [], { newTable: { schema: SCHEMA, configuration: { 'delta.columnMapping.mode': 'name' } } }))
      .rejects.toMatchObject({ name: 'WriteError', code: 'UnsupportedFeature' })
    const keys: string[] = []
    for await (const m of store.list('')) keys.push(m.path)
    expect(keys).toEqual([])
  })

  it('an unknown mode is refused before anything is written', async () => {
    const store = new MemoryStore()
    await expect(DeltaTable.create(createEngine(store), { schema: SCHEMA, configuration: { 'delta.columnMapping.mode': 'fancy' } })).rejects.toMatchObject({ code: 'InvalidConfig' })
    const keys: string[] = []
    for await (const m of store.list('')) keys.push(m.path)
    expect(keys).toEqual([])
  })
})

describe('schema evolution of a column-mapped table', () => {
  it('writeDelta schemaMode merge: a new column gets id maxColumnId + 1 in the same metaData action, and files carry it', async () => {
    const store = new MemoryStore()
    const engine = await createMappedTable(store, { mode: 'name', dv: false, cdf: false, partitioned: true })
    await writeDelta(engine, rowsFrom(1, 3).map(toRow), { mode: 'append' })
    await writeDelta(engine, [{ ...toRow(rowsFrom(4, 1)[0]!), w: 'new' }], { mode: 'append', schemaMode: 'merge' })
    const table = await DeltaTable.open(engine)
    expect(ids(table.schema).at(-1)).toEqual(['w', 7])
    expect(table.schema.fields.at(-1)?.metadata[PHYSICAL]).toMatch(UUID_NAME)
    expect(table.metadata.configuration['delta.columnMapping.maxColumnId']).toBe('7')
    const rows = await table.toArray()
    expect(rows.map((r) => r['w'] ?? null).sort()).toEqual(['new', null, null, null])
    const before = new Set((await DeltaTable.open(engine, { version: 1 })).files().map((f) => f.path))
    const newest = table.files().find((f) => !before.has(f.path))
    expect(newest).toBeDefined()
    expect((await footerColumns(store, newest!)).map((c) => c.fieldId)).toContain(7)
  })

  it('MERGE schemaMode merge with a nested field: fresh ids for the new nested field and the new column', async () => {
    const engine = await createMappedTable(new MemoryStore(), { mode: 'id', dv: true, cdf: true, partitioned: false })
    await writeDelta(engine, rowsFrom(1, 3).map(toRow), { mode: 'append' })
    const source = [{ id: 2n, p: 'b', v: 5, s: { x: 'q', y: 1.5, z: true }, extra: 'e' }]
    await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id', schemaMode: 'merge' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    const table = await DeltaTable.open(engine)
    expect(ids(table.schema)).toEqual([['id', 1], ['p', 2], ['v', 3], ['s', 4], ['s.x', 5], ['s.y', 6], ['s.z', 7], ['extra', 8]])
    expect(table.metadata.configuration['delta.columnMapping.maxColumnId']).toBe('8')
    const two = (await table.toArray()).find((r) => r['id'] === 2n)
    expect(two).toEqual({ id: 2n, p: 'b', v: 5, s: { x: 'q', y: 1.5, z: true }, extra: 'e' })
    const feed = await table.changes({ startingVersion: 2 }).toArray()
    expect(feed.map((r) => r['_change_type']).sort()).toEqual(['update_postimage', 'update_preimage'])
  })

  it('overwriteSchema: columns of the new schema get ids above maxColumnId; older versions still read with theirs', async () => {
    const engine = await createMappedTable(new MemoryStore(), { mode: 'name', dv: false, cdf: false, partitioned: false })
    await writeDelta(engine, rowsFrom(1, 3).map(toRow), { mode: 'append' })
    await writeDelta(engine, [{ k: 'only' }], { mode: 'overwrite', schemaMode: 'overwrite' })
    const table = await DeltaTable.open(engine)
    expect(ids(table.schema)).toEqual([['k', 7]])
    expect(await table.toArray()).toEqual([{ k: 'only' }])
    expect(await rowsAt(engine, 1)).toHaveLength(3)
  })
})

describe('turning column mapping on by replacing a table', () => {
  it('overwriteSchema with delta.columnMapping.mode=name maps the new schema and upgrades the protocol; the old version reads as before', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ k: 1n }], { mode: 'error' })
    await writeDelta(store, [{ k: 2n, w: 'x' }], { mode: 'overwrite', schemaMode: 'overwrite', configuration: { 'delta.columnMapping.mode': 'name' } })
    const table = await DeltaTable.open(store)
    expect(ids(table.schema)).toEqual([['k', 1], ['w', 2]])
    expect(table.protocol).toMatchObject({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['columnMapping'] })
    expect(await table.toArray()).toEqual([{ k: 2n, w: 'x' }])
    expect((await footerColumns(store, table.files()[0]!)).map((c) => c.fieldId)).toEqual([1, 2])
    expect(await (await DeltaTable.open(store, { version: 0 })).toArray()).toEqual([{ k: 1n }])
  })
})

describe('nested types under column mapping', () => {
  it.each(['name', 'id'] as const)('mode %s: structs inside arrays and map values get ids and round-trip', async (mode) => {
    const store = new MemoryStore()
    const inner: StructType = { kind: 'struct', fields: [{ name: 'a', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} }] }
    const schema: StructType = {
      kind: 'struct',
      fields: [
        { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
        { name: 'list', type: { kind: 'array', elementType: inner, containsNull: true }, nullable: true, metadata: {} },
        { name: 'm', type: { kind: 'map', keyType: { kind: 'primitive', name: 'string' }, valueType: inner, valueContainsNull: true }, nullable: true, metadata: {} },
      ],
    }
    const rows = [{ id: 1n, list: [{ a: 'x' }, null, { a: null }], m: new Map([['k', { a: 'y' }]]) }, { id: 2n, list: null, m: null }]
    await writeDelta(store, rows, { schema, configuration: { 'delta.columnMapping.mode': mode } })
    const table = await DeltaTable.open(store)
    expect(table.metadata.configuration['delta.columnMapping.maxColumnId']).toBe('5')
    expect((await table.toArray()).sort((x, y) => Number(x['id']) - Number(y['id']))).toEqual(rows)
    const leaves = await footerColumns(store, table.files()[0]!)
    for (const leaf of leaves) expect(leaf.path.split('.')[0]).toMatch(UUID_NAME)
  })
})

describe('pruning a column-mapped table', () => {
  it('DELETE by partition removes whole files from partition values; DELETE by id reads only files whose stats may match', async () => {
    const engine = await createMappedTable(new MemoryStore(), { mode: 'name', dv: false, cdf: false, partitioned: true })
    for (const from of [1, 31, 61]) await writeDelta(engine, rowsFrom(from, 30).map(toRow), { mode: 'append' })
    const byPartition = await (await DeltaTable.open(engine)).delete("p = 'a'")
    expect(byPartition.metrics).toMatchObject({ numRemovedFiles: 3, numAddedFiles: 0 })
    const byStats = await (await DeltaTable.open(engine)).delete('id = 40')
    expect(byStats.metrics).toMatchObject({ numDeletedRows: 1, numRemovedFiles: 1, numAddedFiles: 1 })
    const scanned = await (await DeltaTable.open(engine)).toArray({ filter: 'id > 85' })
    expect(scanned.map((r) => Number(r['id'])).sort((a, b) => a - b)).toEqual([86, 88, 89])
  })
})
