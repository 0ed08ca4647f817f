// DELETE without deletion vectors: the columnar copy-on-write route (rewrite/columnar-rewrite.ts: the
// predicate's columns matched, kept rows taken as Arrow columns and encoded by `encodeBatch`) and the
// row route give the same table on copies of random tables of every flat type: the same rows and
// values, metrics, added files' partition values and stats, removed files, or the same error.

import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParquetCodec } from '@lake/parquet'
import type { MemoryStore } from '@lake/storage'
import { createEngine } from '../../src/index.js'
import { columnarRoute } from '../../src/rewrite/columnar-match.js'
import { copyStore, countingCodec, flatTable, flatWrites, outcomeOf } from './copy-on-write-routes.js'
import type { Outcome } from './copy-on-write-routes.js'

afterEach(() => {
  columnarRoute.columnar = true
})

const leaf = fc.constantFrom(
  'id % 3 = 1', 'id = 0', 'i > 0', 'big < 0', 'big = 9007199254740993', 'd >= 0.5', 'fl < 0', "s < 'm'", 'b', 'NOT b', 'sh IS NULL', 'by <> 3',
  "day < DATE '2000-01-01'", "ts > TIMESTAMP '2000-01-01 00:00:00'", "part = 'a'", 'part IS NULL', 'TRUE', 'i / 0 > 1', "upper(s) = 'A'", 'id >= 0',
)
const predicate = fc.oneof(leaf, fc.tuple(leaf, fc.constantFrom('AND', 'OR'), leaf).map(([a, o, b]) => `(${a}) ${o} (${b})`))

async function deleteOn(store: MemoryStore, text: string, columnar: boolean, codec: ParquetCodec): Promise<Outcome> {
  columnarRoute.columnar = columnar
  return outcomeOf(createEngine(store, { codec }), (table) => table.delete(text))
}

describe('DELETE copy-on-write: columnar route vs row route', () => {
  for (const partitioned of [false, true]) {
    it(`give the same rows, metrics, files and errors on random tables (partitioned ${partitioned})`, async () => {
      let columnarRewrites = 0
      await fc.assert(
        fc.asyncProperty(flatWrites, predicate, async (writes, text) => {
          const base = await flatTable(writes, partitioned)
          const { codec, reads } = countingCodec()
          const columnar = await deleteOn(await copyStore(base), text, true, codec)
          columnarRewrites += reads.batches
          const rows = await deleteOn(await copyStore(base), text, false, countingCodec().codec)
          expect(columnar, text).toEqual(rows)
        }),
        { numRuns: 60 },
      )
      expect(columnarRewrites).toBeGreaterThan(20)
    }, 240_000)
  }
})
