// Unit tables for MERGE's pure parts: clause order, the plan (groups, Spark's commitInfo parameters,
// insert-only, the multiple-match exception, schema evolution), key encoding, the source hash, and
// target pruning by partition values and key stats.

import type { Row, StructType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../../src/index.js'
import type { AddFile } from '../../src/internal.js'
import { checkClauseOrder, encodeKeyValue, hashSource, mergeCandidates, planMerge, sourceSchema } from '../../src/internal.js'
import type { MergeClause, MergeSpec } from '../../src/internal.js'
import { SCHEMA, newTable } from './helpers.js'

const NOW = { nowMs: 0 }
const spec = (clauses: MergeClause[], on = 'target.id = source.id', schemaMode?: 'merge'): MergeSpec => ({ on, sourceAlias: 'source', targetAlias: 'target', schemaMode, clauses })
const SOURCE: StructType = { kind: 'struct', fields: SCHEMA.fields.map((f) => ({ ...f, nullable: true })) }

async function snapshot(options: { dv: boolean; partitioned: boolean }) {
  const { engine } = await newTable(options)
  return (await DeltaTable.open(engine)).snapshot
}

describe('checkClauseOrder', () => {
  it.each<[string, MergeClause[], number | undefined]>([
    ['one unconditional clause per group', [{ kind: 'matchedDelete' }, { kind: 'notMatchedInsertAll' }, { kind: 'notMatchedBySourceDelete' }], undefined],
    ['conditional clauses before the unconditional one', [{ kind: 'matchedDelete', condition: 'source.v = 1' }, { kind: 'matchedUpdateAll' }], undefined],
    ['an unconditional matched clause before another', [{ kind: 'matchedUpdateAll' }, { kind: 'matchedDelete', condition: 'source.v = 1' }], 1],
    ['an unconditional insert before another insert', [{ kind: 'notMatchedInsertAll' }, { kind: 'notMatchedInsert', values: { id: 'source.id' } }], 1],
    ['unconditional clauses of different groups in any order', [{ kind: 'notMatchedBySourceDelete' }, { kind: 'matchedDelete' }, { kind: 'notMatchedInsertAll' }], undefined],
  ])('%s', (_name, clauses, failingClause) => {
    if (failingClause === undefined) expect(() => checkClauseOrder(clauses)).not.toThrow()
    else expect(() => checkClauseOrder(clauses)).toThrow(expect.objectContaining({ code: 'InvalidArgument', context: expect.objectContaining({ clause: failingClause }) }))
  })
})

describe('planMerge', () => {
  it.each<[string, MergeClause[], { insertOnly: boolean; multipleMatchesAllowed: boolean; matched: number; notMatched: number; bySource: number }]>([
    ['upsert', [{ kind: 'matchedUpdateAll' }, { kind: 'notMatchedInsertAll' }], { insertOnly: false, multipleMatchesAllowed: false, matched: 1, notMatched: 1, bySource: 0 }],
    ['insert only', [{ kind: 'notMatchedInsertAll', condition: 'source.v > 0' }, { kind: 'notMatchedInsertAll' }], { insertOnly: true, multipleMatchesAllowed: true, matched: 0, notMatched: 2, bySource: 0 }],
    ['delete only, unconditional', [{ kind: 'matchedDelete' }], { insertOnly: false, multipleMatchesAllowed: true, matched: 1, notMatched: 0, bySource: 0 }],
    ['delete only, conditional', [{ kind: 'matchedDelete', condition: 'source.v > 0' }], { insertOnly: false, multipleMatchesAllowed: false, matched: 1, notMatched: 0, bySource: 0 }],
    ['by source only', [{ kind: 'notMatchedBySourceDelete' }], { insertOnly: false, multipleMatchesAllowed: true, matched: 0, notMatched: 0, bySource: 1 }],
  ])('%s', async (_name, clauses, expected) => {
    const plan = planMerge(await snapshot({ dv: false, partitioned: false }), SOURCE, spec(clauses), NOW)
    expect({ insertOnly: plan.insertOnly, multipleMatchesAllowed: plan.multipleMatchesAllowed, matched: plan.matched.length, notMatched: plan.notMatched.length, bySource: plan.notMatchedBySource.length }).toEqual(expected)
  })

  it("records Spark's parameters: the ON text and each group's clauses with their conditions", async () => {
    const plan = planMerge(await snapshot({ dv: true, partitioned: false }), SOURCE, spec([
      { kind: 'matchedUpdate', set: { v: 'source.v' }, condition: 'source.v > target.v' },
      { kind: 'matchedDelete' },
      { kind: 'notMatchedInsertAll' },
      { kind: 'notMatchedBySourceUpdate', set: { v: '0' }, condition: 'target.v IS NULL' },
    ]), NOW)
    expect(plan.mode).toBe('deletionVectors')
    expect(plan.parameters).toEqual({
      predicate: ['target.id = source.id'],
      matchedPredicates: [{ predicate: 'source.v > target.v', actionType: 'update' }, { actionType: 'delete' }],
      notMatchedPredicates: [{ actionType: 'insert' }],
      notMatchedBySourcePredicates: [{ predicate: 'target.v IS NULL', actionType: 'update' }],
    })
  })

  it('an insert-only MERGE reads only the target columns ON uses', async () => {
    const plan = planMerge(await snapshot({ dv: false, partitioned: false }), SOURCE, spec([{ kind: 'notMatchedInsertAll' }]), NOW)
    expect(plan.join.targetColumns).toEqual(['id'])
  })

  it('splits ON into hash keys, target-only, source-only and residual conjuncts', async () => {
    const on = "target.id = source.id AND target.p = 'a' AND source.v > 1 AND target.v < source.v AND source.p = target.p"
    const plan = planMerge(await snapshot({ dv: false, partitioned: false }), SOURCE, spec([{ kind: 'matchedDelete' }], on), NOW)
    expect(plan.join.keys.map((k) => [k.target.sql, k.source.sql, k.targetColumn])).toEqual([['target.id', 'source.id', 'id'], ['target.p', 'source.p', 'p']])
    expect([plan.join.targetOnly.length, plan.join.sourceOnly.length, plan.join.residual.length]).toEqual([1, 1, 1])
    expect([...plan.join.targetColumns].sort()).toEqual(['id', 'p', 'v']) // what an insert-only MERGE reads of the target
  })

  it('with schemaMode merge and a star clause, new source columns evolve the schema (metadata to commit)', async () => {
    const source: StructType = { kind: 'struct', fields: [...SOURCE.fields, { name: 'extra', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} }] }
    const snap = await snapshot({ dv: false, partitioned: false })
    const evolved = planMerge(snap, source, spec([{ kind: 'notMatchedInsertAll' }], undefined, 'merge'), NOW)
    expect(evolved.schema.fields.map((f) => f.name)).toEqual(['id', 'p', 'v', 'extra'])
    expect(evolved.metadata?.schemaString).toContain('"extra"')
    const explicit = planMerge(snap, source, spec([{ kind: 'notMatchedInsert', values: { id: 'source.id' } }], undefined, 'merge'), NOW)
    expect(explicit.metadata).toBeUndefined()
  })

  it.each([
    ['same alias twice', { sourceAlias: 't', targetAlias: 'T' }],
    ['an empty alias', { sourceAlias: '', targetAlias: 'target' }],
  ])('refuses %s', async (_name, aliases) => {
    const snap = await snapshot({ dv: false, partitioned: false })
    expect(() => planMerge(snap, SOURCE, { ...spec([{ kind: 'matchedDelete' }]), ...aliases }, NOW)).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
  })
})

