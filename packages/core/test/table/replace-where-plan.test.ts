// replaceWhere planning pieces on their own: the file predicate used for conflict detection (partition
// values only, or stats), the remove actions it writes, the row check and its message, and the plan
// of a table whose files the predicate reads but does not touch.

import type { Row } from '@lake/parquet'
import { MemoryStore, countingStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import type { AddFile } from '../../src/actions/types.js'
import { DeltaTable, createEngine, writeDelta } from '../../src/internal.js'
import { removeOf } from '../../src/actions/remove-of.js'
import { checkRowConstraints, compileReplaceWhere, planReplaceWhere } from '../../src/operations/write/replace-where.js'
import { P, field, struct } from './all-types.js'

const SCHEMA = struct(field('id', P('long')), field('part', P('string')))
const stats = (min: number, max: number): string => JSON.stringify({ numRecords: 2, minValues: { id: min }, maxValues: { id: max }, nullCount: { id: 0 } })

describe('compileReplaceWhere', () => {
  it('decides a partition-only predicate from partition values alone', () => {
    const c = compileReplaceWhere("part = 'a'", SCHEMA, ['part'])
    expect(c).toMatchObject({ text: "part = 'a'", partitionOnly: true })
    expect(c.matchesFile({ part: 'a' }, stats(0, 0))).toBe(true)
    expect(c.matchesFile({ part: 'b' }, null)).toBe(false)
    expect(c.matchesFile({ part: null }, null)).toBe(false)
  })

  it('decides a data predicate from stats and partition values', () => {
    const c = compileReplaceWhere('id > 5', SCHEMA, ['part'])
    expect(c.partitionOnly).toBe(false)
    expect(c.matchesFile({ part: 'a' }, stats(1, 5))).toBe(false)
    expect(c.matchesFile({ part: 'a' }, stats(1, 6))).toBe(true)
    expect(c.matchesFile({ part: 'a' }, null)).toBe(true)
  })

  it('types partition values by the schema (a long partition compares as a number)', () => {
    const schema = struct(field('id', P('long')), field('n', P('long')))
    const c = compileReplaceWhere('n > 9', schema, ['n', 'missing'])
    expect(c.matchesFile({ n: '10' }, null)).toBe(true)
    expect(c.matchesFile({ n: '9' }, null)).toBe(false)
  })
})

describe('removeOf', () => {
  it('copies what Spark writes into a remove, stats and deletion vector included', () => {
    const dv = { storageType: 'u' as const, pathOrInlineDv: 'x', offset: 1, sizeInBytes: 10, cardinality: 1 }
    const add: AddFile = { path: 'p/f.parquet', partitionValues: { part: 'a' }, size: 42, modificationTime: 1, dataChange: true, stats: '{}', deletionVector: dv, tags: { t: 'v' } }
    expect(removeOf(add, 1234)).toEqual({
      path: 'p/f.parquet', deletionTimestamp: 1234, dataChange: true, extendedFileMetadata: true, partitionValues: { part: 'a' }, size: 42, stats: '{}', deletionVector: dv,
    })
  })

  it('leaves out stats and deletion vector the add does not have', () => {
    const add: AddFile = { path: 'f', partitionValues: {}, size: 1, modificationTime: 1, dataChange: true, stats: null }
    expect(removeOf(add, 5)).toStrictEqual({ path: 'f', deletionTimestamp: 5, dataChange: true, extendedFileMetadata: true, partitionValues: {}, size: 1 })
  })
})

describe('checkRowConstraints', () => {
  const replace = compileReplaceWhere('id > 5', SCHEMA, ['part'])

  it('names the first row that does not match, counted in the whole input, and the predicate', () => {
    const rows: Row[] = [{ id: 6n, part: 'a' }, { id: 5n, part: 'b' }, { id: 1n, part: 'c' }]
    expect(() => checkRowConstraints(rows, replace, SCHEMA, {}, 10)).toThrow(
      expect.objectContaining({
        code: 'ConstraintViolation',
        message: `row 11 does not satisfy replaceWhere 'id > 5': every written row must match the predicate it replaces (found {"id":"5","part":"b"})`,
        context: { row: 11, predicate: 'id > 5' },
      }),
    )
  })

  it('rejects a row whose predicate is NULL, and accepts rows that all match', () => {
    expect(() => checkRowConstraints([{ id: null, part: 'a' }], replace, SCHEMA, {})).toThrow(expect.objectContaining({ context: { row: 0, predicate: 'id > 5' } }))
    expect(() => checkRowConstraints([{ id: 6n, part: 'a' }, { id: 7n, part: null }], replace, SCHEMA, {})).not.toThrow()
  })

  it('enforces the table CHECK constraints with or without replaceWhere', () => {
    const config = { 'delta.constraints.positive': 'id > 0' }
    expect(() => checkRowConstraints([{ id: -1n, part: 'a' }], undefined, SCHEMA, config)).toThrow(expect.objectContaining({ code: 'ConstraintViolation' }))
    expect(() => checkRowConstraints([{ id: 1n, part: 'a' }], undefined, SCHEMA, config)).not.toThrow()
  })
})

describe('planReplaceWhere', () => {
  it('reads a file its stats cannot rule out but keeps it when none of its rows match', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ id: 1n, part: 'a' }, { id: 9n, part: 'a' }], { schema: SCHEMA })
    const table = await DeltaTable.open(store)
    const engine = createEngine(store)
    const plan = await planReplaceWhere(engine, table.snapshot, compileReplaceWhere('id = 5', SCHEMA, []), SCHEMA)
    expect(plan).toEqual({ removes: [], rewritten: [], rowsKept: 0, readFiles: [table.files()[0]?.path] })
  })

  it('removes a whole partition without reading it, and nothing else', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ id: 1n, part: 'a' }, { id: 2n, part: 'b' }], { schema: SCHEMA, partitionBy: ['part'] })
    const table = await DeltaTable.open(store)
    const counted = countingStore(store)
    const plan = await planReplaceWhere(createEngine(counted.store), table.snapshot, compileReplaceWhere("part = 'a'", SCHEMA, ['part']), SCHEMA)
    const fileA = table.files().find((f) => f.partitionValues['part'] === 'a')
    expect(plan).toMatchObject({ rewritten: [], rowsKept: 0, readFiles: [fileA?.path] })
    expect(plan.removes.map((r) => r.path)).toEqual([fileA?.path])
    expect(counted.total()).toBe(0)
  })

  it('stops reading when aborted, even when the file it reads would be removed whole', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ id: 1n, part: 'a' }], { schema: SCHEMA })
    const table = await DeltaTable.open(store)
    const controller = new AbortController()
    controller.abort()
    const plan = planReplaceWhere(createEngine(store), table.snapshot, compileReplaceWhere('id = 1', SCHEMA, []), SCHEMA, controller.signal)
    await expect(plan).rejects.toMatchObject({ code: 'Aborted' })
  })

  it('stops writing the rows it keeps when aborted while writing them', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ id: 1n, part: 'a' }, { id: 9n, part: 'a' }], { schema: SCHEMA })
    const table = await DeltaTable.open(store)
    const controller = new AbortController()
    const abortOnWrite: ObjectStore = {
      url: store.url,
      get: (p, o) => store.get(p, o),
      head: (p, o) => store.head(p, o),
      put: (p, b, o) => store.put(p, b, o),
      list: (p, o) => store.list(p, o),
      delete: (p, o) => store.delete(p, o),
      putIfAbsent: (p, b, o) => {
        controller.abort()
        return store.putIfAbsent(p, b, o)
      },
    }
    const plan = planReplaceWhere(createEngine(abortOnWrite), table.snapshot, compileReplaceWhere('id = 1', SCHEMA, []), SCHEMA, controller.signal)
    await expect(plan).rejects.toMatchObject({ code: 'Aborted', context: { method: 'putIfAbsent' } })
  })
})
