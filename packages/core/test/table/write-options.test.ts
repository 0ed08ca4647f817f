import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { DeltaTable, writeDelta } from '../../src/internal.js'
import { P, field, struct } from './all-types.js'
import { listKeys } from './helpers.js'

const schema = struct(field('id', P('long'), false), field('a', P('string')), field('b', P('string')), field('c', P('string')))
const rows = [{ id: 1n, a: 'x', b: 'y', c: 'z' }]

async function created(configuration: Record<string, string> = {}): Promise<MemoryStore> {
  const store = new MemoryStore()
  await writeDelta(store, rows, { schema, configuration })
  return store
}

function statsOf(table: DeltaTable): Record<string, unknown> {
  return JSON.parse(table.files()[0]?.stats ?? '{}') as Record<string, unknown>
}

describe('writeDelta option checks', () => {
  it.each([
    ['rows that are not iterable', 42, {}],
    ['an unknown compression', rows, { compression: 'lz4' }],
    ['a negative txn version for any appId', rows, { mode: 'append', txn: { appId: 'job', version: -1 } }],
  ])('refuses %s with InvalidArgument before writing anything', async (_what, input, options) => {
    const store = await created()
    const before = await listKeys(store)
    // @ts-expect-error plain-JS callers can pass anything
    await expect(writeDelta(store, input, { mode: 'append', ...options })).rejects.toMatchObject({ code: 'InvalidArgument' })
    expect(await listKeys(store)).toEqual(before)
  })

  it('refuses table properties, name or description on an append to an existing table', async () => {
    const store = await created()
    await expect(writeDelta(store, rows, { mode: 'append', configuration: { 'delta.appendOnly': 'true' } })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringMatching(/configuration/),
    })
    await expect(writeDelta(store, rows, { mode: 'append', name: 'events' })).rejects.toMatchObject({ code: 'InvalidArgument' })
  })
})

describe('writeDelta statistics columns', () => {
  it('honours delta.dataSkippingNumIndexedCols on the write that creates the table', async () => {
    const store = await created({ 'delta.dataSkippingNumIndexedCols': '2' })
    expect(Object.keys(statsOf(await DeltaTable.open(store))['nullCount'] as object)).toEqual(['id', 'a'])
  })

  it('collects stats for every column when delta.dataSkippingNumIndexedCols is -1', async () => {
    const store = await created({ 'delta.dataSkippingNumIndexedCols': '-1' })
    await writeDelta(store, rows, { mode: 'append' })
    const table = await DeltaTable.open(store)
    expect(table.files()).toHaveLength(2)
    for (const add of table.files()) expect(Object.keys((JSON.parse(add.stats ?? '{}') as { nullCount: object }).nullCount)).toEqual(['id', 'a', 'b', 'c'])
  })
})

describe('overwriteSchema with new table properties', () => {
  it('upgrades the protocol for a feature the new properties enable', async () => {
    const store = await created()
    await writeDelta(store, rows, { mode: 'overwrite', schemaMode: 'overwrite', configuration: { 'delta.enableChangeDataFeed': 'true' } })
    const table = await DeltaTable.open(store)
    expect(table.metadata.configuration['delta.enableChangeDataFeed']).toBe('true')
    expect(table.protocol.minWriterVersion).toBeGreaterThanOrEqual(4)
  })

  it('refuses to turn on in-commit timestamps for an existing table, leaving it unchanged', async () => {
    const store = await created()
    const before = await listKeys(store)
    await expect(
      writeDelta(store, rows, { mode: 'overwrite', schemaMode: 'overwrite', configuration: { 'delta.enableInCommitTimestamps': 'true' } }),
    ).rejects.toMatchObject({ code: 'UnsupportedFeature' })
    expect(await listKeys(store)).toEqual(before)
  })
})

describe('binary partition values', () => {
  const binSchema = struct(field('id', P('long'), false), field('key', P('binary')))

  it('round-trips valid UTF-8 bytes as the partition value, as Spark stores them', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ id: 1n, key: new Uint8Array([104, 105]) }], { schema: binSchema, partitionBy: ['key'] })
    const table = await DeltaTable.open(store)
    expect(table.files()[0]?.partitionValues).toEqual({ key: 'hi' })
    expect(await table.toArray()).toEqual([{ id: 1n, key: new Uint8Array([104, 105]) }])
  })

  it('refuses bytes that are not valid UTF-8 instead of merging distinct values into one partition', async () => {
    const store = new MemoryStore()
    await expect(writeDelta(store, [{ id: 1n, key: new Uint8Array([0xff, 0xfe]) }], { schema: binSchema, partitionBy: ['key'] })).rejects.toMatchObject({
      code: 'SchemaMismatch',
    })
    expect(await listKeys(store)).toEqual([])
  })
})
