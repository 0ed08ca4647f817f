// RecordCoercer: the schema policies (evolve, freeze, discard) and coercion failures as data.
import { describe, expect, it } from 'vitest'
import type { StructType } from '@lake/parquet'
import { RecordCoercer } from '../src/index.js'

const SCHEMA: StructType = { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} }] }

describe('RecordCoercer', () => {
  it('evolves: a new typed column joins the schema, nulls alone do not', () => {
    const c = new RecordCoercer(SCHEMA, [], 'evolve')
    expect(c.coerce({ id: 1, tag: null }, 0)).toEqual({ ok: true, row: { id: 1n } })
    expect(c.addedColumns).toEqual([])
    expect(c.coerce({ id: 2, tag: 'x' }, 1)).toEqual({ ok: true, row: { id: 2n, tag: 'x' } })
    expect(c.addedColumns).toEqual(['tag'])
    expect(c.schema.fields.map((f) => f.name)).toEqual(['id', 'tag'])
  })

  it('freezes: a record with an unknown column is rejected, naming it', () => {
    const c = new RecordCoercer(SCHEMA, [], 'freeze')
    expect(c.coerce({ id: 1, extra: true }, 0)).toMatchObject({ ok: false, code: 'SchemaMismatch', message: expect.stringContaining(`'extra'`) })
  })

  it('discards unknown columns', () => {
    const c = new RecordCoercer(SCHEMA, [], 'discard')
    expect(c.coerce({ id: 1, extra: true }, 0)).toEqual({ ok: true, row: { id: 1n } })
    expect(c.schema).toBe(SCHEMA)
  })

  it('returns wrong types as a failure instead of throwing', () => {
    const c = new RecordCoercer(SCHEMA, [], 'evolve')
    expect(c.coerce({ id: 'seven' }, 3)).toMatchObject({ ok: false, code: 'SchemaMismatch' })
    expect(c.coerce('not a row', 4)).toMatchObject({ ok: false, code: 'SchemaMismatch' })
  })
})
