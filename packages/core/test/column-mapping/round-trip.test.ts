// Writing column-mapped tables (PROTOCOL.md#Column Mapping), modes name and id: a sequence of
// append, DELETE, UPDATE, MERGE, partition DELETE, replaceWhere overwrite and optimize, with deletion
// vectors on and off, change data feed on and off, partitioned and not, agrees with a model after
// every step and at every earlier version; every data and change data file names its columns by
// physical name with the column mapping id as Parquet field_id; stats and partition values are
// keyed by physical names.

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../../src/internal.js'
import type { Engine } from '../../src/internal.js'
import { comparable, createMappedTable, footerColumns, rowsAt, rowsFrom, toRow } from './helpers.js'
import type { CmRow, CmTableOptions } from './helpers.js'

/** Physical name and id of every field of the schema (nested too), by dotted logical path. */
function mapping(table: DeltaTable): Map<string, { physical: string; id: number }> {
  const out = new Map<string, { physical: string; id: number }>()
  const walk = (fields: DeltaTable['schema']['fields'], prefix: string): void => {
    for (const f of fields) {
      out.set(prefix + f.name, { physical: String(f.metadata['delta.columnMapping.physicalName']), id: Number(f.metadata['delta.columnMapping.id']) })
      if (f.type.kind === 'struct') walk(f.type.fields, `${prefix}${f.name}.`)
    }
  }
  walk(table.schema.fields, '')
  return out
}

async function checkFiles(store: MemoryStore, engine: Engine, o: CmTableOptions): Promise<void> {
  const table = await DeltaTable.open(engine)
  const map = mapping(table)
  const physicalOf = (path: string): string => path.split('.').map((_, i, parts) => map.get(parts.slice(0, i + 1).join('.'))?.physical).join('.')
  const dataColumns = ['id', 'v', 's.x', 's.y', ...(o.partitioned ? [] : ['p'])]
  const expected = dataColumns.map((c) => ({ path: physicalOf(c), fieldId: map.get(c)?.id })).sort((a, b) => a.path.localeCompare(b.path))
  for (const add of table.files()) {
    const columns = (await footerColumns(store, add)).sort((a, b) => a.path.localeCompare(b.path))
    expect(columns).toEqual(expected)
    const stats = JSON.parse(add.stats ?? '{}') as { minValues?: Record<string, unknown>; nullCount?: Record<string, unknown> }
    for (const key of Object.keys(stats.nullCount ?? {})) expect(key).toMatch(/^col-[0-9a-f-]{36}$/)
    expect(Object.keys(stats.minValues ?? {})).toContain(map.get('id')?.physical)
    expect(Object.keys(add.partitionValues)).toEqual(o.partitioned ? [map.get('p')?.physical] : [])
  }
}

/** Runs the steps on the table and on the model; returns the model at every version. */
async function runSteps(store: MemoryStore, engine: Engine, o: CmTableOptions): Promise<CmRow[][]> {
  const versions: CmRow[][] = [[]]
  let model: CmRow[] = []
  const step = async (next: CmRow[]): Promise<void> => {
    model = next.sort((a, b) => a.id - b.id)
    const version = (await DeltaTable.open(engine)).version
    if (version === versions.length) versions.push(model)
    expect(version).toBe(versions.length - 1)
    expect(await rowsAt(engine)).toEqual(model)
    await checkFiles(store, engine, o)
  }
  const open = (): Promise<DeltaTable> => DeltaTable.open(engine)
  await (await open()).write(rowsFrom(1, 30).map(toRow), { mode: 'append' })
  await step(rowsFrom(1, 30))
  const deleted = await (await open()).delete('v > 200 AND s.x IS NOT NULL')
  expect(deleted.metrics.numDeletedRows).toBe(model.filter((r) => (r.v ?? 0) > 200 && r.s !== null).length)
  await step(model.filter((r) => !((r.v ?? 0) > 200 && r.s !== null)))
  await (await open()).update({ set: { v: 'v + 1' }, where: 'id < 10 AND s.y > 1' })
  await step(model.map((r) => (r.id < 10 && r.s !== null && (r.s.y ?? 0) > 1 ? { ...r, v: r.v === null ? null : r.v + 1 } : r)))
  const source = rowsFrom(25, 16).map((r) => ({ ...r, v: (r.v ?? 0) + 7 }))
  await (await open()).merge(source.map(toRow), { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
  await step([...model.filter((r) => !source.some((s) => s.id === r.id)), ...source])
  await (await open()).delete("p = 'a'")
  await step(model.filter((r) => r.p !== 'a'))
  // Under the change data feed a replaceWhere must not rewrite rows (unpartitioned: it would).
  if (o.partitioned || !o.cdf) {
    const replacement = [{ id: 100, p: 'b', v: 1, s: { x: 'r', y: 0.5 } }]
    await (await open()).write(replacement.map(toRow), { mode: 'overwrite', replaceWhere: "p = 'b'" })
    await step([...model.filter((r) => r.p !== 'b'), ...replacement])
  }
  await (await open()).optimize(o.dv ? { purge: true } : {})
  await step([...model])
  return versions
}

const CASES: [CmTableOptions['mode'], boolean, boolean, boolean][] = [
  ['name', true, true, true],
  ['name', false, false, false],
  ['name', true, false, false],
  ['name', false, true, true],
  ['id', true, true, false],
  ['id', false, false, true],
]

describe('writing column-mapped tables', () => {
  it.each(CASES)('mode %s (DV %s, change data feed %s, partitioned %s): every operation agrees with the model, at every version', async (mode, dv, cdf, partitioned) => {
    const o = { mode, dv, cdf, partitioned }
    const store = new MemoryStore({ url: 'memory://cm' })
    const engine = await createMappedTable(store, o)
    const versions = await runSteps(store, engine, o)
    for (const [version, rows] of versions.entries()) expect(await rowsAt(engine, version), `version ${version}`).toEqual(rows)
    if (cdf) {
      const cdc: string[] = []
      for await (const m of store.list('_change_data/')) cdc.push(m.path)
      expect(cdc.length).toBeGreaterThan(0)
      const map = mapping(await DeltaTable.open(engine))
      const ids = new Map([...map.values()].map((v) => [v.physical, v.id]))
      for (const key of cdc) {
        for (const column of await footerColumns(store, { path: key })) {
          const leaf = column.path.split('.').at(-1) ?? ''
          for (const part of column.path.split('.')) expect(part).toMatch(/^(col-[0-9a-f-]{36}|_change_type)$/)
          expect(column.fieldId).toBe(leaf === '_change_type' ? undefined : ids.get(leaf))
        }
      }
      const feed = await (await DeltaTable.open(engine)).changes({ startingVersion: 2, endingVersion: 2 }).toArray()
      const deletedIds = (versions[1] ?? []).filter((r) => !(versions[2] ?? []).some((k) => k.id === r.id)).map((r) => r.id)
      expect(feed.map((r) => r['_change_type'])).toEqual(deletedIds.map(() => 'delete'))
      expect(comparable(feed).map((r) => r.id)).toEqual(deletedIds)
      const merged = await (await DeltaTable.open(engine)).changes({ startingVersion: 4, endingVersion: 4 }).toArray()
      const post = comparable(merged.filter((r) => r['_change_type'] !== 'update_preimage' && r['_change_type'] !== 'delete'))
      expect(post).toEqual((versions[4] ?? []).filter((r) => r.id >= 25 && r.id <= 40))
    }
  }, 60_000)
})
