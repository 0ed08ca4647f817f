// UPDATE's matching pass: a file whose WHERE columns match no row is left untouched without being read
// row by row (rewrite/columnar-match.ts `mayMatch`). On copies of one table, with the columnar route
// on and off (the internal switch), random WHEREs give the same rows, DVs, removes, metrics and
// errors, with deletion vectors and copy-on-write, partitioned or not.

import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParquetCodec } from '@lake/parquet'
import type { MemoryStore } from '@lake/storage'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Action } from '../../src/internal.js'
import { columnarRoute } from '../../src/rewrite/columnar-match.js'
import { baseTable, copyOf, countingCodec, predicate } from './columnar-helpers.js'
import { actionsOf, rowsAt } from './helpers.js'
import type { TestRow } from './helpers.js'

afterEach(() => {
  columnarRoute.columnar = true
})

interface Outcome {
  readonly rows?: TestRow[]
  readonly metrics?: Record<string, number>
  readonly dvs?: number[]
  readonly removed?: string[]
  readonly error?: { name: string; code: string }
}

/** What an UPDATE SET v = v + 100 did, or its error; `rowReads` counts the files read row by row. */
async function updateOn(store: MemoryStore, where: string, columnar: boolean, codec: ParquetCodec, rowReads = { n: 0 }): Promise<Outcome> {
  columnarRoute.columnar = columnar
  const counted: ParquetCodec = { ...codec, readRows: (...args) => (rowReads.n++, codec.readRows(...args)) }
  const engine = createEngine(store, { codec: counted })
  try {
    const { version, metrics } = await (await DeltaTable.open(engine)).update({ set: { v: 'v + 100' }, where })
    // Copy-on-write files come from parquet-wasm on the columnar route (rewrite/columnar-rewrite.ts): their bytes differ.
    const { executionTimeMs: _e, scanTimeMs: _s, rewriteTimeMs: _r, numAddedBytes: _b, ...counts } = metrics
    const actions: Action[] = version === undefined ? [] : await actionsOf(engine, version)
    const dvs = actions.flatMap((a) => (a.kind === 'add' && a.add.deletionVector !== undefined && a.add.deletionVector !== null ? [a.add.deletionVector.cardinality] : [])).sort()
    const removed = actions.flatMap((a) => (a.kind === 'remove' ? [a.remove.path] : [])).sort()
    columnarRoute.columnar = true
    return { rows: await rowsAt(engine), metrics: { ...counts }, dvs, removed }
  } catch (err) {
    const e = err as { name: string; code: string }
    return { error: { name: e.name, code: e.code } }
  }
}

describe('UPDATE: files without a matching row are not read row by row', () => {
  for (const [dv, partitioned] of [[true, false], [true, true], [false, false]] as const) {
    it(`gives the row route's table, DVs, metrics and errors on random WHEREs (DVs ${dv}, partitioned ${partitioned})`, async () => {
      const base = await baseTable(partitioned, dv)
      await fc.assert(
        fc.asyncProperty(predicate, async (where) => {
          const { codec } = countingCodec()
          expect(await updateOn(await copyOf(base), where, true, codec), where).toEqual(await updateOn(await copyOf(base), where, false, codec))
        }),
        { numRuns: 25 },
      )
    }, 120_000)
  }

  it('reads row by row only the files with a matching row', async () => {
    const base = await baseTable(false)
    const { codec, reads } = countingCodec()
    const rowReads = { n: 0 }
    columnarRoute.columnar = true
    const engine = createEngine(await copyOf(base), { codec: { ...codec, readRows: (...args) => (rowReads.n++, codec.readRows(...args)) } })
    // v = 13 on ids 15 and 38 (files 1 and 3); stats cannot rule out any of the 4 files (13 lies within v's min/max in each).
    const { metrics } = await (await DeltaTable.open(engine)).update({ set: { v: 'v + 100' }, where: 'v = 13' })
    expect(metrics.numUpdatedRows).toBe(2)
    expect([reads.columns, rowReads.n]).toEqual([4, 2])
    expect((await rowsAt(engine)).filter((r) => (r.v ?? 0) > 100).map((r) => r.id)).toEqual([15, 38])
  })
})
