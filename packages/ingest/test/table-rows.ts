// What the append tests read back from a table: its rows sorted by `id`, and how many data files it has.
import { DeltaTable } from '@lake/core'
import type { MemoryStore, ObjectStore } from '@lake/storage'

/** The table's rows as plain objects, sorted by their `id` (a long). */
export async function rowsOf(store: ObjectStore): Promise<unknown[]> {
  const rows = await (await DeltaTable.open(store)).toArray()
  return rows.map((r) => ({ ...r })).sort((a, b) => (BigInt(a['id'] as bigint) < BigInt(b['id'] as bigint) ? -1 : 1))
}

/** The Parquet files in `store`. */
export async function parquetFiles(store: MemoryStore): Promise<number> {
  let n = 0
  for await (const o of store.list('')) if (o.path.endsWith('.parquet')) n++
  return n
}
