// Change data files lake writes, read by another engine: DuckDB's read_parquet of each `_change_data/`
// file shows the data columns (partition columns left to the path, as Spark writes them) and
// `_change_type`, with exactly the rows changes() returns for that version.

import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine, decodeFilePath } from '../../src/internal.js'
import { SCHEMA, actionsOf, toRow } from '../dml/helpers.js'
import { tempLocalTable } from '../table/helpers.js'

describe('cdc files lake writes', () => {
  it('DuckDB reads them: data columns and _change_type, the rows changes() returns', async () => {
    const t = tempLocalTable()
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
    const con = await instance.connect()
    try {
      await DeltaTable.create(t.store, { schema: SCHEMA, partitionBy: ['p'], configuration: { 'delta.enableChangeDataFeed': 'true' } })
      await (await DeltaTable.open(t.store)).write([0, 1, 2, 3].map((id) => toRow({ id, p: id < 2 ? 'a' : 'b', v: id === 3 ? null : id * 10 })))
      await (await DeltaTable.open(t.store)).delete('id = 0 OR id = 3') // both files rewritten: v2 with two cdc files
      const files = (await actionsOf(createEngine(t.store), 2)).flatMap((a) => (a.kind === 'cdc' ? [a.cdc] : []))
      expect(files).toHaveLength(2)
      const seen: unknown[] = []
      for (const file of files) {
        const result = await con.runAndReadAll(`SELECT * FROM read_parquet('${join(t.root, decodeFilePath(file.path))}', hive_partitioning = false)`)
        expect(result.columnNames()).toEqual(['id', 'v', '_change_type'])
        for (const row of result.getRowObjectsJson()) seen.push({ ...row, p: file.partitionValues['p'] })
      }
      expect(seen).toEqual(expect.arrayContaining([{ id: '0', v: 0, _change_type: 'delete', p: 'a' }, { id: '3', v: null, _change_type: 'delete', p: 'b' }]))
      expect(seen).toHaveLength(2)
      const feed = await (await DeltaTable.open(t.store)).changes({ startingVersion: 2 }).toArray()
      expect(feed.map((r) => [Number(r['id']), r['p'], r['v'], r['_change_type']]).sort()).toEqual([[0, 'a', 0, 'delete'], [3, 'b', null, 'delete']])
    } finally {
      con.closeSync()
      instance.closeSync()
      t.cleanup()
    }
  })
})
