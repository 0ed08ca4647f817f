// Partitioning errors of writeDelta: an over-long partition value surfaces as "partition value too
// long (N bytes) for column c" instead of a raw ENAMETOOLONG, and partitionBy on an existing table
// must match its partition columns.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { DeltaTable, checkPartitionBy, writeDelta } from '../../src/internal.js'
import type { WriteOptions } from '../../src/internal.js'
import { EVENTS } from '../maintenance/helpers.js'
import { listKeys, tempLocalTable } from './helpers.js'

async function* stream(rows: readonly unknown[]): AsyncIterable<unknown> {
  yield* rows
}

describe('a partition value too long for a file name', () => {
  it.each([
    ['ascii', 'x'.repeat(300), 300],
    ['multi-byte', 'é'.repeat(200), 400],
  ])('is a SchemaError naming the column and the value bytes (%s), and commits nothing', async (_what, day, bytes) => {
    const t = tempLocalTable()
    try {
      await writeDelta(t.root, [{ id: 1n, day: 'a' }], { schema: EVENTS, partitionBy: ['day'] })
      const expected = { name: 'SchemaError', code: 'SchemaMismatch', context: { column: 'day', bytes } }
      await expect(writeDelta(t.root, [{ id: 2n, day }], { mode: 'append' })).rejects.toMatchObject(expected)
      await expect(writeDelta(t.root, stream([{ id: 2n, day }]), { mode: 'append' })).rejects.toThrow(
        new RegExp(`^partition value too long \\(${bytes} bytes\\) for column 'day': its directory name 'day=…' is \\d+ bytes after escaping, expected at most 255 bytes`),
      )
      const table = await DeltaTable.open(t.root)
      expect(table.version).toBe(0)
      expect(await table.toArray()).toEqual([{ id: 1n, day: 'a' }])
    } finally {
      t.cleanup()
    }
  })
})

describe('partitionBy on an existing table', () => {
  const mismatches: [string, WriteOptions][] = [
    ['another column', { mode: 'append', partitionBy: ['id'] }],
    ['no column', { mode: 'append', partitionBy: [] }],
    ['an extra column', { mode: 'overwrite', partitionBy: ['day', 'id'] }],
  ]
  it.each(mismatches)('is an InvalidArgument naming both partitionings when it differs (%s), for arrays and streams', async (_what, options) => {
    const store = new MemoryStore()
    await writeDelta(store, [{ id: 1n, day: 'a' }], { schema: EVENTS, partitionBy: ['day'] })
    const before = await listKeys(store)
    const wanted = (options.partitionBy ?? []).join(', ')
    const expected = { code: 'InvalidArgument', context: { partitionBy: (options.partitionBy ?? []).join(','), partitionColumns: 'day' } }
    await expect(writeDelta(store, [{ id: 2n, day: 'b' }], options)).rejects.toMatchObject(expected)
    await expect(writeDelta(store, stream([{ id: 2n, day: 'b' }]), options)).rejects.toThrow(`partitionBy [${wanted}] differs from the table's partition columns [day]`)
    expect(await listKeys(store)).toEqual(before)
  })

  it('is checked by the exported checkPartitionBy (for writers outside writeDelta)', () => {
    expect(() => checkPartitionBy({ partitionColumns: ['day'] }, undefined)).not.toThrow()
    expect(() => checkPartitionBy({ partitionColumns: ['day'] }, ['day'])).not.toThrow()
    expect(() => checkPartitionBy({ partitionColumns: ['a', 'b'] }, ['b', 'a'])).toThrow(expect.objectContaining({ code: 'InvalidArgument', context: { partitionBy: 'b,a', partitionColumns: 'a,b' } }))
  })

  it('is accepted when it names the same columns', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ id: 1n, day: 'a' }], { schema: EVENTS, partitionBy: ['day'] })
    expect(await writeDelta(store, [{ id: 2n, day: 'b' }], { mode: 'append', partitionBy: ['day'] })).toMatchObject({ status: 'committed', version: 1 })
  })
})
