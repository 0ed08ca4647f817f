import { describe, expect, it } from 'vitest'
import type { DataType, StructField, StructType } from '@lake/parquet'
import { bindConstraints, constraintEvaluator, enforceConstraints } from '../src/rows/row-constraints.js'
import { canWrite } from '../src/features/index.js'

const p = (name: string): DataType => ({ kind: 'primitive', name } as DataType)
const f = (name: string, type: DataType, metadata: Record<string, unknown> = {}): StructField => ({ name, type, nullable: true, metadata })
const schema: StructType = {
  kind: 'struct',
  fields: [f('id', p('long'), { 'delta.invariants': JSON.stringify({ expression: { expression: 'id > 0' } }) }), f('status', p('string'))],
}
const config = { 'delta.constraints.known_status': "status IN ('new', 'done')" }

describe('row constraints', () => {
  const bound = bindConstraints(schema, config)

  it('accepts rows satisfying every invariant and CHECK constraint', () => {
    expect(() => enforceConstraints([{ id: 1n, status: 'new' }, { id: 2n, status: 'done' }], bound)).not.toThrow()
  })

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a false invariant', { id: 0n, status: 'new' }, /row 5 violates invariant on column 'id': expected \(id > 0\) to be true, found false/],
    ['a null invariant', { id: null, status: 'new' }, /found null/],
    ['a false CHECK constraint', { id: 1n, status: 'lost' }, /violates CHECK constraint 'known_status'/],
  ])('rejects %s, naming the constraint and the row', (_name, row, message) => {
    expect(() => enforceConstraints([{ id: 1n, status: 'new' }, row as never], bound, 4)).toThrow(message)
    expect(() => enforceConstraints([row as never], bound)).toThrow(expect.objectContaining({ code: 'ConstraintViolation' }))
  })

  it('evaluates constraints with functions, arithmetic and CASE (the expression language)', () => {
    const fancy = bindConstraints(schema, { 'delta.constraints.fancy': "length(status) < 5 AND CASE WHEN status LIKE 'n%' THEN id * 2 > 1 ELSE TRUE END" })
    expect(() => enforceConstraints([{ id: 1n, status: 'new' }, { id: 9n, status: 'done' }], fancy)).not.toThrow()
    expect(() => enforceConstraints([{ id: 1n, status: 'lost!' }], fancy)).toThrow(/violates CHECK constraint 'fancy'/)
  })

  it.each([
    ["regexp_like(status, 'a')", 'unknown function'],
    ['length(status)', 'not boolean'],
  ])('refuses constraints the expression language cannot evaluate as a condition (%s), naming them', (expression) => {
    expect(() => bindConstraints(schema, { 'delta.constraints.fancy': expression })).toThrow(
      expect.objectContaining({ code: 'UnsupportedFeature', context: expect.objectContaining({ constraint: 'fancy' }) }),
    )
  })

  it('lets canWrite accept tables whose constraints bind', () => {
    const target = { protocol: { minReaderVersion: 1, minWriterVersion: 3 }, schema, configuration: config }
    expect(canWrite(target, { removesData: false }, { canEvaluate: constraintEvaluator(schema) })).toEqual({ status: 'ok' })
    const bad = { ...target, configuration: { 'delta.constraints.fancy': "regexp_like(status, 'a')" } }
    expect(canWrite(bad, { removesData: false }, { canEvaluate: constraintEvaluator(schema) })).toMatchObject({ status: 'unsupported', feature: 'checkConstraints' })
  })
})
