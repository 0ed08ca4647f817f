// DELETE and MERGE across engines: lake deletes from (and merges into) a Spark-written table with deletion vectors (the new DVs
// are unions with Spark's), reads it back, and DuckDB's read_parquet of each data file, minus the
// row indexes of lake's deletion vector, equals lake's scan of that file. DuckDB's `delta` extension
// is not used: it cannot be installed offline here.

import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable, decodeFilePath, readDeletionVector } from '../../src/internal.js'
import type { AddFile } from '../../src/internal.js'
import { GOLDEN_DIR } from '../scan-golden-helpers.js'
import { tempLocalTable } from '../table/helpers.js'
import { toRow } from './helpers.js'
import { useDuckDb } from '../helpers/duckdb.js'

const duckDb = useDuckDb()

const key = (r: Record<string, unknown>): string => `${String(r['part'])}/${String(r['col1'])}/${String(r['col2'])}`

describe('DELETE on a table Spark wrote with deletion vectors', () => {
  it('merges new rows into the existing DVs and reads back the expected rows', async () => {
    const t = tempLocalTable()
    try {
      cpSync(join(GOLDEN_DIR, 'dv-partitioned-with-checkpoint'), t.root, { recursive: true })
      const before = await DeltaTable.open(t.store)
      const rows = await before.toArray()
      const withDv = before.files().filter((f) => f.deletionVector)
      expect(withDv.length).toBeGreaterThan(0)
      // One live row of each partition holding a Spark DV (each has more than one live row), and some others.
      const dvParts = withDv.map((f) => Number(f.partitionValues['part']))
      const firstOfDvParts = dvParts.map((part) => rows.find((r) => r['part'] === part))
      expect(dvParts.every((part) => rows.filter((r) => r['part'] === part).length > 1)).toBe(true)
      const victims = [...firstOfDvParts, ...rows.filter((_, i) => i % 7 === 0)].map((r) => Number(r?.['col1']))
      const predicate = `col1 IN (${victims.join(', ')})`
      const result = await before.delete(predicate)
      expect(result.metrics.numDeletedRows).toBe(rows.filter((r) => victims.includes(Number(r['col1']))).length)
      expect(result.metrics.numDeletionVectorsUpdated).toBe(withDv.length)
      const after = await DeltaTable.open(t.store)
      expect((await after.toArray()).map(key).sort()).toEqual(rows.filter((r) => !victims.includes(Number(r['col1']))).map(key).sort())
      for (const file of after.files()) {
        const old = withDv.find((f) => f.path === file.path)
        if (old?.deletionVector && file.deletionVector && file.deletionVector.pathOrInlineDv !== old.deletionVector.pathOrInlineDv) {
          const oldRows = [...(await readDeletionVector(t.store, old.deletionVector))]
          const newRows = [...(await readDeletionVector(t.store, file.deletionVector))]
          expect(newRows).toEqual(expect.arrayContaining(oldRows))
          expect(newRows.length).toBeGreaterThan(oldRows.length)
        }
      }
      expect((await DeltaTable.open(t.store, { version: before.version })).version).toBe(before.version)
      expect(await (await DeltaTable.open(t.store, { version: before.version })).toArray()).toHaveLength(rows.length)
    } finally {
      t.cleanup()
    }
  })
})

describe('MERGE on a table Spark wrote with deletion vectors', () => {
  it('updates rows of files with Spark DVs (unions), inserts new rows, and reads back the expected rows', async () => {
    const t = tempLocalTable()
    try {
      cpSync(join(GOLDEN_DIR, 'dv-partitioned-with-checkpoint'), t.root, { recursive: true })
      const before = await DeltaTable.open(t.store)
      const rows = await before.toArray()
      const withDv = before.files().filter((f) => f.deletionVector)
      const dvParts = withDv.map((f) => Number(f.partitionValues['part']))
      const targets = dvParts.map((part) => rows.find((r) => r['part'] === part)).filter((r) => r !== undefined)
      const source = [...targets.map((r) => ({ ...r, col2: 'merged' })), { part: 0, col1: 1_000_000, col2: 'new' }]
      const result = await before.merge(source, { on: 't.col1 = s.col1 AND t.part = s.part', targetAlias: 't', sourceAlias: 's' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
      expect(result.metrics).toMatchObject({ numTargetRowsUpdated: targets.length, numTargetRowsInserted: 1, numTargetDeletionVectorsUpdated: withDv.length })
      const changed = new Set(targets.map((r) => key(r)))
      const expected = [...rows.map((r) => (changed.has(key(r)) ? { ...r, col2: 'merged' } : r)), { part: 0, col1: 1_000_000, col2: 'new' }]
      expect((await (await DeltaTable.open(t.store)).toArray()).map(key).sort()).toEqual(expected.map(key).sort())
      expect(await (await DeltaTable.open(t.store, { version: before.version })).toArray()).toHaveLength(rows.length)
    } finally {
      t.cleanup()
    }
  })
})

describe('data files of a lake DELETE with deletion vectors, read by DuckDB', () => {
  it('read_parquet(file_row_number) minus the DV row indexes equals lake scan of the file', async () => {
    const t = tempLocalTable()
    try {
      const schema = { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} }, { name: 'p', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} }, { name: 'v', type: { kind: 'primitive', name: 'integer' }, nullable: true, metadata: {} }] } as const
      await DeltaTable.create(t.store, { schema, configuration: { 'delta.enableDeletionVectors': 'true' } })
      await (await DeltaTable.open(t.store)).write(Array.from({ length: 50 }, (_, id) => toRow({ id, p: 'x', v: id % 4 === 0 ? null : id })))
      await (await DeltaTable.open(t.store)).delete('v > 40 OR id < 3')
      await (await DeltaTable.open(t.store)).delete('v IS NULL AND id > 30')
      const table = await DeltaTable.open(t.store)
      const [file] = table.files() as AddFile[]
      expect(file?.deletionVector?.cardinality).toBe(15)
      if (!file?.deletionVector) throw new Error('expected the file to have a deletion vector')
      const deleted = new Set([...(await readDeletionVector(t.store, file.deletionVector))])
      const path = join(t.root, decodeFilePath(file.path)).replaceAll("'", "''")
      const duck = (await duckDb().runAndReadAll(`SELECT id, file_row_number FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`)).getRowObjectsJson()
      const live = duck.filter((r) => !deleted.has(Number(r['file_row_number']))).map((r) => Number(r['id']))
      expect(live).toEqual((await table.toArray()).map((r) => Number(r['id'])))
    } finally {
      t.cleanup()
    }
  })
})
