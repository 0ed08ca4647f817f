// An add action of a partitioned table without an entry for a partition column is a corrupt log
// (CorruptLog naming the file and the column), while an explicit null entry is a valid NULL.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { DeltaTable, commitPath, createEngine, parsePartitionValues, serializeCommit, writeDelta } from '../../src/internal.js'
import type { AddFile } from '../../src/internal.js'
import { commitInfo } from '../helpers/actions.js'
import { EVENTS } from '../maintenance/helpers.js'

/** A table partitioned by `day` whose only file holds a NULL day, then the same file re-added with `partitionValues`. */
async function table(partitionValues: Record<string, string | null>): Promise<MemoryStore> {
  const store = new MemoryStore()
  await writeDelta(store, [{ id: 1n, day: null }], { schema: EVENTS, partitionBy: ['day'] })
  const [file] = (await DeltaTable.open(store)).files() as AddFile[]
  if (file === undefined) throw new Error('no file written')
  expect(file.partitionValues).toEqual({ day: null })
  const readd: AddFile = { ...file, partitionValues }
  await store.putIfAbsent(commitPath(1), serializeCommit([commitInfo(), { kind: 'remove', remove: { path: file.path, dataChange: true } }, { kind: 'add', add: readd }]))
  return store
}

describe('an add without a partition value', () => {
  it('reads an explicit null as NULL', async () => {
    const rows = await (await DeltaTable.open(await table({ day: null }))).toArray()
    expect(rows).toEqual([{ id: 1n, day: null }])
  })

  it.each([undefined, "day = 'a'", 'id = 1'])('fails every scan (filter %s) with CorruptLog naming the file and the column', async (filter) => {
    const store = await table({ other: 'x' })
    const t = await DeltaTable.open(createEngine(store))
    const path = t.files()[0]?.path
    const read = t.toArray(filter === undefined ? {} : { filter })
    await expect(read).rejects.toMatchObject({ code: 'CorruptLog', context: { column: 'day', path } })
    await expect(t.toArray(filter === undefined ? {} : { filter })).rejects.toThrow(
      `add action of file '${path}' has no partition value for column 'day': expected the key in partitionValues (null for a NULL value), found keys 'other'`,
    )
  })

  it('is refused by parsePartitionValues, which keys rows without a prototype', () => {
    const columns = [{ name: '__proto__', physicalName: '__proto__', type: { kind: 'primitive', name: 'string' } as const }]
    expect(() => parsePartitionValues({}, columns, 'f.parquet')).toThrow(/no partition value for column '__proto__'/)
    const row = parsePartitionValues(JSON.parse('{"__proto__":"x"}') as Record<string, string>, columns)
    expect(Object.keys(row)).toEqual(['__proto__'])
    expect(row['__proto__']).toBe('x')
  })
})
