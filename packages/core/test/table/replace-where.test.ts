// replaceWhere through writeDelta: on partition columns (whole files removed), on data columns
// (files straddling the predicate rewritten with their other rows), rejected rows, bad predicates.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { DeltaTable, PredicateError, WriteError, writeDelta } from '../../src/internal.js'
import { P, field, struct } from './all-types.js'
import { listKeys, readRows } from './helpers.js'

const SCHEMA = struct(field('id', P('long')), field('v', P('string')), field('part', P('string')))
const row = (id: number, v: string): { id: bigint; v: string; part: string } => ({ id: BigInt(id), v, part: id % 2 === 0 ? 'even' : 'odd' })
const summary = (rows: readonly Record<string, unknown>[]): string[] => rows.map((r) => `${String(r['id'])}:${String(r['v'])}`)

/** Ids 1..8 with v='old', four rows per file; partitioned by `part` or not. */
async function table(partitioned: boolean): Promise<MemoryStore> {
  const store = new MemoryStore()
  const rows = [1, 2, 3, 4, 5, 6, 7, 8].map((id) => row(id, 'old'))
  await writeDelta(store, rows, { schema: SCHEMA, partitionBy: partitioned ? ['part'] : [], maxRowsPerFile: 4 })
  return store
}

describe('writeDelta with replaceWhere', () => {
  it('on a partition column removes the matching partitions only', async () => {
    const store = await table(true)
    const evenFiles = (await DeltaTable.open(store)).files().filter((f) => f.partitionValues['part'] === 'even').map((f) => f.path)
    const result = await writeDelta(store, [row(1, 'new'), row(9, 'new')], { mode: 'overwrite', replaceWhere: "part = 'odd'" })
    expect(result).toMatchObject({ status: 'committed', version: 1, numFilesAdded: 1, numFilesRemoved: 1 })
    expect(summary(await readRows(store))).toEqual(['1:new', '2:old', '4:old', '6:old', '8:old', '9:new'])
    const t = await DeltaTable.open(store)
    expect(t.files().filter((f) => f.partitionValues['part'] === 'even').map((f) => f.path)).toEqual(evenFiles)
    const [entry] = await t.history({ limit: 1 })
    expect(entry?.operationParameters).toMatchObject({ mode: 'Overwrite', predicate: expect.stringContaining("part = 'odd'") as unknown })
  })

  it('on a data column rewrites the files that straddle the predicate and keeps their other rows', async () => {
    const store = await table(false)
    const before = (await DeltaTable.open(store)).files()
    const untouched = before.find((f) => f.stats?.includes('"minValues":{"id":5') === true)
    expect(untouched).toBeDefined()
    const result = await writeDelta(store, [row(3, 'new'), row(4, 'new')], { mode: 'overwrite', replaceWhere: 'id >= 3 AND id <= 4' })
    // Removed: the file of ids 1-4. Added: the new rows and the rewritten ids 1-2.
    expect(result).toMatchObject({ status: 'committed', version: 1, numFilesAdded: 2, numFilesRemoved: 1, numRows: 2 })
    expect(summary(await readRows(store))).toEqual(['1:old', '2:old', '3:new', '4:new', '5:old', '6:old', '7:old', '8:old'])
    const after = (await DeltaTable.open(store)).files().map((f) => f.path)
    expect(after).toContain(untouched?.path)
    const [entry] = await (await DeltaTable.open(store)).history({ limit: 1 })
    expect(entry?.operationMetrics).toMatchObject({ numFiles: '2', numRemovedFiles: '1', numOutputRows: '4' })
  })

  it('combines partition and data columns', async () => {
    const store = await table(true)
    await writeDelta(store, [row(7, 'new')], { mode: 'overwrite', replaceWhere: "part = 'odd' AND id > 4" })
    expect(summary(await readRows(store))).toEqual(['1:old', '2:old', '3:old', '4:old', '6:old', '7:new', '8:old'])
  })

  it('only adds rows when nothing matches', async () => {
    const store = await table(false)
    expect(await writeDelta(store, [row(100, 'new')], { mode: 'overwrite', replaceWhere: 'id >= 100' })).toMatchObject({ numFilesRemoved: 0 })
    expect(await readRows(store)).toHaveLength(9)
  })

  it.each<[string, Record<string, unknown>]>([
    ['outside the predicate', row(2, 'new')],
    ['null in the predicate column', { id: null, v: 'x', part: 'odd' }],
  ])('rejects a row %s and writes nothing', async (_name, bad) => {
    const store = await table(true)
    const before = await listKeys(store)
    const error = await writeDelta(store, [row(1, 'new'), bad], { mode: 'overwrite', replaceWhere: "part = 'odd' AND id < 100" }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WriteError)
    expect(error).toMatchObject({ code: 'ConstraintViolation', context: { row: 1 } })
    expect(await listKeys(store)).toEqual(before)
  })

  it.each([
    ["nope = 'a'", 'unknown column'],
    ['id = ', 'syntax error'],
    ["id = 'not a number'", 'literal of the wrong type'],
  ])('refuses the predicate %s (%s) and writes nothing', async (predicate) => {
    const store = await table(false)
    const before = await listKeys(store)
    const error = await writeDelta(store, [row(1, 'x')], { mode: 'overwrite', replaceWhere: predicate }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PredicateError)
    expect(error).toMatchObject({ code: 'InvalidPredicate' })
    expect(await listKeys(store)).toEqual(before)
  })

  it('needs mode overwrite', async () => {
    const store = await table(false)
    await expect(writeDelta(store, [row(1, 'x')], { mode: 'append', replaceWhere: 'id = 1' })).rejects.toMatchObject({ name: 'WriteError', code: 'InvalidArgument' })
  })
})
