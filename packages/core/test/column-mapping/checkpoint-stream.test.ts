// A column-mapped table after lake's checkpoint reads the same rows at the checkpoint's version and
// after it (partition values and stats keyed by physical names survive the checkpoint's Parquet),
// and a stream from one column-mapped table writes into another through its sink.

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/internal.js'
import { createMappedTable, rowsAt, rowsFrom, toRow } from './helpers.js'

describe('column-mapped tables with checkpoints and streams', () => {
  it('a checkpoint keeps rows, partition values and stats; files read after it are pruned by them', async () => {
    const store = new MemoryStore({ url: 'memory://cm-ckpt' })
    const engine = await createMappedTable(store, { mode: 'name', dv: true, cdf: false, partitioned: true })
    await (await DeltaTable.open(engine)).write(rowsFrom(1, 20).map(toRow), { mode: 'append' })
    await (await DeltaTable.open(engine)).delete('id = 4')
    const before = await rowsAt(engine)
    const before2 = (await DeltaTable.open(engine)).files()
    await (await DeltaTable.open(engine)).checkpoint()
    const fresh = createEngine(store)
    expect(await rowsAt(fresh)).toEqual(before)
    const reopened = await DeltaTable.open(fresh)
    expect(reopened.files().map((f) => [f.path, f.partitionValues, f.stats]).sort()).toEqual(before2.map((f) => [f.path, f.partitionValues, f.stats]).sort())
    const deleted = await reopened.delete("p = 'b' AND id > 10")
    expect(deleted.metrics.numDeletionVectorsAdded + deleted.metrics.numDeletionVectorsUpdated).toBe(1)
    expect(await rowsAt(fresh)).toEqual(before.filter((r) => !(r.p === 'b' && r.id > 10)))
  })

  it('a stream writes the rows of a column-mapped table into another one', async () => {
    const source = await createMappedTable(new MemoryStore({ url: 'memory://cm-src' }), { mode: 'id', dv: false, cdf: false, partitioned: false })
    const target = await createMappedTable(new MemoryStore({ url: 'memory://cm-dst' }), { mode: 'name', dv: false, cdf: false, partitioned: true })
    await (await DeltaTable.open(source)).write(rowsFrom(1, 5).map(toRow), { mode: 'append' })
    await (await DeltaTable.open(source)).write(rowsFrom(6, 5).map(toRow), { mode: 'append' })
    const stream = (await DeltaTable.open(source)).stream({ checkpoint: new MemoryStore({ url: 'memory://cm-ck' }) })
    expect(await stream.writeTo(target)).toMatchObject({ rows: 10 })
    expect(await rowsAt(target)).toEqual(rowsFrom(1, 10))
  })
})
