// Golden tables with deletion vectors or the change data feed that lake cannot change: both use column
// mapping (name mode), which lake does not write yet. Every DELETE, UPDATE and MERGE is refused with
// ProtocolError UnsupportedFeature naming the feature (a partition predicate included, which would
// otherwise meet partition values keyed by physical names), and the table is left exactly as it was.

import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../../src/index.js'
import { GOLDEN_DIR } from '../helpers/golden.js'
import { listKeys, tempLocalTable } from '../table/helpers.js'
import { REFUSED } from './cases.js'

describe.each(REFUSED)('$name (Spark-written, column mapping) is refused', (c) => {
  const operations: [string, (table: DeltaTable) => Promise<unknown>][] = [
    ['DELETE of every row', (table) => table.delete()],
    ['DELETE by a data column', (table) => table.delete(c.dataPredicate)],
    ['UPDATE', (table) => table.update({ set: c.set, where: c.dataPredicate })],
    ['MERGE upsert', (table) => table.merge([], { on: c.on }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()],
    ['MERGE by source', (table) => table.merge([], { on: c.on }).whenNotMatchedBySourceDelete().execute()],
    ...(c.partitionPredicate === undefined ? [] : [
      ['DELETE by the partition column', (table: DeltaTable) => table.delete(c.partitionPredicate)],
      ['UPDATE by the partition column', (table: DeltaTable) => table.update({ set: c.set, where: c.partitionPredicate })],
    ] as [string, (table: DeltaTable) => Promise<unknown>][]),
  ]

  it.each(operations)('%s: refused with UnsupportedFeature, table unchanged', async (_label, operation) => {
    const t = tempLocalTable()
    try {
      cpSync(join(GOLDEN_DIR, c.root), t.root, { recursive: true })
      const before = await listKeys(t.store)
      const table = await DeltaTable.open(t.store)
      await expect(operation(table)).rejects.toMatchObject({
        name: 'ProtocolError',
        code: 'UnsupportedFeature',
        context: { feature: c.feature },
        message: "cannot write to this table: column mapping mode 'name' is not supported for writing yet",
      })
      expect(await listKeys(t.store)).toEqual(before)
      expect((await DeltaTable.open(t.store)).version).toBe(table.version)
    } finally {
      t.cleanup()
    }
  })
})
