// Exact JSON numbers (`JsonNumber`) on write: a number written with a fraction or exponent infers
// double whatever its value, coercers take JsonNumbers exactly, 1e999 is refused; a streamed new
// table whose later rows need a wider type than the first chunk showed fails before any commit,
// saying how to give the schema.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { StructType } from '@lake/parquet'
import { DeltaTable, JsonNumber, SchemaError, coerceRows, inferSchema, writeDelta } from '../src/internal.js'

const n = (text: string): JsonNumber => new JsonNumber(text)
const field = (name: string, type: StructType['fields'][number]['type']): StructType['fields'][number] => ({ name, type, nullable: true, metadata: {} })

describe('JsonNumber inference', () => {
  it('is long when written as an integer and double when written with a fraction or exponent', () => {
    const schema = inferSchema([{ a: n('5.0'), b: n('1e3'), c: n('12345678901234567.5'), d: n('7'), e: n('-9223372036854775808') }])
    expect(schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['a', { kind: 'primitive', name: 'double' }],
      ['b', { kind: 'primitive', name: 'double' }],
      ['c', { kind: 'primitive', name: 'double' }],
      ['d', { kind: 'primitive', name: 'long' }],
      ['e', { kind: 'primitive', name: 'long' }],
    ])
    expect(inferSchema([{ p: 5 }, { p: n('5.0') }]).fields[0]?.type).toEqual({ kind: 'primitive', name: 'double' })
  })
})

describe('JsonNumber coercion', () => {
  const schema: StructType = {
    kind: 'struct',
    fields: [
      field('l', { kind: 'primitive', name: 'long' }),
      field('i', { kind: 'primitive', name: 'integer' }),
      field('f', { kind: 'primitive', name: 'float' }),
      field('d', { kind: 'primitive', name: 'double' }),
      field('m', { kind: 'decimal', precision: 38, scale: 2 }),
    ],
  }

  it('takes each number exactly for its column', () => {
    const [row] = coerceRows([{ l: n('9223372036854775807'), i: n('5.0'), f: n('1.5'), d: n('1e3'), m: n('1.25E2') }], schema)
    expect(row).toEqual({ l: 9223372036854775807n, i: 5, f: 1.5, d: 1000, m: '125.00' })
    expect(coerceRows([{ l: n('5.0'), m: n('12345678901234567.89') }], schema)[0]).toMatchObject({ l: 5n, m: '12345678901234567.89' })
  })

  it('refuses 1e999 for a double and 5.5 for a long, naming the column and row', () => {
    const refused = (row: Record<string, unknown>): SchemaError => {
      try {
        coerceRows([{}, row], schema)
      } catch (err) {
        return err as SchemaError
      }
      throw new Error('expected a SchemaError')
    }
    expect(refused({ d: n('1e999') })).toMatchObject({ code: 'SchemaMismatch', context: { column: 'd', expected: 'double', found: 'number 1e999', row: 1 } })
    expect(refused({ d: n('1e999') }).message).toContain('beyond the double range')
    expect(refused({ l: n('5.5') })).toMatchObject({ code: 'SchemaMismatch', context: { column: 'l', found: 'number 5.5', row: 1 } })
  })

  it('writeDelta writes JsonNumbers of a new table as the types they were written as', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [{ price: n('5.0'), qty: n('3') }, { price: n('9.5'), qty: n('4') }])
    const table = await DeltaTable.open(store)
    expect(table.schema.fields.map((f) => f.type)).toEqual([{ kind: 'primitive', name: 'double' }, { kind: 'primitive', name: 'long' }])
    expect(await table.toArray()).toEqual([{ price: 5, qty: 3n }, { price: 9.5, qty: 4n }])
  })
})

describe('a streamed new table meeting a wider value later', () => {
  async function* prices(): AsyncGenerator<unknown> {
    for (let i = 0; i < 150_000; i++) yield { price: 5 }
    yield { price: 9.5 }
  }

  it('fails before any commit, saying how to give the schema', async () => {
    const store = new MemoryStore()
    let error: SchemaError | undefined
    try {
      await writeDelta(store, prices())
    } catch (err) {
      error = err as SchemaError
    }
    expect(error).toMatchObject({ code: 'SchemaMismatch', context: { column: 'price', expected: 'long', row: 150_000 } })
    expect(error?.message).toMatch(/Help: the new table's schema was inferred from the first \d+ rows; nothing was committed\. Pass the schema/)
    const keys: string[] = []
    for await (const meta of store.list('')) keys.push(meta.path)
    expect(keys).toEqual([])
  })

  it('writes every row when the schema is given', async () => {
    const store = new MemoryStore()
    await writeDelta(store, prices(), { schema: { kind: 'struct', fields: [field('price', { kind: 'primitive', name: 'double' })] } })
    expect(await (await DeltaTable.open(store)).toArray({ filter: 'price > 9' })).toEqual([{ price: 9.5 }])
  })
})
