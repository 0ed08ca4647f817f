// `delta.dataSkippingNumIndexedCols` in @lake/ingest: appendRows, appendNdjson (on the calling thread
// and in encoder workers), appendCsv and an ingest job write file statistics only for the table's first
// N leaf columns, as writeDelta does; with `delta.dataSkippingStatsColumns` only for the listed ones.
// Before, every ingest path wrote stats for the first 32 columns.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable, writeDelta } from '@lake/core'
import type { StructType } from '@lake/core'
import { MemoryStore } from '@lake/storage'
import { appendCsv, appendNdjson, appendRows, NdjsonSource, runIngestJob } from '../src/index.js'
import { tempDir } from './temp-dir.js'

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'a', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} },
    { name: 'b', type: { kind: 'struct', fields: [{ name: 'x', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} }] }, nullable: true, metadata: {} },
    { name: 'c', type: { kind: 'primitive', name: 'double' }, nullable: true, metadata: {} },
    { name: 'd', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
  ],
}

const bytesOf = (text: string): AsyncIterable<Uint8Array> => (async function* () { yield new TextEncoder().encode(text) })()
const record = (i: number): Record<string, unknown> => ({ a: i, b: { x: `x${i}` }, c: i / 2, d: `d${i}` })
const ndjson = (n: number): string => Array.from({ length: n }, (_, i) => JSON.stringify(record(i))).join('\n') + '\n'

/** A new table with `delta.dataSkippingNumIndexedCols` = 2 (stats for `a` and `b.x` only) and one row written by writeDelta. */
async function limitedTable(): Promise<MemoryStore> {
  const store = new MemoryStore()
  await writeDelta(store, [{ a: -1n, b: { x: 'w' }, c: 0, d: 'w' }], { schema: SCHEMA, configuration: { 'delta.dataSkippingNumIndexedCols': '2' } })
  return store
}

/** The stats of every data file: the columns with a min value, and those with a null count. */
async function statsColumns(store: MemoryStore): Promise<{ min: string[]; nulls: string[] }[]> {
  const table = await DeltaTable.open(store)
  return table.files().map((add) => {
    const stats = JSON.parse(add.stats ?? '{}') as { minValues?: object; nullCount?: object }
    return { min: leaves(stats.minValues ?? {}), nulls: leaves(stats.nullCount ?? {}) }
  })
}

/** The dotted paths of the leaves of a stats object. */
function leaves(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? leaves(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

const INDEXED = ['a', 'b.x']

async function expectLimited(store: MemoryStore, files: number): Promise<void> {
  const stats = await statsColumns(store)
  expect(stats).toHaveLength(files)
  for (const s of stats) {
    expect(s.nulls).toEqual(INDEXED)
    expect(INDEXED).toEqual(expect.arrayContaining(s.min)) // no min for a column of nulls only (CSV without b)
  }
}

describe('ingest honours delta.dataSkippingNumIndexedCols', () => {
  it('writeDelta (the reference) and appendRows on the calling thread and in a worker', async () => {
    const store = await limitedTable()
    await expectLimited(store, 1)
    await appendRows(store, [record(1), record(2)], { encoders: 0 })
    await appendRows(store, [record(3)], { encoders: 1 })
    await expectLimited(store, 3)
  }, 60_000)

  it('appendNdjson and appendCsv on the calling thread and in workers', async () => {
    const store = await limitedTable()
    await appendNdjson(store, bytesOf(ndjson(3)), { encoders: 0 })
    await appendNdjson(store, bytesOf(ndjson(3)), { encoders: 1 })
    const csv = 'a,c,d\n1,0.5,d1\n2,1,d2\n'
    await appendCsv(store, bytesOf(csv), { encoders: 0 })
    await appendCsv(store, bytesOf(csv), { encoders: 1 })
    await expectLimited(store, 5)
    expect(await (await DeltaTable.open(store)).toArray()).toHaveLength(11)
  }, 60_000)

  it('delta.dataSkippingStatsColumns: appendNdjson in a worker, appendCsv and an ingest job keep the listed columns only', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ a: -1n, b: { x: 'w' }, c: 0, d: 'w' }], { schema: SCHEMA, configuration: { 'delta.dataSkippingStatsColumns': 'd,B.x' } })
    await appendNdjson(store, bytesOf(ndjson(3)), { encoders: 1 })
    await appendCsv(store, bytesOf('a,c,d\n1,0.5,d1\n'), { encoders: 0 })
    const path = join(tempDir('lake-stats-job-'), 'in.ndjson')
    writeFileSync(path, ndjson(2))
    await runIngestJob({ table: store, appId: 'stats', source: new NdjsonSource({ path }), encoders: 0 })
    const stats = await statsColumns(store)
    expect(stats).toHaveLength(4)
    for (const s of stats) expect(s.nulls).toEqual(['b.x', 'd'])
  }, 60_000)

  it('an ingest job', async () => {
    const store = await limitedTable()
    const path = join(tempDir('lake-stats-job-'), 'in.ndjson')
    writeFileSync(path, ndjson(4))
    await runIngestJob({ table: store, appId: 'stats', source: new NdjsonSource({ path }), encoders: 0 })
    await expectLimited(store, 2)
  }, 60_000)
})
