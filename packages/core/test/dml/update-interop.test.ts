// UPDATE across engines and types: lake updates a Spark-written table with deletion vectors (old rows
// join Spark's DVs, new rows go to new files, a SET partition column moves rows) and reads it back;
// and a copy-on-write UPDATE keeps every value of every Delta type in copied and updated rows.

import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Row, StructType } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import { DeltaTable, createEngine, readDeletionVector } from '../../src/internal.js'
import { GOLDEN_DIR } from '../scan-golden-helpers.js'
import { tempLocalTable } from '../table/helpers.js'

const key = (r: Record<string, unknown>): string => `${String(r['part'])}/${String(r['col1'])}/${String(r['col2'])}`

describe('UPDATE on a table Spark wrote with deletion vectors', () => {
  it('unions old rows into the existing DVs, writes new rows (partition moves included) and reads back the expected rows', async () => {
    const t = tempLocalTable()
    try {
      cpSync(join(GOLDEN_DIR, 'dv-partitioned-with-checkpoint'), t.root, { recursive: true })
      const before = await DeltaTable.open(t.store)
      const rows = await before.toArray()
      const withDv = before.files().filter((f) => f.deletionVector)
      const picked = (r: Record<string, unknown>): boolean => Number(r['col1']) % 3 === 0
      const result = await before.update({ set: { col2: "concat(col2, '-u')", part: 'part + 100' }, where: 'col1 % 3 = 0' })
      expect(result.metrics.numUpdatedRows).toBe(rows.filter(picked).length)
      expect(result.metrics.numUpdatedRows).toBeGreaterThan(0)
      const model = rows.map((r) => (picked(r) ? { ...r, col2: `${String(r['col2'])}-u`, part: Number(r['part']) + 100 } : r))
      const after = await DeltaTable.open(t.store)
      expect((await after.toArray()).map(key).sort()).toEqual(model.map(key).sort())
      for (const file of after.files()) {
        const old = withDv.find((f) => f.path === file.path)
        if (old?.deletionVector && file.deletionVector && file.deletionVector.pathOrInlineDv !== old.deletionVector.pathOrInlineDv) {
          const oldRows = [...(await readDeletionVector(t.store, old.deletionVector))]
          expect([...(await readDeletionVector(t.store, file.deletionVector))]).toEqual(expect.arrayContaining(oldRows))
        }
      }
      expect(after.files().some((f) => Number(f.partitionValues['part']) >= 100)).toBe(true)
      expect((await (await DeltaTable.open(t.store, { version: before.version })).toArray()).map(key).sort()).toEqual(rows.map(key).sort())
    } finally {
      t.cleanup()
    }
  })
})

const t = (name: string): StructType['fields'][number]['type'] => ({ kind: 'primitive', name } as StructType['fields'][number]['type'])
const WIDE: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: t('long'), nullable: false, metadata: {} },
    { name: 'amount', type: { kind: 'decimal', precision: 12, scale: 2 }, nullable: true, metadata: {} },
    { name: 'at', type: t('timestamp'), nullable: true, metadata: {} },
    { name: 'local', type: t('timestamp_ntz'), nullable: true, metadata: {} },
    { name: 'day', type: t('date'), nullable: true, metadata: {} },
    { name: 'bytes', type: t('binary'), nullable: true, metadata: {} },
    { name: 'ok', type: t('boolean'), nullable: true, metadata: {} },
    { name: 'ratio', type: t('double'), nullable: true, metadata: {} },
    { name: 'tags', type: { kind: 'array', elementType: t('string'), containsNull: true }, nullable: true, metadata: {} },
    { name: 'attrs', type: { kind: 'map', keyType: t('string'), valueType: t('integer'), valueContainsNull: true }, nullable: true, metadata: {} },
    { name: 'pos', type: { kind: 'struct', fields: [{ name: 'x', type: t('integer'), nullable: false, metadata: {} }] }, nullable: true, metadata: {} },
  ],
}

const wideRow = (id: number): Row => ({
  id: BigInt(id), amount: `${id}.50`, at: '2024-05-01T12:30:00.123456Z', local: '2024-05-01T12:30:00.000001', day: '2024-05-01',
  bytes: new Uint8Array([id, 255]), ok: id % 2 === 0, ratio: id / 4, tags: ['a', null], attrs: new Map([['k', id]]), pos: { x: id },
})

describe('UPDATE keeps values of every type', () => {
  it.each([false, true])('in copied and updated rows (DV %s)', async (dv) => {
    const engine = createEngine(new MemoryStore({ url: 'memory://wide' }))
    await DeltaTable.create(engine, { schema: WIDE, configuration: dv ? { 'delta.enableDeletionVectors': 'true' } : {} })
    await (await DeltaTable.open(engine)).write([0, 1, 2, 3].map(wideRow))
    await (await DeltaTable.open(engine)).update({ set: { amount: 'amount * 2', ok: 'NOT ok' }, where: 'id >= 2' })
    const rows = (await (await DeltaTable.open(engine)).toArray()).sort((a, b) => Number(a['id']) - Number(b['id']))
    const expected = [0, 1, 2, 3].map((id) => (id >= 2 ? { ...wideRow(id), amount: `${2 * id + 1}.00`, ok: id % 2 !== 0 } : wideRow(id)))
    expect(rows).toEqual(expected)
  })
})
