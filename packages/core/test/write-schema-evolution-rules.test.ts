// mergeSchemas rules that decide whether a write changes the table's metadata: maps (keys, values,
// structs written into maps), void columns, arrays; each error names the column and both types.

import { describe, expect, it } from 'vitest'
import type { DataType, StructField, StructType } from '@lake/parquet'
import { mergeSchemas } from '../src/schema/schema-evolution.js'

const p = (name: string): DataType => ({ kind: 'primitive', name }) as DataType
const f = (name: string, type: DataType, nullable = true): StructField => ({ name, type, nullable, metadata: {} })
const struct = (...fields: StructField[]): StructType => ({ kind: 'struct', fields })
const arr = (elementType: DataType): DataType => ({ kind: 'array', elementType, containsNull: true })
const map = (keyType: DataType, valueType: DataType): DataType => ({ kind: 'map', keyType, valueType, valueContainsNull: true })
const one = (type: DataType): StructType => struct(f('c', type))

function mismatch(table: DataType, incoming: DataType): unknown {
  try {
    mergeSchemas(one(table), one(incoming))
  } catch (err) {
    return err
  }
  throw new Error('expected a SchemaMismatch, found none')
}

describe('mergeSchemas on map columns', () => {
  it('reports an unchanged map column as unchanged and keeps the table object', () => {
    const table = one(map(p('string'), struct(f('a', p('long')))))
    const result = mergeSchemas(table, one(map(p('string'), struct(f('A', p('integer'))))))
    expect(result.changed).toBe(false)
    expect(result.schema).toBe(table)
  })

  it('reports a map whose value gained a field as changed, keeping the key type', () => {
    const result = mergeSchemas(one(map(p('string'), struct(f('a', p('long'))))), one(map(p('string'), struct(f('a', p('long')), f('b', p('string'))))))
    expect(result).toEqual({ schema: one(map(p('string'), struct(f('a', p('long')), f('b', p('string'))))), changed: true })
  })

  it('reports a map whose key type was void as changed, keeping the value type', () => {
    const result = mergeSchemas(one(map(p('void'), p('long'))), one(map(p('string'), p('long'))))
    expect(result).toEqual({ schema: one(map(p('string'), p('long'))), changed: true })
  })

  it('rejects an incompatible map key with the key path', () => {
    expect(mismatch(map(p('string'), p('long')), map(p('boolean'), p('long')))).toMatchObject({
      code: 'SchemaMismatch',
      context: { column: 'c.key', expected: 'string', found: 'boolean' },
    })
  })

  it('rejects an incompatible map value with the value path and the whole message', () => {
    const err = mismatch(map(p('string'), p('long')), map(p('string'), p('boolean')))
    expect(err).toMatchObject({ code: 'SchemaMismatch', context: { column: 'c.value', expected: 'long', found: 'boolean' } })
    expect((err as Error).message).toBe(
      "column 'c.value' has type long in the table; incoming type boolean cannot be merged into it\nHelp: convert the values to long, or rewrite the table with schemaMode 'overwrite'",
    )
  })

  it('accepts a struct into map<string, V> when every field fits V, unchanged', () => {
    const table = one(map(p('string'), p('long')))
    const result = mergeSchemas(table, one(struct(f('a', p('integer')), f('b', p('long')))))
    expect(result.changed).toBe(false)
    expect(result.schema).toBe(table)
  })

  it('rejects a struct into a map whose keys cannot be strings', () => {
    expect(mismatch(map(p('integer'), p('long')), struct(f('a', p('long'))))).toMatchObject({
      code: 'SchemaMismatch',
      context: { column: 'c', expected: 'map<integer,long>', found: 'struct<a:long>' },
    })
  })

  it.each(['long', 'date', 'timestamp', 'decimal', 'timestamp_ntz'])('rejects a struct into map<%s, V>: field names are strings', (key) => {
    const err = mismatch(map(p(key), p('long')), struct(f('a', p('long'))))
    expect(err).toMatchObject({
      name: 'SchemaError',
      code: 'SchemaMismatch',
      context: { column: 'c', expected: `map<${key},long>`, found: 'struct<a:long>' },
    })
    expect((err as Error).message).toBe(
      `column 'c' has type map<${key},long> in the table; incoming type struct<a:long> is a struct, whose field names ` +
        `are strings: expected a map with string keys, found key type ${key}` +
        `\nHelp: pass the values as a Map with ${key} keys`,
    )
  })

  it('rejects a struct into map<string, V> when a field does not fit V', () => {
    expect(mismatch(map(p('string'), p('long')), struct(f('a', p('long')), f('b', p('boolean'))))).toMatchObject({
      code: 'SchemaMismatch',
      context: { column: 'c.value', expected: 'long', found: 'boolean' },
    })
  })

  it('rejects a struct into map<string, V> when a field would change V (a new nested field)', () => {
    const err = mismatch(map(p('string'), struct(f('a', p('long')))), struct(f('k', struct(f('a', p('long')), f('z', p('long'))))))
    expect(err).toMatchObject({ code: 'SchemaMismatch', context: { column: 'c', expected: 'map<string,struct<a:long>>', found: 'struct<k:struct<a:long,z:long>>' } })
  })
})

