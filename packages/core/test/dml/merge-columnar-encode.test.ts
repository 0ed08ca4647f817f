// The columnar MERGE executor (operations/merge/columnar-execute.ts) writes the deletion vectors while
// its new data file uploads: whichever of the two concurrent writes fails, the other's file is deleted
// and the table stays as it was.

import { MemoryStore, StorageError, faultyStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import { createTable, keys, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'

const rows = (from: number, to: number, p: string): TestRow[] => Array.from({ length: to - from }, (_, i) => ({ id: from + i, p, v: from + i }))

/** An unpartitioned table with deletion vectors: ids 0..19 in two files (v1, v2). */
async function filled(): Promise<MemoryStore> {
  const store = new MemoryStore({ url: 'memory://merge-columnar-encode' })
  const table = await DeltaTable.open(await createTable(store, { dv: true, partitioned: false }))
  await table.write(rows(0, 10, 'a').map(toRow))
  await table.write(rows(10, 20, 'b').map(toRow))
  return store
}

/** Ids 5..9 update (a deletion vector for the first file), 100..104 are new. */
const SOURCE = [...rows(5, 10, 'u'), ...rows(100, 105, 'n')].map(toRow)

const upsert = (table: DeltaTable) => table.merge(SOURCE, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()

describe('MERGE columnar executor: the new rows and the deletion vectors written at once', () => {
  it.each([
    ['the deletion vector file fails to upload (the new data file uploads meanwhile)', /^deletion_vector_/],
    ['the new data file fails to upload (the deletion vectors are written meanwhile)', /^part-.*\.parquet$/],
  ])('leaves table and store as they were when %s', async (_name, path) => {
    const store = await filled()
    const before = await keys(store)
    const failing = createEngine(faultyStore(store, { rules: [{ method: 'putIfAbsent', path, error: new StorageError('Unavailable', 'injected upload failure') }] }))
    await expect(upsert(await DeltaTable.open(failing))).rejects.toMatchObject({ name: 'StorageError', code: 'Unavailable' })
    expect(await keys(store)).toEqual(before)
    expect((await DeltaTable.open(createEngine(store))).version).toBe(2)
  })
})
