// Delta schema JSON to and from the DataType model, and column mapping helpers.

import type { StructType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { parseSchema, physicalNameMap, physicalPath, physicalSchema, serializeSchema } from '../src/internal.js'

const ALL_TYPES = {
  type: 'struct',
  fields: [
    ...['string', 'long', 'integer', 'short', 'byte', 'float', 'double', 'boolean', 'binary', 'date', 'timestamp', 'timestamp_ntz', 'void'].map(
      (t) => ({ name: `c_${t}`, type: t, nullable: true, metadata: {} }),
    ),
    { name: 'dec', type: 'decimal(38,10)', nullable: false, metadata: { comment: 'money', 'delta.unknown': [1, 2] } },
    { name: 'arr', type: { type: 'array', elementType: 'integer', containsNull: false }, nullable: true, metadata: {} },
    {
      name: 'm',
      type: { type: 'map', keyType: 'string', valueType: { type: 'array', elementType: 'long', containsNull: true }, valueContainsNull: true },
      nullable: true,
      metadata: {},
    },
    {
      name: 's',
      type: { type: 'struct', fields: [{ name: 'inner', type: 'decimal(5,2)', nullable: true, metadata: {} }] },
      nullable: true,
      metadata: {},
    },
  ],
}

describe('parseSchema', () => {
  it('round-trips every type, nullability and metadata', () => {
    const text = JSON.stringify(ALL_TYPES)
    const schema = parseSchema(text)
    expect(schema.fields).toHaveLength(17)
    expect(schema.fields.find((f) => f.name === 'dec')).toMatchObject({
      type: { kind: 'decimal', precision: 38, scale: 10 },
      nullable: false,
      metadata: { comment: 'money', 'delta.unknown': [1, 2] },
    })
    expect(serializeSchema(schema)).toBe(text)
  })

  it('reads nested types into the model', () => {
    const schema = parseSchema(JSON.stringify(ALL_TYPES))
    expect(schema.fields.find((f) => f.name === 'm')?.type).toEqual({
      kind: 'map',
      keyType: { kind: 'primitive', name: 'string' },
      valueType: { kind: 'array', elementType: { kind: 'primitive', name: 'long' }, containsNull: true },
      valueContainsNull: true,
    })
  })

  it.each([
    ['not JSON', '{', 'expected JSON'],
    ['not a struct', '"long"', 'struct type at the top'],
    ['an unknown type', '{"type":"struct","fields":[{"name":"a","type":"interval","nullable":true,"metadata":{}}]}', "'a'"],
    ['a decimal over 38 digits', '{"type":"struct","fields":[{"name":"a","type":"decimal(39,2)","nullable":true,"metadata":{}}]}', 'decimal(p,s)'],
    ['a scale above precision', '{"type":"struct","fields":[{"name":"a","type":"decimal(2,3)","nullable":true,"metadata":{}}]}', 'decimal(p,s)'],
    ['duplicate names ignoring case', '{"type":"struct","fields":[{"name":"a","type":"long"},{"name":"A","type":"long"}]}', "duplicate field 'A'"],
    ['a nested bad type', '{"type":"struct","fields":[{"name":"s","type":{"type":"struct","fields":[{"name":"x","type":"nope"}]}}]}', "'s.x'"],
  ])('rejects %s with SchemaError InvalidArgument', (_, text, fragment) => {
    expect(() => parseSchema(text)).toThrow(expect.objectContaining({ code: 'InvalidArgument', name: 'SchemaError' }))
    expect(() => parseSchema(text)).toThrow(fragment)
  })
})

const MAPPED: StructType = parseSchema(
  JSON.stringify({
    type: 'struct',
    fields: [
      {
        name: 'a',
        type: {
          type: 'struct',
          fields: [{ name: 'b', type: 'long', nullable: true, metadata: { 'delta.columnMapping.id': 2, 'delta.columnMapping.physicalName': 'col-b' } }],
        },
        nullable: true,
        metadata: { 'delta.columnMapping.id': 1, 'delta.columnMapping.physicalName': 'col-a' },
      },
      { name: 'c', type: 'string', nullable: true, metadata: { 'delta.columnMapping.id': 3, 'delta.columnMapping.physicalName': 'col-c' } },
    ],
  }),
)

describe('column mapping', () => {
  it('maps logical to physical names per field', () => {
    expect([...physicalNameMap(MAPPED, 'name')]).toEqual([
      ['a', 'col-a'],
      ['c', 'col-c'],
    ])
    expect([...physicalNameMap(MAPPED, 'none')]).toEqual([
      ['a', 'a'],
      ['c', 'c'],
    ])
  })

  it('maps nested paths for stats lookups', () => {
    expect(physicalPath(MAPPED, ['a', 'b'], 'id')).toEqual(['col-a', 'col-b'])
    expect(physicalPath(MAPPED, ['a', 'zz'], 'id')).toBeUndefined()
  })

  it('renames every field of the physical schema and keeps field ids', () => {
    const physical = physicalSchema(MAPPED, 'id')
    expect(physical.fields.map((f) => f.name)).toEqual(['col-a', 'col-c'])
    const nested = physical.fields[0]?.type
    expect(nested?.kind === 'struct' ? nested.fields[0] : undefined).toMatchObject({ name: 'col-b', metadata: { 'delta.columnMapping.id': 2 } })
    expect(physicalSchema(MAPPED, 'none')).toBe(MAPPED)
  })

  it('rejects a mapped field without a physical name', () => {
    const schema = parseSchema('{"type":"struct","fields":[{"name":"x","type":"long","nullable":true,"metadata":{}}]}')
    expect(() => physicalSchema(schema, 'name')).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
  })
})
