// Which MERGEs the columnar executor decides itself and which it hands to the row route
// (operations/merge/columnar-source.ts, columnar-hash.ts, columnar-pass.ts), observed through
// `executeMerge`'s internal `onExecutor`: the sources it can hold (one integral key in the typed-array
// table, one string key, composite keys, int64 keys beyond 2^53) run columnar with the row route's
// result; the ones only the row route decides exactly (a lone surrogate in a string key, several source
// rows for one updated target row, a value the coercers refuse) are handed over. Also: the internal
// switches cannot be reached through the public `MergeBuilder.execute` options.

import { describe, expect, it, vi } from 'vitest'
import type { Row } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import type { GetOptions } from '@lake/storage'
import { DeltaTable } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import * as columnar from '../../src/operations/merge/columnar-execute.js'
import { executeMerge } from '../../src/operations/merge/execute.js'
import type { MergeExecutor, MergeResult } from '../../src/operations/merge/execute.js'
import type { MergeClause } from '../../src/operations/merge/plan-clauses.js'
import { createTable, keys, newTable, rowsAt } from './helpers.js'
import type { TestRow } from './helpers.js'

// A spy around the real executor (nothing replaced): whether a MERGE run through the public builder ran columnar.
vi.mock('../../src/operations/merge/columnar-execute.js', async (importOriginal) => {
  const original = await importOriginal<typeof columnar>()
  return { ...original, runColumnar: vi.fn(original.runColumnar) }
})

const UPSERT: readonly MergeClause[] = [{ kind: 'matchedUpdateAll' }, { kind: 'notMatchedInsertAll' }]
const DELETE_INSERT: readonly MergeClause[] = [{ kind: 'matchedDelete' }, { kind: 'notMatchedInsertAll' }]

/** A table with deletion vectors holding `rows` (id, p, v) in one file. */
async function tableOf(rows: readonly TestRow[]): Promise<Engine> {
  const { engine } = await newTable({ dv: true, partitioned: false })
  await (await DeltaTable.open(engine)).write(rows.map((r) => ({ id: BigInt(r.id), p: r.p, v: r.v })))
  return engine
}

interface Seen {
  readonly result: MergeResult
  readonly executors: MergeExecutor[]
}

/** `executeMerge` with the executor allowed or not, and the executors that decided its attempts. */
async function mergeSeen(engine: Engine, source: readonly Row[], on: string, clauses: readonly MergeClause[], columnarExecutor = true): Promise<Seen> {
  const executors: MergeExecutor[] = []
  const spec = { on, sourceAlias: 'source', targetAlias: 'target', clauses }
  const result = await executeMerge(engine, source, spec, {}, { columnarExecutor, onExecutor: (e) => executors.push(e) })
  return { result, executors }
}

/** The MERGE on two equal tables, one with the row route forced: both results and tables, and the executors of the first. */
async function bothRoutes(base: readonly TestRow[], source: readonly Row[], on: string, clauses: readonly MergeClause[]): Promise<{ executors: MergeExecutor[]; columnar: unknown; rows: unknown }> {
  const [a, b] = [await tableOf(base), await tableOf(base)]
  const viaColumnar = await mergeSeen(a, source, on, clauses)
  const viaRows = await mergeSeen(b, source, on, clauses, false)
  expect(viaRows.executors).toEqual(['rows'])
  // Times differ, and so may the new file's bytes: when the new rows are the whole source, the columnar
  // executor writes them in source order, the row route updates first (the same rows; rowsAt compares them).
  const metrics = (m: MergeResult['metrics']): Record<string, number> => Object.fromEntries(Object.entries(m).filter(([k]) => !k.endsWith('TimeMs') && k !== 'numTargetBytesAdded'))
  expect(metrics(viaColumnar.result.metrics)).toEqual(metrics(viaRows.result.metrics))
  const rows = await rowsAt(b)
  expect(await rowsAt(a)).toEqual(rows)
  return { executors: viaColumnar.executors, columnar: await rowsAt(a), rows }
}

const BASE: TestRow[] = [
  { id: 1, p: 'a', v: 10 },
  { id: 2, p: 'b', v: 20 },
  { id: 3, p: 'c', v: 30 },
]

