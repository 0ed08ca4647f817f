// Round trip of every Delta type through writeDelta and a scan, partitioned and not, on MemoryStore
// and LocalStore, compared exactly; and partition directories that never escape the table root.

import { readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { DeltaTable, writeDelta } from '../../src/internal.js'
import { ALL_TYPES, PARTITION_BY, P, allTypesRows, field, struct } from './all-types.js'
import { readRows, tempLocalTable } from './helpers.js'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

function makeStore(kind: 'memory' | 'local'): ObjectStore {
  if (kind === 'memory') return new MemoryStore()
  const t = tempLocalTable()
  cleanups.push(t.cleanup)
  return t.store
}

describe('writeDelta round trip of every type', () => {
  it.each([
    ['memory', 'unpartitioned'],
    ['memory', 'partitioned'],
    ['local', 'unpartitioned'],
    ['local', 'partitioned'],
  ] as const)('reads back exactly what it wrote (%s, %s)', async (kind, layout) => {
    const store = makeStore(kind)
    const partitionBy = layout === 'partitioned' ? PARTITION_BY : []
    const result = await writeDelta(store, allTypesRows(), { schema: ALL_TYPES, partitionBy, maxRowsPerFile: 2 })
    expect(result).toMatchObject({ status: 'committed', version: 0, numRows: 5 })

    expect(await readRows(store)).toEqual(allTypesRows())
    const table = await DeltaTable.open(store)
    expect(table.schema).toEqual(ALL_TYPES)
    expect(table.partitionColumns).toEqual(partitionBy)
    // timestamp_ntz needs table features: reader 3 / writer 7 naming it, nothing more.
    expect(table.protocol).toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['timestampNtz'] })
    const numRecords = table.files().map((f) => (JSON.parse(f.stats ?? '{}') as { numRecords: number }).numRecords)
    expect(numRecords.reduce((a, b) => a + b, 0)).toBe(5)
    if (layout === 'partitioned') {
      expect(table.files()).toHaveLength(5)
      expect(table.files().every((f) => f.path.startsWith('s='))).toBe(true)
      const nullRow = table.files().find((f) => f.partitionValues['s'] === null)
      expect(nullRow?.path).toMatch(/^s=__HIVE_DEFAULT_PARTITION__\/l=__HIVE_DEFAULT_PARTITION__\//)
    } else {
      expect(table.files()).toHaveLength(3)
    }
  })

  it('writes protocol 1/2 for a table without features', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ id: 1n }], { schema: struct(field('id', P('long'))) })
    expect((await DeltaTable.open(store)).protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 2 })
  })

  it('reads an empty-string partition value as null, as the protocol says', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ id: 1, p: '' }], { schema: struct(field('id', P('integer')), field('p', P('string'))), partitionBy: ['p'] })
    expect(await readRows(store)).toEqual([{ id: 1, p: null }])
  })
})

describe('add action stats', () => {
  it('bound every value: truncated strings, millisecond timestamps, no NaN, nested structs', async () => {
    const store = new MemoryStore()
    const schema = struct(field('s', P('string')), field('d', P('double')), field('ts', P('timestamp')), field('st', struct(field('x', P('integer')))), field('p', P('string')))
    const rows = [
      { s: 'a'.repeat(40), d: Number.NaN, ts: '2024-01-01T00:00:00.000001Z', st: { x: 1 }, p: 'k' },
      { s: 'b'.repeat(40), d: 1.5, ts: '2024-01-01T00:00:00.999999Z', st: null, p: 'k' },
    ]
    await writeDelta(store, rows, { schema, partitionBy: ['p'] })
    const [add] = (await DeltaTable.open(store)).files()
    expect(JSON.parse(add?.stats ?? '')).toEqual({
      numRecords: 2,
      minValues: { s: 'a'.repeat(32), ts: '2024-01-01T00:00:00.000Z', st: { x: 1 } },
      maxValues: { s: `${'b'.repeat(32)}\u007f`, ts: '2024-01-01T00:00:01.000Z', st: { x: 1 } },
      nullCount: { s: 0, d: 0, ts: 0, st: { x: 1 } },
    })
  })
})

describe('partition directories', () => {
  const hostile = ['..', '.', '../../outside', '/etc/passwd', 'a/../../b', '%2e%2e%2f', '\\..\\x', 'x\0y', 'C:\\x', '=', ' ', '\n']

  it('never place a file outside the table directory, whatever the value', async () => {
    const t = tempLocalTable()
    cleanups.push(t.cleanup)
    const schema = struct(field('id', P('integer')), field('p', P('string')), field('q', P('string')))
    const rows = hostile.map((p, id) => ({ id, p, q: hostile[hostile.length - 1 - id] ?? null }))
    await writeDelta(t.store, rows, { schema, partitionBy: ['p', 'q'] })

    for (const file of walk(t.dir)) {
      const inside = relative(t.root, file)
      expect(inside.startsWith('..'), file).toBe(false)
      const top = inside.split(sep)[0] ?? ''
      expect(top === '_delta_log' || top.startsWith('p='), file).toBe(true)
    }
    expect(await readRows(t.store)).toEqual(rows)
    const table = await DeltaTable.open(t.store)
    for (const add of table.files()) expect(add.path).toMatch(/^p=[^/]*\/q=[^/]*\/part-00000-[0-9a-f-]{36}-c000\.zstd\.parquet$/)
  })
})

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}