describe('source hash', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['int and long of one value', 5, 5n, true],
    ['zero and negative zero', 0, -0, true],
    ['a number and its string', 5, '5', false],
    ['two strings', 'a', 'a', true],
    ['a fraction and an integer', 1.5, 1, false],
  ])('encodeKeyValue: %s', (_name, a, b, equal) => {
    expect(encodeKeyValue(a as never) === encodeKeyValue(b as never)).toBe(equal)
  })

  it('hashes rows by key; NULL keys and rows failing a source-only conjunct never match; keeps key values for pruning', async () => {
    const plan = planMerge(await snapshot({ dv: false, partitioned: false }), SOURCE, spec([{ kind: 'matchedDelete' }], 'target.id = source.id AND source.v IS NOT NULL'), NOW)
    const rows: Row[] = [{ id: 1n, p: 'a', v: 1 }, { id: null, p: 'a', v: 1 }, { id: 2n, p: 'a', v: null }, { id: 1n, p: 'b', v: 2 }]
    const hash = hashSource(rows, plan.join)
    expect(hash.matchable).toEqual([0, 3])
    expect([...hash.buckets.values()]).toEqual([[0, 3]])
    expect(hash.keyValues).toEqual([[1n, 1n]])
  })

  it.each<[string, string, Row[], Row, number[]]>([
    ['an integer target key probes long source keys by value', 'target.v = source.id', [{ id: 5n }, { id: 6n }, { id: 5n }], { v: 5 }, [0, 2]],
    ['a long key beyond 2^53 matches only itself', 'target.id = source.id', [{ id: 2n ** 60n }, { id: 2n ** 60n + 1n }], { id: 2n ** 60n + 1n }, [1]],
    ['a string key', 'target.p = source.p', [{ p: 'a' }, { p: 'b' }], { p: 'b' }, [1]],
    ['a NULL target key matches nothing', 'target.p = source.p', [{ p: 'a' }], { p: null }, []],
    ['two keys', 'target.p = source.p AND target.id = source.id', [{ id: 1n, p: 'a' }, { id: 1n, p: 'b' }], { id: 1, p: 'b' }, [1]],
  ])('probe: %s', async (_name, on, rows, target, expected) => {
    const plan = planMerge(await snapshot({ dv: false, partitioned: false }), SOURCE, spec([{ kind: 'matchedDelete' }], on), NOW)
    expect(hashSource(rows, plan.join).probe(target)).toEqual(expected)
  })

  it('types source columns as the target columns of the same name; others keep their inferred type', () => {
    const schema = sourceSchema(SCHEMA, { rows: [{ ID: 1, extra: true }], schema: undefined, bytes: 0 })
    expect(schema.fields.map((f) => [f.name, f.type])).toEqual([['ID', { kind: 'primitive', name: 'long' }], ['extra', { kind: 'primitive', name: 'boolean' }]])
  })

  it('takes the type of a column the target types from the target, not from its values (they are coerced to it)', () => {
    // Inference would refuse `id` (numbers and a decimal-digit string); the long column's coercer takes both.
    const schema = sourceSchema(SCHEMA, { rows: [{ id: 1, v: 2 }, { id: '2', v: null, extra: 'x' }], schema: undefined, bytes: 0 })
    expect(schema.fields.map((f) => [f.name, f.type])).toEqual([['id', { kind: 'primitive', name: 'long' }], ['v', { kind: 'primitive', name: 'integer' }], ['extra', { kind: 'primitive', name: 'string' }]])
  })

  it.each<[string, unknown[], Record<string, unknown>]>([
    ['a row that is not an object', [{ id: 1 }, 7], { row: 1 }],
    ['a new column of two types', [{ id: 1, extra: 1 }, { id: 2, extra: 'x' }], { column: 'extra' }],
  ])('still refuses %s with SchemaMismatch', (_name, rows, context) => {
    expect(() => sourceSchema(SCHEMA, { rows, schema: undefined, bytes: 0 })).toThrow(expect.objectContaining({ code: 'SchemaMismatch', context: expect.objectContaining(context) }))
  })
})

