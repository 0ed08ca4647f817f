// The columnar MERGE executor's target reads (operations/merge/columnar-keys.ts, columnar-pass.ts) and the
// keys its hash hands to pruning (columnar-hash.ts), on a table of three files: rows an existing deletion
// vector hides never match (their keys insert), a NULL source key leaves the other keys' pruning intact,
// and a codec without column reads sends the pass to read rows. Each result is checked row by row, and
// `executeMerge`'s internal `onExecutor` says the columnar executor decided it.

import { describe, expect, it, vi } from 'vitest'
import type { Row } from '@lake/parquet'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import { DEFAULT_CODEC } from '../../src/internal.js'
import { executeMerge } from '../../src/operations/merge/execute.js'
import type { MergeExecutor, MergeResult } from '../../src/operations/merge/execute.js'
import type { MergeClause } from '../../src/operations/merge/plan-clauses.js'
import { newTable, rowsAt, sortRows, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'

const UPSERT: readonly MergeClause[] = [{ kind: 'matchedUpdateAll' }, { kind: 'notMatchedInsertAll' }]

/** The MERGE through `executeMerge`, with the executors that decided it and the data files it read. */
async function merged(engine: Engine, source: readonly Row[], on: string, clauses: readonly MergeClause[]): Promise<{ result: MergeResult; executors: MergeExecutor[]; read: Set<string> }> {
  const executors: MergeExecutor[] = []
  const read = new Set<string>()
  const original = engine.store.get.bind(engine.store)
  const get = vi.spyOn(engine.store, 'get').mockImplementation((key, options) => {
    if (key.endsWith('.parquet')) read.add(key)
    return original(key, options)
  })
  try {
    const result = await executeMerge(engine, source, { on, sourceAlias: 'source', targetAlias: 'target', clauses }, {}, { onExecutor: (e) => executors.push(e) })
    return { result, executors, read }
  } finally {
    get.mockRestore()
  }
}

/** ids 0-9 and 10-19 in partition 'a', 20-29 in 'b', one file each; v = id. */
const BASE: TestRow[] = Array.from({ length: 30 }, (_, id) => ({ id, p: id < 20 ? 'a' : 'b', v: id }))

async function threeFiles(partitioned: boolean): Promise<Engine> {
  const { engine } = await newTable({ dv: true, partitioned })
  for (const from of [0, 10, 20]) await (await DeltaTable.open(engine)).write(BASE.slice(from, from + 10).map(toRow))
  return engine
}

describe('MERGE columnar executor: target reads', () => {
  it('never matches rows a deletion vector already hides: their keys are inserted again', async () => {
    const engine = await threeFiles(false)
    await (await DeltaTable.open(engine)).delete('id IN (3, 5, 7, 25)')
    const source = [
      { id: 3n, p: 'n', v: 300 },
      { id: 5n, p: 'n', v: 500 },
      { id: 6n, p: 'u', v: 600 },
      { id: 7n, p: 'n', v: 700 },
      { id: 25n, p: 'n', v: 2500 },
      { id: 26n, p: 'u', v: 2600 },
    ]
    const { result, executors } = await merged(engine, source, 'target.id = source.id', UPSERT)
    expect(executors).toEqual(['columnar'])
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 2, numTargetRowsInserted: 4, numTargetDeletionVectorsUpdated: 2 })
    const changed = new Map(source.map((r) => [Number(r.id), { id: Number(r.id), p: r.p, v: r.v }]))
    const expected = [...BASE.filter((r) => !changed.has(r.id) && ![3, 5, 7, 25].includes(r.id)), ...changed.values()]
    expect(await rowsAt(engine)).toEqual(sortRows(expected))
  })

  it('prunes by the non-null keys of a source that also holds a NULL key', async () => {
    const engine = await threeFiles(false)
    const source = [
      { id: null, p: 'x', v: 0 },
      { id: 25n, p: 'u', v: 2500 },
    ]
    const files = (await DeltaTable.open(engine)).files().map((f) => f.path)
    const { result, executors, read } = await merged(engine, source, 'target.id = source.id', [{ kind: 'matchedUpdateAll' }])
    expect(executors).toEqual(['columnar'])
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 0, numTargetDeletionVectorsAdded: 1 })
    // Only the file of ids 20-29 is read: the NULL key is no bound of the pruning range.
    expect([...read].filter((key) => files.some((f) => key.endsWith(f)))).toEqual([files[2]])
    expect(await rowsAt(engine)).toEqual(sortRows(BASE.map((r) => (r.id === 25 ? { id: 25, p: 'u', v: 2500 } : r))))
  })

  it.each([
    ['one key', 'target.id = source.id'],
    ['a composite key', 'target.id = source.id AND target.p = source.p'],
  ])('reads each candidate file once, and the next file while this one waits on its read (%s)', async (_name, on) => {
    const engine = await threeFiles(false)
    const files = (await DeltaTable.open(engine)).files().map((f) => f.path)
    const reads = [0, 0, 0]
    let nextStarted = (): void => {}
    const started = new Promise<boolean>((resolve) => {
      nextStarted = () => resolve(true)
    })
    let early: boolean | undefined
    const original = engine.store.get.bind(engine.store)
    const get = vi.spyOn(engine.store, 'get').mockImplementation(async (key, options) => {
      const k = files.findIndex((f) => key.endsWith(f))
      if (k >= 0) reads[k] = (reads[k] as number) + 1
      if (k === 1) nextStarted()
      // File 0's reads wait until file 1's read has started (or 2 s): without the read-ahead file 1 is read only after file 0.
      if (k === 0) early = await Promise.race([started, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000))])
      return original(key, options)
    })
    try {
      const source = [0, 15, 25].map((id) => ({ id: BigInt(id), p: id < 20 ? 'a' : 'b', v: -id }))
      const executors: MergeExecutor[] = []
      const spec = { on, sourceAlias: 'source', targetAlias: 'target', clauses: UPSERT }
      const result = await executeMerge(engine, source, spec, {}, { onExecutor: (e) => executors.push(e) })
      expect(executors).toEqual(['columnar'])
      expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 3, numTargetRowsInserted: 0 })
      expect(early).toBe(true)
      expect(reads[0]).toBeGreaterThan(0)
      expect(reads).toEqual([reads[0], reads[0], reads[0]])
    } finally {
      get.mockRestore()
    }
  })

  it('reads no data file for a source whose keys are all NULL (no row can match)', async () => {
    const engine = await threeFiles(false)
    const source = [
      { id: null, p: 'n', v: 1 },
      { id: null, p: 'n', v: 2 },
    ]
    const { result, executors, read } = await merged(engine, source, 'target.id = source.id', [{ kind: 'matchedUpdateAll' }])
    expect(executors).toEqual(['columnar'])
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 0, numTargetRowsInserted: 0, numTargetFilesAdded: 0 })
    expect([...read]).toEqual([])
    expect(await rowsAt(engine)).toEqual(sortRows(BASE))
  })

  it('inserts only the unmatched rows of an insert-only MERGE whose source matches target rows, on the columnar executor', async () => {
    const engine = await threeFiles(false)
    const source = [
      { id: 5n, p: 'x', v: 500 },
      { id: 40n, p: 'n', v: 4000 },
    ]
    const { result, executors } = await merged(engine, source, 'target.id = source.id', [{ kind: 'notMatchedInsertAll' }])
    expect(executors).toEqual(['columnar'])
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 0, numTargetRowsInserted: 1 })
    expect(await rowsAt(engine)).toEqual(sortRows([...BASE, { id: 40, p: 'n', v: 4000 }]))
  })

  it('reads rows, skipping those a deletion vector hides, when the codec cannot read columns', async () => {
    const { engine: made, store } = await newTable({ dv: true, partitioned: false })
    for (const from of [0, 10, 20]) await (await DeltaTable.open(made)).write(BASE.slice(from, from + 10).map(toRow))
    await (await DeltaTable.open(made)).delete('id IN (3, 5)')
    const engine = createEngine(store, { codec: { ...DEFAULT_CODEC, readColumns: undefined } })
    const source = [
      { id: 5n, p: 'n', v: 500 },
      { id: 6n, p: 'u', v: 600 },
    ]
    const { result, executors } = await merged(engine, source, 'target.id = source.id', UPSERT)
    expect(executors).toEqual(['columnar'])
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1 })
    const expected = [...BASE.filter((r) => r.id !== 3 && r.id !== 5).map((r) => (r.id === 6 ? { id: 6, p: 'u', v: 600 } : r)), { id: 5, p: 'n', v: 500 }]
    expect(await rowsAt(engine)).toEqual(sortRows(expected))
  })
})
