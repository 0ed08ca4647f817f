// The columnar MERGE executor (operations/merge/columnar-execute.ts) against the row route: random plain
// upserts (random keys with duplicates and NULLs, NULLs and wrong types in values, rows out of field
// order, row and Arrow sources) run on two equal tables, one with the executor allowed and one with the
// row route forced; after every MERGE both tables hold the same rows and the same metrics (times and
// file layout aside, see layoutFree), or both failed with the same error (name, code, context) and are
// unchanged. With deletion vectors and copy-on-write.

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { batchBuilderFor } from '@lake/parquet'
import { Table as ArrowTable, tableFromArrays } from 'apache-arrow'
import type { MergeClause } from '../../src/operations/merge/plan-clauses.js'
import { executeMerge } from '../../src/operations/merge/execute.js'
import type { MergeExecutor } from '../../src/operations/merge/execute.js'
import { SCHEMA, keys, newTable, rowsAt } from './helpers.js'
import type { Engine } from '../../src/index.js'
import type { MemoryStore } from '@lake/storage'

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
// ON: one long key (the typed-array table), a composite key (string and long: canonical text), one string key (a Map).
const ON = ['target.id = source.id', 'target.p = source.p AND source.id = target.id', 'target.p = source.p']
const merge = fc.record({ clauses: fc.constantFrom(...Object.keys(CLAUSES)), rows: fc.array(sourceRow, { minLength: 0, maxLength: 25 }), arrow: fc.boolean(), on: fc.constantFrom(...ON) })

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
  readonly files?: number | undefined
}

const TIMES = new Set(['executionTimeMs', 'materializeSourceTimeMs', 'scanTimeMs', 'rewriteTimeMs'])

async function runOn(engine: Engine, store: MemoryStore, source: unknown, clauses: readonly MergeClause[], columnarExecutor: boolean, on: string, onExecutor?: (e: MergeExecutor) => void): Promise<Outcome> {
  const before = new Set(await keys(store))
  const spec = { on, sourceAlias: 'source', targetAlias: 'target', clauses }
  try {
    const result = await executeMerge(engine, source as never, spec, {}, { columnarExecutor, ...(onExecutor === undefined ? {} : { onExecutor }) })
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

/**
 * The outcome without what depends on how the rows are laid out in files. With deletion vectors: the
 * bytes of new files (the executor may write the new rows in source order, the row route updates first),
 * and so of such a file when a later MERGE removes it.
 * Copy-on-write: the executor writes each rewritten file's other rows as a file of their own, where the
 * row route writes them with the new rows, so later MERGEs find other files to copy and remove too.
 */
function layoutFree(outcome: Outcome, dv: boolean): Outcome {
  if (outcome.metrics === undefined) return outcome
  const layout = dv ? ['numTargetBytesAdded', 'numTargetBytesRemoved'] : ['numTargetBytesAdded', 'numTargetFilesAdded', 'numTargetBytesRemoved', 'numTargetFilesRemoved', 'numTargetRowsCopied', 'numOutputRows']
  return { metrics: Object.fromEntries(Object.entries(outcome.metrics).filter(([k]) => !layout.includes(k))), ...(dv ? { files: outcome.bytes?.length } : {}) }
}

describe.each([
  ['deletion vectors', true],
  ['copy-on-write', false],
])('MERGE: the columnar executor decides as the row route (%s)', (_mode, dv) => {
  it('random plain upserts (long, composite and string keys): same rows, metrics and errors on both routes', async () => {
    let columnarRuns = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }), fc.array(merge, { minLength: 1, maxLength: 3 }), async (base, merges) => {
        const [a, b] = [await newTable({ dv, partitioned: false }), await newTable({ dv, partitioned: false })]
        const initial = base.map((id, i) => ({ id: BigInt(id), p: i % 2 === 0 ? 'a' : null, v: i }))
        for (const t of [a, b]) await executeMerge(t.engine, initial, { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: [{ kind: 'notMatchedInsertAll' }] }, {}, { columnarExecutor: false })
        for (const m of merges) {
          const rows = m.rows.map(rowOf)
          const source = (m.arrow ? arrowOf(rows) : undefined) ?? rows
          const clauses = CLAUSES[m.clauses] ?? []
          const viaColumnar = await runOn(a.engine, a.store, source, clauses, true, m.on, (e) => (columnarRuns += e === 'columnar' ? 1 : 0))
          const viaRows = await runOn(b.engine, b.store, source, clauses, false, m.on, (e) => expect(e).toBe('rows'))
          expect(layoutFree(viaColumnar, dv)).toEqual(layoutFree(viaRows, dv))
          expect(await rowsAt(a.engine)).toEqual(await rowsAt(b.engine))
        }
      }),
      { numRuns: 40 },
    )
    expect(columnarRuns).toBeGreaterThan(10)
  }, 120_000)
})