describe('mergeCandidates', () => {
  const file = (path: string, p: string, min: number, max: number): AddFile => ({
    path, partitionValues: { p }, size: 1, modificationTime: 0, dataChange: true,
    stats: JSON.stringify({ numRecords: 10, minValues: { id: min }, maxValues: { id: max }, nullCount: { id: 0 } }),
  })
  const files = [file('a', 'x', 0, 9), file('b', 'x', 10, 19), file('c', 'y', 20, 29)]

  it.each<[string, string, unknown[][], { wholeTable: boolean; anyMatchable: boolean }, string[], string | undefined]>([
    ['key stats: BETWEEN min AND max of the source keys', 'target.id = source.id', [[12n, 15n]], { wholeTable: false, anyMatchable: true }, ['b'], 'id BETWEEN 12 AND 15'],
    ['integral keys: only files holding a source value between their min and max', 'target.id = source.id', [[5n, 25n]], { wholeTable: false, anyMatchable: true }, ['a', 'c'], 'id BETWEEN 5 AND 25'],
    ['a source value on a file bound', 'target.id = source.id', [[19n, 40n]], { wholeTable: false, anyMatchable: true }, ['b'], 'id BETWEEN 19 AND 40'],
    ['partition keys: IN of the source values, exact', 'target.p = source.p', [['y']], { wholeTable: false, anyMatchable: true }, ['c'], "p IN ('y')"],
    ['NOT MATCHED BY SOURCE reads the whole table', 'target.id = source.id', [[12n]], { wholeTable: true, anyMatchable: true }, ['a', 'b', 'c'], undefined],
    ['no matchable source row reads nothing', 'target.id = source.id', [[]], { wholeTable: false, anyMatchable: false }, [], 'FALSE'],
    ['a target-side expression does not prune', 'target.id + 1 = source.id', [[12n]], { wholeTable: false, anyMatchable: true }, ['a', 'b', 'c'], undefined],
  ])('%s', async (_name, on, keyValues, options, expected, sql) => {
    const snap = await snapshot({ dv: false, partitioned: true })
    const plan = planMerge(snap, SOURCE, spec([{ kind: 'matchedDelete' }], on), NOW)
    const candidates = mergeCandidates(files, { schema: snap.schema, partitionColumns: snap.partitionColumns, columnMappingMode: 'none' }, plan.join, keyValues as never, options)
    expect(candidates.files.map((f) => f.path)).toEqual(expected)
    expect(candidates.predicate?.sql).toBe(sql)
  })
})