describe('MERGE columnar executor: the sources it holds run columnar, with the row route\'s result', () => {
  it.each([
    ['one long key, numbers and bigints (the typed-array table)', 'target.id = source.id', [{ id: 2, p: 'x', v: 1 }, { id: 9n, p: 'y', v: 2 }]],
    ['one integer key (32-bit words)', 'target.v = source.v', [{ id: 7n, p: 'x', v: 20 }, { id: 9n, p: 'y', v: 99 }]],
    ['one string key (a Map)', 'target.p = source.p', [{ id: 7n, p: 'b', v: 1 }, { id: 9n, p: 'z', v: 2 }]],
    ['a composite key, long first: the string decides too', 'target.id = source.id AND target.p = source.p', [{ id: 2n, p: 'b', v: 1 }, { id: 3n, p: 'other', v: 2 }]],
    ['a composite key, string first', 'target.p = source.p AND source.id = target.id', [{ id: 2n, p: 'b', v: 1 }, { id: 1n, p: 'c', v: 2 }]],
    ['one long key beyond 2^53 (no typed-array table)', 'target.id = source.id', [{ id: 3n, p: 'x', v: 1 }, { id: 2n ** 60n, p: 'y', v: 2 }]],
  ])('%s', async (_name, on, source) => {
    const { executors, rows } = await bothRoutes(BASE, source as Row[], on, UPSERT)
    expect(executors).toEqual(['columnar'])
    expect(rows).not.toEqual(BASE)
  })

  it('a NULL key (first in the source) matches nothing and leaves the other keys matching and pruning', async () => {
    const { executors, rows } = await bothRoutes(BASE, [{ id: null, p: 'x', v: 1 }, { id: 2n, p: 'y', v: 2 }], 'target.id = source.id', [{ kind: 'matchedUpdateAll' }])
    expect(executors).toEqual(['columnar'])
    expect(rows).toEqual([{ id: 1, p: 'a', v: 10 }, { id: 2, p: 'y', v: 2 }, { id: 3, p: 'c', v: 30 }])
  })

  it('a source of 40 distinct long keys (more than the typed-array table\'s first 16 slots)', async () => {
    const source = Array.from({ length: 40 }, (_, i) => ({ id: BigInt(i), p: 's', v: i }))
    const { executors, rows } = await bothRoutes(BASE, source, 'target.id = source.id', UPSERT)
    expect(executors).toEqual(['columnar'])
    expect(rows).toEqual(source.map((r) => ({ ...r, id: Number(r.id) })))
  })

  it('an update without inserts whose source row updates two target rows writes that row twice and not the unmatched one', async () => {
    const base = [...BASE, { id: 2, p: 'twin', v: 21 }]
    const { executors, rows } = await bothRoutes(base, [{ id: 2n, p: 'u', v: 5 }, { id: 9n, p: 'n', v: 6 }], 'target.id = source.id', [{ kind: 'matchedUpdateAll' }])
    expect(executors).toEqual(['columnar'])
    expect(rows).toEqual([{ id: 1, p: 'a', v: 10 }, { id: 2, p: 'u', v: 5 }, { id: 2, p: 'u', v: 5 }, { id: 3, p: 'c', v: 30 }])
  })

  it('a composite key whose first column matches but whose second does not inserts the source row', async () => {
    const { executors, rows } = await bothRoutes(BASE, [{ id: 3n, p: 'other', v: 2 }], 'target.id = source.id AND target.p = source.p', UPSERT)
    expect(executors).toEqual(['columnar'])
    expect(rows).toEqual([...BASE, { id: 3, p: 'other', v: 2 }])
  })

  it.each([
    ['one long key (the typed-array table)', 'target.id = source.id'],
    ['one string key (a Map)', 'target.p = source.p'],
  ])('delete + insert with a key held by three source rows, %s: the matched rows are deleted and none of the three inserted', async (_name, on) => {
    const source = [{ id: 2n, p: 'b', v: 1 }, { id: 8n, p: 'n', v: 2 }, { id: 2n, p: 'b', v: 3 }, { id: 2n, p: 'b', v: 4 }]
    const { executors, rows } = await bothRoutes(BASE, source, on, DELETE_INSERT)
    expect(executors).toEqual(['columnar'])
    expect(rows).toEqual([{ id: 1, p: 'a', v: 10 }, { id: 3, p: 'c', v: 30 }, { id: 8, p: 'n', v: 2 }])
  })
})

/** A memory store that records which data files are read. */
class ReadLog extends MemoryStore {
  readonly dataReads = new Set<string>()

  override async get(path: string, options: GetOptions = {}): Promise<Uint8Array> {
    if (path.endsWith('.parquet')) this.dataReads.add(path)
    return super.get(path, options)
  }
}