describe('MERGE: Arrow sources on the columnar executor', () => {
  const spec = { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: CLAUSES['upsert'] ?? [] }
  const base = Array.from({ length: 10 }, (_, i) => ({ id: i, p: 'a' as string | null, v: i as number | null }))

  async function filledTable(): Promise<{ engine: Engine; store: MemoryStore }> {
    const t = await newTable({ dv: true, partitioned: false })
    const initial = base.map((r) => ({ ...r, id: BigInt(r.id) }))
    await executeMerge(t.engine, initial, { ...spec, clauses: [{ kind: 'notMatchedInsertAll' }] })
    return t
  }

  function batchOf(rows: readonly Record<string, unknown>[]): ReturnType<NonNullable<ReturnType<typeof batchBuilderFor>>['finish']> {
    const builder = batchBuilderFor(SCHEMA)
    if (builder === undefined) throw new Error('expected a builder for the test schema')
    rows.forEach((r) => builder.append(r))
    return builder.finish()
  }

  /** `executeMerge` of `spec`, and the executors that decided its attempts. */
  async function mergeSeen(engine: Engine, source: unknown): Promise<{ result: Awaited<ReturnType<typeof executeMerge>>; executors: MergeExecutor[] }> {
    const executors: MergeExecutor[] = []
    const result = await executeMerge(engine, source as never, spec, {}, { onExecutor: (e) => executors.push(e) })
    return { result, executors }
  }

  it('columns of the table\'s Arrow types (two batches, NULLs in nullable columns) are merged as they are', async () => {
    const { engine } = await filledTable()
    const source = new ArrowTable([batchOf([{ id: 3n, p: null, v: 30 }, { id: 20n, p: 'n', v: null }]), batchOf([{ id: 7n, p: 'u', v: 70 }])])
    const { result, executors } = await mergeSeen(engine, source)
    expect(executors).toEqual(['columnar'])
    expect(result.metrics).toMatchObject({ numSourceRows: 3, numTargetRowsUpdated: 2, numTargetRowsInserted: 1, numTargetDeletionVectorsAdded: 1, numTargetFilesAdded: 1 })
    const expected = [...base.filter((r) => r.id !== 3 && r.id !== 7), { id: 3, p: null, v: 30 }, { id: 7, p: 'u', v: 70 }, { id: 20, p: 'n', v: null }]
    expect(await rowsAt(engine)).toEqual(expected.sort((a, b) => a.id - b.id))
  })

  it('a NULL key never matches: inserted, it fails the NOT NULL key column (SchemaError naming id), table unchanged', async () => {
    const { engine, store } = await filledTable()
    const before = await keys(store)
    const source = new ArrowTable([batchOf([{ id: 3n, p: 'x', v: 1 }, { id: null, p: 'y', v: 2 }])])
    await expect(executeMerge(engine, source, spec)).rejects.toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: expect.objectContaining({ column: 'id' }) as unknown })
    expect(await keys(store)).toEqual(before)
  })

  it('Arrow columns of other types that cast losslessly are converted through rows, then merged by the columnar executor', async () => {
    const { engine } = await filledTable()
    const source = tableFromArrays({ id: Int32Array.from([2, 30]), p: ['x', 'y'], v: Int16Array.from([20, 300]) })
    expect((await mergeSeen(engine, source)).executors).toEqual(['columnar'])
    expect(await rowsAt(engine)).toEqual([...base.map((r) => (r.id === 2 ? { id: 2, p: 'x', v: 20 } : r)), { id: 30, p: 'y', v: 300 }])
  })

  it('an Arrow column that cannot be cast (strings for the integer v) fails before any write with SchemaError naming the column', async () => {
    const { engine, store } = await filledTable()
    const before = await keys(store)
    const source = tableFromArrays({ id: BigInt64Array.from([2n]), p: ['x'], v: ['twenty'] })
    await expect(executeMerge(engine, source, spec)).rejects.toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: expect.objectContaining({ column: 'v' }) as unknown })
    expect(await keys(store)).toEqual(before)
  })
})
