import { describe, expect, it } from 'vitest'
import type { DataType, StructField, StructType } from '@lake/parquet'
import { mergeSchemas } from '../src/schema/schema-evolution.js'
import { inferSchema } from '../src/rows/infer-schema.js'
import { validateSchema } from '../src/schema/validate-schema.js'

const p = (name: string): DataType => ({ kind: 'primitive', name } as DataType)
const dec = (precision: number, scale: number): DataType => ({ kind: 'decimal', precision, scale })
const f = (name: string, type: DataType, nullable = true, metadata: Record<string, unknown> = {}): StructField => ({ name, type, nullable, metadata })
const struct = (...fields: StructField[]): StructType => ({ kind: 'struct', fields })
const arr = (elementType: DataType): DataType => ({ kind: 'array', elementType, containsNull: true })
const map = (keyType: DataType, valueType: DataType): DataType => ({ kind: 'map', keyType, valueType, valueContainsNull: true })

describe('mergeSchemas', () => {
  it('keeps the table schema unchanged when the incoming schema adds nothing', () => {
    const table = struct(f('id', p('long'), false), f('name', p('string')))
    const result = mergeSchemas(table, struct(f('ID', p('long')), f('name', p('string'))))
    expect(result).toEqual({ schema: table, changed: false })
  })

  it('appends new top-level columns at the end as nullable', () => {
    const table = struct(f('id', p('long'), false))
    const result = mergeSchemas(table, struct(f('extra', p('string'), false), f('id', p('long'))))
    expect(result.changed).toBe(true)
    expect(result.schema).toEqual(struct(f('id', p('long'), false), f('extra', p('string'), true)))
  })

  it('adds nested struct fields, also inside array elements and map values, keeping table casing and metadata', () => {
    const meta = { comment: 'kept' }
    const table = struct(
      f('Addr', struct(f('City', p('string'))), true, meta),
      f('items', arr(struct(f('sku', p('string'))))),
      f('m', map(p('string'), struct(f('a', p('long'))))),
    )
    const incoming = struct(
      f('addr', struct(f('city', p('string')), f('zip', p('string'), false))),
      f('items', arr(struct(f('qty', p('long'))))),
      f('m', map(p('string'), struct(f('b', p('double'))))),
    )
    const { schema, changed } = mergeSchemas(table, incoming)
    expect(changed).toBe(true)
    expect(schema).toEqual(
      struct(
        f('Addr', struct(f('City', p('string')), f('zip', p('string'), true)), true, meta),
        f('items', arr(struct(f('sku', p('string')), f('qty', p('long'))))),
        f('m', map(p('string'), struct(f('a', p('long')), f('b', p('double'))))),
      ),
    )
  })

  it.each<[string, DataType, DataType]>([
    ['long into integer (values checked later)', p('integer'), p('long')],
    ['double into decimal', dec(10, 2), p('double')],
    ['string into date', p('date'), p('string')],
    ['string into decimal', dec(10, 2), p('string')],
    ['Date (timestamp) into date', p('date'), p('timestamp')],
    ['bigint micros into timestamp', p('timestamp'), p('long')],
    ['void (only nulls) into boolean', p('boolean'), p('void')],
    ['struct of longs into map<string,long>', map(p('string'), p('long')), struct(f('a', p('long')))],
  ])('keeps the table type when %s', (_name, tableType, incomingType) => {
    const table = struct(f('c', tableType))
    expect(mergeSchemas(table, struct(f('c', incomingType)))).toEqual({ schema: table, changed: false })
  })

  it('replaces a void table column with the incoming type', () => {
    expect(mergeSchemas(struct(f('c', p('void'))), struct(f('c', p('long'))))).toEqual({ schema: struct(f('c', p('long'))), changed: true })
  })

  it.each<[string, DataType, DataType, RegExp]>([
    ['long into string', p('string'), p('long'), /column 'c' has type string in the table; incoming type long/],
    ['boolean into long', p('long'), p('boolean'), /incoming type boolean/],
    ['struct into long', p('long'), struct(f('a', p('long'))), /incoming type struct<a:long>/],
    ['array into map', map(p('string'), p('long')), arr(p('long')), /cannot be merged/],
    ['timestamp_ntz from timestamp is not timestamp', p('timestamp_ntz'), p('date'), /incoming type date/],
    ['binary into string', p('string'), p('binary'), /incoming type binary/],
  ])('rejects %s', (_name, tableType, incomingType, message) => {
    expect(() => mergeSchemas(struct(f('c', tableType)), struct(f('c', incomingType)))).toThrow(message)
  })

  it('names the nested column path of an incompatible type', () => {
    const table = struct(f('a', struct(f('b', arr(p('long'))))))
    const incoming = struct(f('a', struct(f('b', arr(p('boolean'))))))
    expect(() => mergeSchemas(table, incoming)).toThrow(
      expect.objectContaining({ code: 'SchemaMismatch', context: { column: 'a.b.element', expected: 'long', found: 'boolean' } }),
    )
  })

  it('rejects a new column that holds only nulls and incoming names duplicated by case', () => {
    expect(() => mergeSchemas(struct(f('a', p('long'))), struct(f('n', p('void'))))).toThrow(/only nulls/)
    expect(() => mergeSchemas(struct(f('a', p('long'))), struct(f('x', p('long')), f('X', p('long'))))).toThrow(/two fields named 'X'/)
  })
})

