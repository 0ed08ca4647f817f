// The columnar MERGE executor (operations/merge/columnar-execute.ts) against the row route: random plain
// upserts (random keys with duplicates and NULLs, NULLs and wrong types in values, rows out of field
// order, row and Arrow sources) run on two equal tables, one with the executor allowed and one with the
// row route forced; after every MERGE both tables hold the same rows, the same metrics (times aside) and
// the same new data files' bytes, or both failed with the same error (name, code, context) and are unchanged.

import { describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import { batchBuilderFor } from '@lake/parquet'
import { Table as ArrowTable } from 'apache-arrow'
import type { MergeClause } from '../../src/operations/merge/plan-clauses.js'
import { executeMerge } from '../../src/operations/merge/execute.js'
import * as columnar from '../../src/operations/merge/columnar-execute.js'
import { SCHEMA, keys, newTable, rowsAt } from './helpers.js'
import type { Engine } from '../../src/index.js'
import type { MemoryStore } from '@lake/storage'

vi.mock('../../src/operations/merge/columnar-execute.js', async (importOriginal) => {
  const original = await importOriginal<typeof columnar>()
  return { ...original, runColumnar: vi.fn(original.runColumnar) }
})

type SourceRow = Record<string, unknown>

interface GeneratedRow {
  readonly id: number | null
  readonly p: string | null
  readonly v: number | string | null
  readonly reordered: boolean
  readonly bigint: boolean
}

const CLAUSES: Record<string, readonly MergeClause[]> = {
  upsert: [{ kind: 'matchedUpdateAll' }, { kind: 'notMatchedInsertAll' }],
  updateOnly: [{ kind: 'matchedUpdateAll' }],
  insertOnly: [{ kind: 'notMatchedInsertAll' }],
  deleteInsert: [{ kind: 'matchedDelete' }, { kind: 'notMatchedInsertAll' }],
  deleteOnly: [{ kind: 'matchedDelete' }],
}

const key = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 1, arbitrary: fc.constant(null) })
const value = fc.oneof({ weight: 10, arbitrary: fc.integer({ min: -1000, max: 1000 }) }, { weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant('bad') })
const sourceRow = fc.record({ id: key, p: fc.option(fc.constantFrom('a', 'b', 'ü'), { nil: null }), v: value, reordered: fc.boolean(), bigint: fc.boolean() })
const merge = fc.record({ clauses: fc.constantFrom(...Object.keys(CLAUSES)), rows: fc.array(sourceRow, { minLength: 0, maxLength: 25 }), arrow: fc.boolean() })

/** A source row as a caller writes it: ids as numbers or bigints, keys in or out of the table's order. */
function rowOf(r: GeneratedRow): SourceRow {
  const id = r.id === null ? null : r.bigint ? BigInt(r.id) : r.id
  return r.reordered ? { v: r.v, id, p: r.p } : { id, p: r.p, v: r.v }
}

/** The source as an Arrow Table of the table's types, or undefined when a value has no such type ('bad'). */
function arrowOf(rows: readonly SourceRow[]): ArrowTable | undefined {
  if (rows.length === 0 || rows.some((r) => typeof r['v'] === 'string')) return undefined
  const builder = batchBuilderFor(SCHEMA)
  for (const r of rows) builder?.append({ id: r['id'] === null ? null : BigInt(r['id'] as number), p: r['p'], v: r['v'] })
  return builder === undefined ? undefined : new ArrowTable([builder.finish()])
}

interface Outcome {
  readonly error?: { readonly name: string; readonly code: unknown; readonly context: unknown }
  readonly metrics?: Record<string, number>
  readonly bytes?: number[]
}

const TIMES = new Set(['executionTimeMs', 'materializeSourceTimeMs', 'scanTimeMs', 'rewriteTimeMs'])

async function runOn(engine: Engine, store: MemoryStore, source: unknown, clauses: readonly MergeClause[], columnarExecutor: boolean): Promise<Outcome> {
  const before = new Set(await keys(store))
  const spec = { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses }
  try {
    const result = await executeMerge(engine, source as never, spec, { columnarExecutor })
    const metrics = Object.fromEntries(Object.entries(result.metrics).filter(([k]) => !TIMES.has(k)))
    const added = (await keys(store)).filter((k) => !before.has(k) && k.endsWith('.parquet'))
    const bytes = await Promise.all(added.map(async (k) => (await store.get(k)).length))
    return { metrics, bytes: bytes.sort() }
  } catch (err) {
    const e = err as { name: string; code?: unknown; context?: unknown }
    expect(await keys(store)).toEqual([...before].sort())
    return { error: { name: e.name, code: e.code, context: e.context } }
  }
}

describe('MERGE: the columnar executor decides as the row route', () => {
  it('random plain upserts: same rows, metrics, file sizes and errors on both routes', async () => {
    const runColumnar = vi.mocked(columnar.runColumnar)
    let columnarRuns = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }), fc.array(merge, { minLength: 1, maxLength: 3 }), async (base, merges) => {
        const [a, b] = [await newTable({ dv: true, partitioned: false }), await newTable({ dv: true, partitioned: false })]
        const initial = base.map((id, i) => ({ id: BigInt(id), p: i % 2 === 0 ? 'a' : null, v: i }))
        for (const t of [a, b]) await executeMerge(t.engine, initial, { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: [{ kind: 'notMatchedInsertAll' }] }, { columnarExecutor: false })
        for (const m of merges) {
          const rows = m.rows.map(rowOf)
          const source = (m.arrow ? arrowOf(rows) : undefined) ?? rows
          const clauses = CLAUSES[m.clauses] ?? []
          runColumnar.mockClear()
          const viaColumnar = await runOn(a.engine, a.store, source, clauses, true)
          if (runColumnar.mock.settledResults.some((r) => r.type === 'fulfilled' && r.value !== undefined)) columnarRuns++
          const viaRows = await runOn(b.engine, b.store, source, clauses, false)
          expect(viaColumnar).toEqual(viaRows)
          expect(await rowsAt(a.engine)).toEqual(await rowsAt(b.engine))
        }
      }),
      { numRuns: 30 },
    )
    expect(columnarRuns).toBeGreaterThan(10)
  }, 120_000)
})
