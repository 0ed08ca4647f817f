// DuckDB reads the data files lake writes for a column-mapped table (DuckDB's `delta` extension cannot
// be installed offline here, so each file is read with read_parquet): parquet_schema shows the physical
// names with the column mapping ids as field_id, and the rows of every live file, renamed back to
// logical names through the table's schema and minus the row indexes of its deletion vector, are
// exactly lake's scan.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine, decodeFilePath, readDeletionVector } from '../../src/internal.js'
import { tempLocalTable } from '../table/helpers.js'
import { createMappedTable, rowsFrom, toRow } from './helpers.js'
import { useDuckDb } from '../helpers/duckdb.js'

const duckDb = useDuckDb()

describe.each([true, false])('DuckDB read_parquet of a column-mapped table lake wrote (deletion vectors %s)', (dv) => {
  it('sees physical names with field ids, and the rows lake scans', async () => {
    const t = tempLocalTable()
    try {
      const engine = await createMappedTable(t.store, { mode: 'name', dv, cdf: false, partitioned: true })
      await (await DeltaTable.open(engine)).write(rowsFrom(1, 40).map(toRow), { mode: 'append' })
      await (await DeltaTable.open(engine)).delete('v > 300')
      await (await DeltaTable.open(engine)).update({ set: { v: 'v * 2' }, where: 'id < 12' })
      await (await DeltaTable.open(engine)).merge(rowsFrom(35, 10).map(toRow), { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
      const table = await DeltaTable.open(createEngine(t.store))
      const byPhysical = new Map(table.schema.fields.map((f) => [String(f.metadata['delta.columnMapping.physicalName']), f]))
      const physicalOf = (name: string): string => [...byPhysical].find(([, f]) => f.name === name)?.[0] ?? ''
      const seen: string[] = []
      for (const add of table.files()) {
        const path = join(t.root, decodeFilePath(add.path)).replaceAll("'", "''")
        const schema = (await duckDb().runAndReadAll(`SELECT name, field_id FROM parquet_schema('${path}') WHERE name <> 'duckdb_schema' AND name <> 'schema'`)).getRowObjectsJson()
        const top = schema.filter((r) => byPhysical.has(String(r['name'])))
        expect(top.map((r) => [byPhysical.get(String(r['name']))?.name, Number(r['field_id'])])).toEqual(
          ['id', 'v', 's'].map((n) => [n, Number(table.schema.fields.find((f) => f.name === n)?.metadata['delta.columnMapping.id'])]),
        )
        const deleted = add.deletionVector ? new Set([...(await readDeletionVector(t.store, add.deletionVector))].map(Number)) : new Set<number>()
        const sql = `SELECT "${physicalOf('id')}" AS id, "${physicalOf('v')}" AS v, file_row_number FROM read_parquet('${path}', file_row_number = true)`
        const rows = (await duckDb().runAndReadAll(sql)).getRowObjectsJson()
        const p = add.partitionValues[physicalOf('p')] ?? null
        for (const r of rows) if (!deleted.has(Number(r['file_row_number']))) seen.push(`${String(r['id'])}/${p}/${String(r['v'])}`)
      }
      const lake = (await table.toArray()).map((r) => `${String(r['id'])}/${String(r['p'])}/${String(r['v'])}`)
      expect(seen.sort()).toEqual(lake.sort())
      expect(lake).toHaveLength(40 - rowsFrom(1, 40).filter((r) => (r.v ?? 0) > 300).length + rowsFrom(35, 10).filter((r) => r.id > 40 || (r.v ?? 0) > 300).length)
    } finally {
      t.cleanup()
    }
  })
})
