// PROTOCOL.md#Change Data Files: a data file may hold a `_change_type` column (written by a CDC-aware
// engine); table readers must ignore it. The scan reads only the table's columns.

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, commitFiles, createEngine, engineCodec, loadSnapshot } from '../../src/internal.js'
import type { StructType } from '../../src/internal.js'
import { SCHEMA } from '../dml/helpers.js'

describe('scan of a data file with a stray _change_type column', () => {
  it('drops the column: rows, projections and filters see only the table schema', async () => {
    const store = new MemoryStore({ url: 'memory://stray' })
    const engine = createEngine(store)
    await DeltaTable.create(engine, { schema: SCHEMA, configuration: { 'delta.enableChangeDataFeed': 'true' } })
    const fileSchema: StructType = { kind: 'struct', fields: [...SCHEMA.fields, { name: '_change_type', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} }] }
    const encoded = engineCodec(engine).encode([{ id: 1n, p: 'a', v: 1, _change_type: 'insert' }, { id: 2n, p: 'b', v: null, _change_type: 'update_postimage' }], fileSchema, { compression: 'zstd' })
    const meta = await store.putIfAbsent('part-stray.parquet', encoded.bytes)
    const add = { path: 'part-stray.parquet', partitionValues: {}, size: encoded.bytes.byteLength, modificationTime: meta.lastModified, dataChange: true, stats: JSON.stringify(encoded.stats) }
    await commitFiles(engine, await loadSnapshot(engine), [add])
    const table = await DeltaTable.open(engine)
    expect(await table.toArray()).toEqual([{ id: 1n, p: 'a', v: 1 }, { id: 2n, p: 'b', v: null }])
    expect(await table.toArray({ columns: ['v', 'id'], filter: 'id = 2' })).toEqual([{ v: null, id: 2n }])
    const feed = await table.changes({ startingVersion: 1 }).toArray()
    expect(feed.map((r) => [r['id'], r['_change_type']])).toEqual([[1n, 'insert'], [2n, 'insert']])
  })
})