describe('MERGE columnar executor: the source\'s key values prune the target files', () => {
  it.each([
    ['one string key', 'target.p = source.p'],
    ['a composite key', 'target.p = source.p AND target.id = source.id'],
  ])('%s: a file whose key range holds no source key is not read', async (_name, on) => {
    const store = new ReadLog({ url: 'memory://prune' })
    const engine = await createTable(store, { dv: true, partitioned: false })
    await (await DeltaTable.open(engine)).write([{ id: 1n, p: 'a', v: 1 }, { id: 2n, p: 'c', v: 2 }])
    await (await DeltaTable.open(engine)).write([{ id: 3n, p: 'T', v: 3 }, { id: 4n, p: 'U', v: 4 }])
    store.dataReads.clear()
    const { result, executors } = await mergeSeen(engine, [{ id: 1n, p: 'a', v: 10 }, { id: 5n, p: 'b', v: 5 }], on, UPSERT)
    expect(executors).toEqual(['columnar'])
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1 })
    const [first] = (await DeltaTable.open(engine, { version: 1 })).files().map((f) => decodeURIComponent(f.path))
    expect([...store.dataReads]).toEqual([first])
  })
})

describe('MERGE columnar executor: hands to the row route what only the row route decides exactly', () => {
  it('a string key holding a lone surrogate: matched as the row route matches it (not as U+FFFD)', async () => {
    const base = [{ id: 1, p: '\uFFFD', v: 10 }]
    const { executors, rows } = await bothRoutes(base, [{ id: 2n, p: '\uD800', v: 20 }], 'target.p = source.p', UPSERT)
    expect(executors).toEqual(['rows'])
    expect(rows).toEqual([{ id: 1, p: '\uFFFD', v: 10 }, { id: 2, p: '\uFFFD', v: 20 }])
  })

  it('a lone surrogate outside the key columns stays on the columnar executor', async () => {
    const { executors } = await bothRoutes(BASE, [{ id: 2n, p: '\uDC00', v: 20 }], 'target.id = source.id', UPSERT)
    expect(executors).toEqual(['columnar'])
  })

  it.each([
    ['one long key', 'target.id = source.id'],
    ['one string key', 'target.p = source.p'],
  ])('two source rows for one updated target row, %s: handed over, MultipleSourceRowsMatched naming the key, table unchanged', async (_name, on) => {
    const { engine, store } = await newTable({ dv: true, partitioned: false })
    await (await DeltaTable.open(engine)).write(BASE.map((r) => ({ ...r, id: BigInt(r.id) })))
    const before = await keys(store)
    const executors: MergeExecutor[] = []
    const source = [{ id: 2n, p: 'b', v: 1 }, { id: 2n, p: 'b', v: 2 }]
    const run = executeMerge(engine, source, { on, sourceAlias: 'source', targetAlias: 'target', clauses: UPSERT }, {}, { onExecutor: (e) => executors.push(e) })
    await expect(run).rejects.toMatchObject({ name: 'MergeError', code: 'MultipleSourceRowsMatched' })
    expect(executors).toEqual(['rows'])
    expect(await keys(store)).toEqual(before)
  })

  it('a value the coercers refuse: not held, the row route\'s typing fails the plan with SchemaError naming the column', async () => {
    const engine = await tableOf(BASE)
    const executors: MergeExecutor[] = []
    const run = executeMerge(engine, [{ id: 2n, p: 'b', v: 'twenty' }], { on: 'target.id = source.id', sourceAlias: 'source', targetAlias: 'target', clauses: UPSERT }, {}, { onExecutor: (e) => executors.push(e) })
    await expect(run).rejects.toMatchObject({ name: 'SchemaError', context: expect.objectContaining({ column: 'v' }) as unknown })
    expect(executors).toEqual([])
  })
})

describe('MERGE: the internal route switch is not a public option', () => {
  it('MergeBuilder.execute ignores a `columnarExecutor` smuggled into its options: the executor still runs', async () => {
    const engine = await tableOf(BASE)
    const runColumnar = vi.mocked(columnar.runColumnar)
    runColumnar.mockClear()
    const builder = (await DeltaTable.open(engine)).merge([{ id: 2n, p: 'x', v: 1 }], { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll()
    await builder.execute({ columnarExecutor: false } as never)
    expect(runColumnar.mock.settledResults.filter((r) => r.type === 'fulfilled' && r.value !== undefined)).toHaveLength(1)
    expect(await rowsAt(engine)).toEqual([{ id: 1, p: 'a', v: 10 }, { id: 2, p: 'x', v: 1 }, { id: 3, p: 'c', v: 30 }])
  })
})
