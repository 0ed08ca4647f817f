// `delta.dataSkippingStatsColumns`: a table listing its stats columns gets min/max/nullCount only for
// those (a struct for all its fields, names case-insensitive, physical names in a column-mapped
// table), even past `dataSkippingNumIndexedCols`, on the row and Arrow write paths, in the first
// commit and later ones; numbers are kept as the writer wrote them. Before, the property was parsed and ignored.
import * as arrow from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { StructField, StructType } from '@lake/parquet'
import { DeltaTable, writeDelta } from '../../src/index.js'

const long = (name: string): StructField => ({ name, type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} })
const SCHEMA: StructType = {
  kind: 'struct',
  fields: [long('a'), { name: 's', type: { kind: 'struct', fields: [long('x'), long('y')] }, nullable: true, metadata: {} }, long('c'), long('d')],
}
const BIG = 9007199254740993n // 2^53 + 1: rounds in a double
const rows = [{ a: 1n, s: { x: 2n, y: 3n }, c: BIG, d: 5n }, { a: 6n, s: null, c: 7n, d: null }]

/** The dotted paths of the leaves of a stats object. */
function leaves(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? leaves(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

async function statsOf(store: MemoryStore): Promise<{ text: string; min: string[]; max: string[]; nulls: string[]; numRecords: number }[]> {
  return (await DeltaTable.open(store)).files().map((add) => {
    const text = add.stats ?? '{}'
    const s = JSON.parse(text) as { minValues: object; maxValues: object; nullCount: object; numRecords: number }
    return { text, min: leaves(s.minValues), max: leaves(s.maxValues), nulls: leaves(s.nullCount), numRecords: s.numRecords }
  })
}

describe('delta.dataSkippingStatsColumns', () => {
  it('keeps stats of the listed columns only (struct fields, case-insensitive, exact longs), in the first commit and in appends', async () => {
    const store = new MemoryStore()
    const configuration = { 'delta.dataSkippingStatsColumns': 'S.y, C', 'delta.dataSkippingNumIndexedCols': '1' }
    await writeDelta(store, rows, { schema: SCHEMA, configuration })
    await writeDelta(store, rows, { mode: 'append' })
    const arrowTable = new arrow.Table({
      a: arrow.vectorFromArray([1n], new arrow.Int64()),
      s: arrow.vectorFromArray([{ x: 2n, y: 3n }], new arrow.Struct([new arrow.Field('x', new arrow.Int64()), new arrow.Field('y', new arrow.Int64())])),
      c: arrow.vectorFromArray([BIG], new arrow.Int64()),
      d: arrow.vectorFromArray([5n], new arrow.Int64()),
    })
    await writeDelta(store, arrowTable, { mode: 'append' })
    const stats = await statsOf(store)
    expect(stats).toHaveLength(3)
    for (const s of stats) {
      expect(s.min).toEqual(['s.y', 'c'])
      expect(s.max).toEqual(['s.y', 'c'])
      expect(s.nulls).toEqual(['s.y', 'c'])
    }
    expect(stats.map((s) => s.numRecords)).toEqual([2, 2, 1])
    // The kept numbers are the writer's text (an exact JSON parse and print: no double in between).
    const plain = new MemoryStore()
    await writeDelta(plain, rows, { schema: SCHEMA })
    const maxC = (text: string | undefined): string | undefined => /"maxValues":\{.*?"c":(\d+)/.exec(text ?? '')?.[1]
    expect(maxC(stats[0]?.text)).toBe(maxC((await statsOf(plain))[0]?.text))
    expect(maxC(stats[0]?.text)).toMatch(/^90071992547409\d\d$/)
  })

  it('a whole struct, and columns past dataSkippingNumIndexedCols', async () => {
    const store = new MemoryStore()
    await writeDelta(store, rows, { schema: SCHEMA, configuration: { 'delta.dataSkippingStatsColumns': 's,d' } })
    const [s] = await statsOf(store)
    expect(s?.nulls).toEqual(['s.x', 's.y', 'd'])
    const many: StructType = { kind: 'struct', fields: Array.from({ length: 40 }, (_, i) => long(`c${i}`)) }
    const wide = new MemoryStore()
    await writeDelta(wide, [Object.fromEntries(many.fields.map((f, i) => [f.name, BigInt(i)]))], { schema: many, configuration: { 'delta.dataSkippingStatsColumns': 'c0,c39' } })
    expect((await statsOf(wide))[0]?.min).toEqual(['c0', 'c39'])
  })

  it('DELETE with deletion vectors, UPDATE, MERGE and optimize keep to the listed columns', async () => {
    const store = new MemoryStore()
    const configuration = { 'delta.dataSkippingStatsColumns': 'c', 'delta.enableDeletionVectors': 'true' }
    await writeDelta(store, rows, { schema: SCHEMA, configuration })
    await writeDelta(store, [{ a: 8n, s: null, c: 9n, d: 10n }], { mode: 'append' })
    const table = await DeltaTable.open(store)
    await table.delete('a = 6')
    await (await DeltaTable.open(store)).update({ set: { d: '0' }, where: 'a = 8' })
    await (await DeltaTable.open(store)).merge([{ a: 11n, s: null, c: 12n, d: 13n }], { on: 'target.a = source.a' }).whenNotMatchedInsertAll().execute()
    await (await DeltaTable.open(store)).optimize()
    const after = await DeltaTable.open(store)
    expect(after.version).toBe(5)
    for (const s of await statsOf(store)) expect(s.nulls).toEqual(['c'])
    expect((await after.toArray()).map((r) => r['a']).sort()).toEqual([1n, 11n, 8n])
  })

  it('keys the kept stats by physical name in a column-mapped table', async () => {
    const store = new MemoryStore()
    await writeDelta(store, rows, { schema: SCHEMA, configuration: { 'delta.columnMapping.mode': 'name', 'delta.dataSkippingStatsColumns': 's.x' } })
    const table = await DeltaTable.open(store)
    const s = table.schema.fields.find((f) => f.name === 's') as StructField
    const x = (s.type.kind === 'struct' ? s.type.fields[0] : undefined) as StructField
    const physical = (f: StructField): string => String(f.metadata['delta.columnMapping.physicalName'])
    expect((await statsOf(store))[0]?.nulls).toEqual([`${physical(s)}.${physical(x)}`])
    expect(await table.toArray({ filter: 's.x = 2' })).toHaveLength(1)
  })
})