describe('mergeSchemas on void columns', () => {
  it('replaces a void column with an incoming struct', () => {
    expect(mergeSchemas(one(p('void')), one(struct(f('a', p('long')))))).toEqual({ schema: one(struct(f('a', p('long')))), changed: true })
  })

  it('rejects replacing a void column with a nested type that holds void', () => {
    expect(mismatch(p('void'), arr(p('void')))).toMatchObject({ code: 'SchemaMismatch', context: { column: 'c', expected: 'void', found: 'array<void>' } })
  })

  it('keeps a void column void when the incoming column is void too', () => {
    const table = one(p('void'))
    expect(mergeSchemas(table, one(p('void')))).toEqual({ schema: table, changed: false })
  })

  it('keeps an integer column when the incoming type is void', () => {
    const table = one(p('integer'))
    expect(mergeSchemas(table, one(p('void')))).toEqual({ schema: table, changed: false })
  })

  it('rejects a new nested field that holds only nulls, naming its path', () => {
    const err = (() => {
      try {
        return mergeSchemas(one(struct(f('a', p('long')))), one(struct(f('a', p('long')), f('n', arr(p('void'))))))
      } catch (e) {
        return e
      }
    })()
    expect(err).toMatchObject({ code: 'SchemaMismatch', context: { column: 'c.n' } })
    expect((err as Error).message).toBe("new column 'c.n' holds only nulls, so its type cannot be inferred; pass a schema")
  })
})

describe('mergeSchemas on arrays and duplicates', () => {
  it('reports an unchanged array column as unchanged and keeps the table object', () => {
    const table = one(arr(struct(f('a', p('long')))))
    const result = mergeSchemas(table, one(arr(struct(f('a', p('long'))))))
    expect(result.changed).toBe(false)
    expect(result.schema).toBe(table)
  })

  it('names the duplicated incoming field with its path', () => {
    expect(() => mergeSchemas(one(struct(f('a', p('long')))), one(struct(f('x', p('long')), f('X', p('long')))))).toThrow(
      expect.objectContaining({ code: 'SchemaMismatch', context: { column: 'c.X' }, message: "incoming schema has two fields named 'X' (case-insensitively)" }),
    )
  })

  it('keeps table fields that the incoming schema lacks, in place, and changes only the merged one', () => {
    const table = struct(f('a', p('long'), false), f('b', struct(f('x', p('long')))), f('c', p('string')))
    const result = mergeSchemas(table, struct(f('b', struct(f('y', p('long'))))))
    expect(result.schema.fields[0]).toBe(table.fields[0])
    expect(result.schema.fields[2]).toBe(table.fields[2])
    expect(result.schema.fields[1]).toEqual(f('b', struct(f('x', p('long')), f('y', p('long')))))
  })

  it('adds an incoming new column as nullable even when it is declared non-null', () => {
    expect(mergeSchemas(struct(f('a', p('long'))), struct(f('b', p('long'), false))).schema.fields[1]).toEqual(f('b', p('long'), true))
  })
})