describe('inferSchema', () => {
  it('infers each JS value type, all nullable, columns in first-seen order', () => {
    const rows = [
      { i: 1, d: 1.5, b: 2n, s: 'x', t: true, ts: new Date(0), bin: new Uint8Array(1), arr: [1, 2], m: new Map([['k', 1.5]]), o: { x: 1 } },
      { i: 2, d: 2, n: null },
    ]
    expect(inferSchema(rows)).toEqual(
      struct(
        f('i', p('long')), f('d', p('double')), f('b', p('long')), f('s', p('string')), f('t', p('boolean')),
        f('ts', p('timestamp')), f('bin', p('binary')), f('arr', arr(p('long'))), f('m', map(p('string'), p('double'))),
        f('o', struct(f('x', p('long')))), f('n', p('void')),
      ),
    )
  })

  it('widens integers to double when a column mixes them with fractions and unions struct fields', () => {
    expect(inferSchema([{ x: 1, o: { a: 1 } }, { x: 0.5, o: { B: 's' } }, { o: { b: null } }])).toEqual(
      struct(f('x', p('double')), f('o', struct(f('a', p('long')), f('B', p('string'))))),
    )
  })

  it.each<[string, unknown[], RegExp]>([
    ['a column with two types', [{ a: 1 }, { a: 'x' }], /cannot infer one type for column 'a': found values of type long and string/],
    ['nested mixed element types', [{ a: [{ b: true }, { b: 1 }] }], /column 'a.element.b'/],
    ['a class instance', [{ a: new (class Foo {})() }], /column 'a' holds object Foo/],
    ['a row that is not an object', [1], /row 0 must be a plain object/],
  ])('rejects %s', (_name, rows, message) => {
    expect(() => inferSchema(rows)).toThrow(message)
  })
})

describe('validateSchema', () => {
  const ok = struct(f('id', p('long')), f('date', p('date')), f('s', struct(f('x', dec(38, 38)))))

  it('accepts a valid schema and partitioning', () => {
    expect(() => validateSchema(ok, ['date'])).not.toThrow()
  })

  it.each<[string, StructType, string[], string, RegExp]>([
    ['empty name', struct(f('', p('long'))), [], '', /field name at '\(top level\)' is empty/],
    ['invalid character', struct(f('a b', p('long'))), [], 'a b', /contains one of the characters/],
    ['case-insensitive duplicate', struct(f('a', p('long')), f('A', p('long'))), [], 'A', /duplicates 'a'/],
    ['nested duplicate', struct(f('s', struct(f('x', p('long')), f('X', p('long'))))), [], 's.X', /column 's.X' duplicates/],
    ['decimal precision', struct(f('d', dec(39, 2))), [], 'd', /precision must be 1..38/],
    ['decimal scale', struct(f('d', dec(5, 6))), [], 'd', /scale must be 0..precision/],
    ['void column', struct(f('v', arr(p('void')))), [], 'v.element', /type void/],
    ['missing partition column', ok, ['Date'], 'Date', /did you mean 'date'/],
    ['nested partition column', ok, ['s'], 's', /must be of a primitive type/],
    ['repeated partition column', ok, ['date', 'date'], 'date', /listed twice/],
    ['all columns partitioned', struct(f('a', p('long'))), ['a'], 'a', /every column is a partition column/],
  ])('rejects %s, naming the field', (_name, schema, partitions, column, message) => {
    expect(() => validateSchema(schema, partitions)).toThrow(message)
    expect(() => validateSchema(schema, partitions)).toThrow(expect.objectContaining({ code: 'InvalidArgument', context: { column } }))
  })
})
