// DELETE with deletion vectors: the columnar route (the predicate's columns only, rewrite/columnar-match.ts)
// and the row route give the same table on copies of one table, for random predicates: the same rows,
// the same DV rows per file, the same metrics and actions, or the same error. Partitioned and not,
// files with DVs already, NULLs, operands that fail on some rows (the columnar route then hands the
// file to the row route), predicates the columnar evaluator refuses (the row route runs them).

import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParquetCodec } from '@lake/parquet'
import type { MemoryStore } from '@lake/storage'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
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
  readonly dvs?: Record<string, number | undefined>
  readonly removed?: string[]
  readonly error?: { name: string; code: string }
}

/** What a DELETE did: rows after it, metrics without times, per re-added file its DV cardinality, removed paths; or its error. */
async function deleteOn(store: MemoryStore, text: string, columnar: boolean, codec: ParquetCodec): Promise<Outcome> {
  columnarRoute.columnar = columnar
  const engine: Engine = createEngine(store, { codec })
  try {
    const { version, metrics } = await (await DeltaTable.open(engine)).delete(text)
    const { executionTimeMs: _e, scanTimeMs: _s, rewriteTimeMs: _r, ...counts } = metrics
    const actions: Action[] = version === undefined ? [] : await actionsOf(engine, version)
    const dvs = Object.fromEntries(actions.flatMap((a) => (a.kind === 'add' ? [[a.add.path, a.add.deletionVector?.cardinality]] : [])))
    const removed = actions.flatMap((a) => (a.kind === 'remove' ? [a.remove.path] : [])).sort()
    return { rows: await rowsAt(engine), metrics: { ...counts }, dvs, removed }
  } catch (err) {
    const e = err as { name: string; code: string }
    return { error: { name: e.name, code: e.code } }
  }
}

describe('DELETE with deletion vectors: columnar route vs row route', () => {
  for (const partitioned of [false, true]) {
    it(`give the same table, DVs, metrics and errors on random predicates (partitioned ${partitioned})`, async () => {
      const base = await baseTable(partitioned)
      let columnarReads = 0
      await fc.assert(
        fc.asyncProperty(predicate, async (text) => {
          const { codec, reads } = countingCodec()
          const columnar = await deleteOn(await copyOf(base), text, true, codec)
          const rows = await deleteOn(await copyOf(base), text, false, codec)
          expect(columnar, text).toEqual(rows)
          columnarReads += reads.columns
        }),
        { numRuns: 40 },
      )
      expect(columnarReads).toBeGreaterThan(0)
    }, 120_000)
  }

  it('reads only the predicate columns and no rows when the predicate is covered', async () => {
    const base = await baseTable(true)
    const { codec, reads } = countingCodec()
    let rowReads = 0
    const counted: ParquetCodec = { ...codec, readRows: (...args) => (rowReads++, codec.readRows(...args)) }
    const engine = createEngine(await copyOf(base), { codec: counted })
    // ids 3, 9 (file 0, p=a), 15 (file 1), 27, 33 (file 2), 38 (file 3, p NULL); files 0, 1 and 3 had a DV already.
    const { metrics } = await (await DeltaTable.open(engine)).delete("v % 4 = 1 AND (p IS NULL OR p = 'a')")
    expect(metrics).toMatchObject({ numDeletedRows: 6, numRemovedFiles: 0, numDeletionVectorsAdded: 1, numDeletionVectorsUpdated: 3 })
    expect([reads.columns, rowReads]).toEqual([8, 0]) // the 8 files of partitions a and NULL: stats do not rule out any
    expect((await rowsAt(engine)).map((r) => r.id)).not.toContain(38)
  })

  it('falls back to the row route for a file whose operand fails, and throws its error', async () => {
    const base = await baseTable(false)
    const { codec } = countingCodec()
    // v / 0 fails on every non-NULL v: the row route meets it too (it evaluates v / 0 when v is not NULL).
    expect(await deleteOn(await copyOf(base), 'v / 0 > 1', true, codec)).toEqual({ error: { name: 'ExpressionError', code: 'ArithmeticError' } })
    // id = 0 is FALSE except on one row: the row route never divides elsewhere, the columnar one does and hands over.
    const guarded = await deleteOn(await copyOf(base), 'id = 0 AND v / (id - 0) > 0', true, codec)
    expect(guarded).toEqual(await deleteOn(await copyOf(base), 'id = 0 AND v / (id - 0) > 0', false, codec))
  })
})
