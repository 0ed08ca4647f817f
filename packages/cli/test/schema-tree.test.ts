// Schema rendering: the printSchema tree and flat columns.

import { describe, expect, it } from 'vitest'
import { schemaColumns, schemaTree, typeName } from '../src/commands/schema-tree.js'
import type { StructType } from '../src/commands/schema-tree.js'

const schema: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: { comment: 'key' } },
    { name: 'amount', type: { kind: 'decimal', precision: 10, scale: 2 }, nullable: true, metadata: {} },
    { name: 'tags', type: { kind: 'array', elementType: { kind: 'primitive', name: 'string' }, containsNull: true }, nullable: true, metadata: {} },
    { name: 's', type: { kind: 'struct', fields: [{ name: 'x', type: { kind: 'primitive', name: 'integer' }, nullable: true, metadata: {} }] }, nullable: true, metadata: {} },
    { name: 'day', type: { kind: 'primitive', name: 'date' }, nullable: true, metadata: {} },
  ],
}

describe('schemaTree', () => {
  it('prints a Spark-style tree with nested fields indented', () => {
    expect(schemaTree(schema)).toBe(
      [
        'root',
        ' |-- id: long (nullable = false)',
        ' |-- amount: decimal(10,2) (nullable = true)',
        ' |-- tags: array<string> (nullable = true)',
        ' |    |-- element: string (containsNull = true)',
        ' |-- s: struct<x:integer> (nullable = true)',
        ' |    |-- x: integer (nullable = true)',
        ' |-- day: date (nullable = true)',
        '',
      ].join('\n'),
    )
  })

  it('flattens columns with dotted paths and marks partition columns', () => {
    const cols = schemaColumns(schema, ['day'])
    expect(cols.map((c) => c.column)).toEqual(['id', 'amount', 'tags', 's', 's.x', 'day'])
    expect(cols.find((c) => c.column === 'day')?.partition).toBe(true)
    expect(cols[0]?.comment).toBe('key')
  })

  it('names map types', () => {
    expect(typeName({ kind: 'map', keyType: { kind: 'primitive', name: 'string' }, valueType: { kind: 'primitive', name: 'long' }, valueContainsNull: true })).toBe('map<string,long>')
  })
})
