// Shared by the columnar-route tests of DELETE and UPDATE: a DV table of 4 writes with a first DELETE
// (existing DVs), copies of it, a codec counting its column reads, and random WHERE predicates.

import fc from 'fast-check'
import { hyparquetCodec } from '@lake/parquet'
import type { ParquetCodec } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import { DeltaTable } from '../../src/index.js'
import { createTable, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'

/** hyparquet with a count of `readColumns` calls (the columnar route's reads). */
export function countingCodec(): { codec: ParquetCodec; reads: { columns: number } } {
  const reads = { columns: 0 }
  const codec: ParquetCodec = {
    ...hyparquetCodec,
    readColumns(file, schema, options) {
      reads.columns++
      return hyparquetCodec.readColumns?.(file, schema, options) as AsyncIterable<never>
    },
  }
  return { codec, reads }
}

const P = ['a', 'b', null] as const
export const rowsOf = (from: number, count: number): TestRow[] =>
  Array.from({ length: count }, (_, i) => ({ id: from + i, p: P[(from + i) % 3] ?? null, v: (from + i) % 4 === 0 ? null : ((from + i) * 7) % 23 }))

/** A table (DVs unless `dv` is false) with 4 writes (files) and a first DELETE (existing DVs); `partitioned` by `p`. */
export async function baseTable(partitioned: boolean, dv = true): Promise<MemoryStore> {
  const store = new MemoryStore({ url: 'memory://base' })
  const engine = await createTable(store, { dv, partitioned })
  const table = await DeltaTable.open(engine)
  for (let k = 0; k < 4; k++) await table.write(rowsOf(k * 12, 12).map(toRow))
  await (await DeltaTable.open(engine)).delete('id % 5 = 1')
  return store
}

export async function copyOf(store: MemoryStore): Promise<MemoryStore> {
  const copy = new MemoryStore({ url: 'memory://copy' })
  for await (const meta of store.list('')) await copy.put(meta.path, await store.get(meta.path))
  return copy
}

const leaf = fc.oneof(
  fc.tuple(fc.constantFrom('id', 'v', 'id % 3', 'v + id', 'v * 2', '-v', 'id / 2', 'v % 4'), fc.constantFrom('=', '!=', '<', '>=', '<>'), fc.constantFrom('0', '1', '7', 'v', 'id')).map(([a, o, b]) => `${a} ${o} ${b}`),
  fc.constantFrom('v IS NULL', 'v IS NOT NULL', 'p IS NULL', "p = 'a'", "p <> 'b'", "p LIKE 'a%'", "p IN ('a', NULL)", 'v IN (1, 2, 14)', 'id BETWEEN 5 AND 30', 'v NOT BETWEEN 3 AND 9'),
  fc.constantFrom('v / 0 > 1', 'v % (id - 13) = 0', "upper(p) = 'A'", 'coalesce(v, 0) = 0', 'CAST(p AS int) = 1', 'FALSE', 'NULL'),
)
export const predicate: fc.Arbitrary<string> = fc.letrec<{ p: string }>((tie) => ({
  p: fc.oneof({ depthSize: 'small' }, leaf, fc.tuple(tie('p'), fc.constantFrom('AND', 'OR'), tie('p')).map(([a, o, b]) => `(${a}) ${o} (${b})`), tie('p').map((a) => `NOT (${a})`)),
})).p
