// The pure pieces of UPDATE: its plan (SET and WHERE bound before I/O, candidate files, mode,
// constraints), the per-row change with its pre/post-image sink, and its metrics.

import { describe, expect, it } from 'vitest'
import type { Row } from '@lake/parquet'
import type { AddFile } from '../../src/internal.js'
import { parseTableConfig, planUpdate, updateChange, updateMetrics } from '../../src/internal.js'
import { FILES, SCHEMA } from './helpers.js'

const snapshot = (configuration: Record<string, string> = {}) => ({
  schema: SCHEMA,
  partitionColumns: ['p'],
  config: parseTableConfig(configuration),
  metadata: { id: 't', format: { provider: 'parquet', options: {} }, schemaString: '', partitionColumns: ['p'], configuration },
  files: () => FILES,
})
const CONTEXT = { nowMs: 0 }

describe('planUpdate', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, ['a1', 'a2', 'b1']],
    ["p = 'a'", ['a1', 'a2']],
    ["p = 'z'", []],
    ['id >= 10', ['a2']],
    ["id < 5 AND p = 'b'", ['b1']],
    ['v IS NULL', ['a1', 'a2', 'b1']],
  ])('WHERE %s reads %j', (where, read) => {
    const plan = planUpdate(snapshot(), { set: { v: '1' }, ...(where === undefined ? {} : { where }) }, CONTEXT)
    expect(plan.read.map((f) => f.path)).toEqual(read)
  })

  it('resolves SET columns to the schema spelling, compiles values to the column type and picks the mode from the table', () => {
    const plan = planUpdate(snapshot({ 'delta.enableDeletionVectors': 'true', 'delta.constraints.c': 'v > 0' }), { set: { V: '5', P: "'x'" }, where: 'id = 1' }, CONTEXT)
    expect(plan.mode).toBe('deletionVectors')
    expect(plan.assignments.map((a) => [a.column, a.value.type, a.value.evaluate([{}])])).toEqual([
      ['v', { kind: 'primitive', name: 'integer' }, 5],
      ['p', { kind: 'primitive', name: 'string' }, 'x'],
    ])
    expect(plan.condition?.sql).toBe('id = 1')
    expect(plan.constraints.map((c) => c.constraint.name)).toEqual(['c'])
    expect(planUpdate(snapshot(), { set: { v: '1' } }, CONTEXT)).toMatchObject({ mode: 'copyOnWrite', condition: undefined, predicate: undefined })
  })

  it.each([
    ['unknown column', { set: { nope: '1' } }, { code: 'InvalidArgument', context: { column: 'nope' }, message: expect.stringContaining("unknown column 'nope' in set: expected one of id, p, v") }],
    ['set twice', { set: { p: "'a'", P: "'b'" } }, { code: 'InvalidArgument', context: { column: 'p' } }],
    ['empty set', { set: {} }, { code: 'InvalidArgument', message: expect.stringContaining('expected at least one column') }],
    ['not SQL text', { set: { v: 1 as unknown as string } }, { code: 'InvalidArgument', context: { column: 'v' } }],
    ['a prototype key', { set: JSON.parse('{"__proto__":"1"}') as Record<string, string> }, { code: 'InvalidArgument', context: { column: '__proto__' } }],
    ['literal of another type', { set: { v: "'x'" } }, { code: 'InvalidPredicate' }],
    ['a boolean for an integer column', { set: { v: 'v = 1' } }, { code: 'InvalidPredicate', context: expect.objectContaining({ position: expect.any(Number) }) }],
    ['bad WHERE', { set: { v: '1' }, where: 'id >' }, { code: 'InvalidPredicate', context: expect.objectContaining({ position: expect.any(Number), expression: 'id >' }) }],
  ])('%s is refused', (_name, spec, error) => {
    expect(() => planUpdate(snapshot(), spec, CONTEXT)).toThrow(expect.objectContaining(error))
  })
})

describe('updateChange', () => {
  const row = (id: number, v: number | null): Row => ({ id: BigInt(id), p: 'a', v })

  it('replaces the rows WHERE is TRUE on (SET values from the old row), keeps the others, and hands both images to the sink', () => {
    const plan = planUpdate(snapshot(), { set: { v: '0', p: "'b'" }, where: 'v > 1' }, CONTEXT)
    const images: [Row, Row][] = []
    const change = updateChange(plan, SCHEMA, ['p'], (pre, post) => images.push([pre, post]))
    expect(change(row(1, 1))).toBeUndefined()
    expect(change(row(2, null))).toBeUndefined() // NULL is not TRUE
    expect(change(row(3, 5))).toEqual({ id: 3n, p: 'b', v: 0 })
    expect(images).toEqual([[row(3, 5), { id: 3n, p: 'b', v: 0 }]])
  })

  it('checks each new row: NOT NULL and CHECK constraints, counting updated rows', () => {
    const notNull = updateChange(planUpdate(snapshot(), { set: { id: 'NULL' } }, CONTEXT), SCHEMA, ['p'])
    expect(() => notNull(row(1, 1))).toThrow(expect.objectContaining({ code: 'SchemaMismatch', context: expect.objectContaining({ column: 'id', row: 0 }) }))
    const checked = updateChange(planUpdate(snapshot({ 'delta.constraints.pos': 'v > 0' }), { set: { v: '0' }, where: 'id > 1' }, CONTEXT), SCHEMA, ['p'])
    expect(checked(row(1, 1))).toBeUndefined()
    expect(() => checked(row(2, 1))).toThrow(expect.objectContaining({ code: 'ConstraintViolation', context: { constraint: 'pos', expression: 'v > 0', row: 0 } }))
  })
})

describe('updateMetrics', () => {
  it('counts updated and copied rows, files, DVs and bytes in Spark names', () => {
    const applied = {
      removes: [FILES[2] as AddFile],
      dvUpdates: new Map(),
      dvFiles: [FILES[0] as AddFile, FILES[2] as AddFile],
      dvStats: new Map(),
      adds: [{ ...(FILES[0] as AddFile), path: 'new', size: 55 }],
      dvPath: undefined,
      copiedRows: 9,
    }
    expect(updateMetrics({ updatedRows: 4, copiedRows: 6, applied, timesMs: { execution: 3, scan: 2, rewrite: 1 } })).toEqual({
      numUpdatedRows: 4, numCopiedRows: 6, numAddedFiles: 1, numRemovedFiles: 1, numAddedChangeFiles: 0,
      numDeletionVectorsAdded: 1, numDeletionVectorsUpdated: 1, numDeletionVectorsRemoved: 1,
      numAddedBytes: 55, numRemovedBytes: 100, executionTimeMs: 3, scanTimeMs: 2, rewriteTimeMs: 1,
    })
  })
})
