// The golden DML test's model: the four operations it runs on a golden table (DELETE, UPDATE, an
// upsert MERGE, a MERGE with WHEN NOT MATCHED BY SOURCE DELETE), each as the lake call and as its
// effect on the rows in memory, with the change rows the change data feed must show for it.

import type { Row } from '@lake/parquet'
import type { DeltaTable } from '../../src/index.js'
import type { GoldenDmlCase } from './cases.js'

/** One operation: what lake runs, and the rows and change rows it should produce from `rows`. */
export interface ModelStep {
  readonly label: string
  run(table: DeltaTable, rows: readonly Row[]): Promise<unknown>
  apply(rows: readonly Row[], version: number): { readonly rows: Row[]; readonly changes: Row[] }
}

const change = (row: Row, type: string, version: number): Row => ({ ...row, _change_type: type, _commit_version: version })

/** Whether the row's key is not null and `key % 4 = m` (SQL: a null key matches no condition). */
function keyMod(c: GoldenDmlCase, row: Row, m: number): boolean {
  const v = row[c.key]
  return v !== null && v !== undefined && Number(v) % 4 === m
}

const keyOf = (c: GoldenDmlCase, row: Row): string => String(row[c.key])

/** A MERGE source: the `merged` rows of the targets whose key % 4 = m (one per key), then new rows. */
function mergeSource(c: GoldenDmlCase, rows: readonly Row[], m: number, newKeys: readonly number[]): Row[] {
  const byKey = new Map<string, Row>()
  for (const r of rows) if (keyMod(c, r, m) && !byKey.has(keyOf(c, r))) byKey.set(keyOf(c, r), c.merged(r))
  const template = rows[0] ?? {}
  return [...byKey.values(), ...newKeys.map((n) => c.inserted(n, template))]
}

/** UPDATE SET * / INSERT * and (optionally) a NOT MATCHED BY SOURCE delete of the keys % 4 = bySource. */
function applyMerge(c: GoldenDmlCase, rows: readonly Row[], source: readonly Row[], version: number, bySource?: number): { rows: Row[]; changes: Row[] } {
  const bySourceKey = new Map(source.map((s) => [keyOf(c, s), s]))
  const matchedKeys = new Set<string>()
  const out: Row[] = []
  const changes: Row[] = []
  for (const r of rows) {
    const s = r[c.key] === null ? undefined : bySourceKey.get(keyOf(c, r))
    if (s !== undefined) {
      matchedKeys.add(keyOf(c, r))
      out.push(s)
      changes.push(change(r, 'update_preimage', version), change(s, 'update_postimage', version))
    } else if (bySource !== undefined && keyMod(c, r, bySource)) {
      changes.push(change(r, 'delete', version))
    } else {
      out.push(r)
    }
  }
  for (const s of source) {
    if (!matchedKeys.has(keyOf(c, s))) {
      out.push(s)
      changes.push(change(s, 'insert', version))
    }
  }
  return { rows: out, changes }
}

/** The four operations, in the order the test runs them. */
export function modelSteps(c: GoldenDmlCase): ModelStep[] {
  const on = `target.${c.key} = source.${c.key}`
  const del = c.deleteMod ?? 1
  return [
    {
      label: 'DELETE',
      run: (table) => table.delete(`${c.key} % 4 = ${del}`),
      apply: (rows, version) => ({
        rows: rows.filter((r) => !keyMod(c, r, del)),
        changes: rows.filter((r) => keyMod(c, r, del)).map((r) => change(r, 'delete', version)),
      }),
    },
    {
      label: 'UPDATE',
      run: (table) => table.update({ set: c.update.set, where: `${c.key} % 4 = 2` }),
      apply: (rows, version) => ({
        rows: rows.map((r) => (keyMod(c, r, 2) ? c.update.apply(r) : r)),
        changes: rows.filter((r) => keyMod(c, r, 2)).flatMap((r) => [change(r, 'update_preimage', version), change(c.update.apply(r), 'update_postimage', version)]),
      }),
    },
    {
      label: 'MERGE upsert',
      run: (table, rows) => table.merge(mergeSource(c, rows, 3, [900_001, 900_003]), { on }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(),
      apply: (rows, version) => applyMerge(c, rows, mergeSource(c, rows, 3, [900_001, 900_003]), version),
    },
    {
      label: 'MERGE by source',
      run: (table, rows) =>
        table.merge(mergeSource(c, rows, 0, [900_004]), { on }).whenMatchedUpdateAll().whenNotMatchedInsertAll()
          .whenNotMatchedBySourceDelete({ condition: `target.${c.key} % 4 = 3` }).execute(),
      apply: (rows, version) => applyMerge(c, rows, mergeSource(c, rows, 0, [900_004]), version, 3),
    },
  ]
}

/** Rows as sorted canonical JSON (bigints marked), for order-free comparison with their JS types. */
export function canonical(rows: readonly Row[], columns: readonly string[]): string[] {
  return rows.map((r) => JSON.stringify(columns.map((col) => r[col] ?? null), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).sort()
}
