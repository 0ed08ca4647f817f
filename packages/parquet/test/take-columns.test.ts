// Columns taken by index (src/arrow/take-columns.ts): every flat type, one chunk or several, sliced
// chunks (offsets), NULLs, 64-bit values beyond 2^53 and NaN payloads copied bit for bit; key values
// and safe-integer keys read without bigints.

import { describe, expect, it } from 'vitest'
import * as arrow from 'apache-arrow'
import { batchBuilderFor, batchOfColumns, hasCanonicalType, integerKeyNumbers, keyColumnValues, takeColumn } from '../src/index.js'
import type { StructType } from '../src/index.js'

const f = (name: string, type: string, nullable = true) => ({ name, type: { kind: 'primitive', name: type } as const, nullable, metadata: {} })
const SCHEMA = { kind: 'struct', fields: [f('l', 'long', false), f('i', 'integer'), f('d', 'double'), f('s', 'string'), f('b', 'boolean'), f('day', 'date'), f('t', 'short')] } as StructType

const rows = [
  { l: 2n ** 60n + 1n, i: 1, d: 0.5, s: 'a', b: true, day: '2024-01-01', t: 7 },
  { l: -5n, i: null, d: null, s: null, b: null, day: null, t: null },
  { l: 9007199254740993n, i: -3, d: Number.NaN, s: 'ünï', b: false, day: '1969-12-31', t: -2 },
  { l: 0n, i: 4, d: -0, s: '', b: true, day: '2000-02-29', t: 0 },
]

function batchOf(part: readonly (typeof rows)[number][]): arrow.RecordBatch {
  const builder = batchBuilderFor(SCHEMA)
  if (builder === undefined) throw new Error('expected a builder')
  part.forEach((r) => builder.append(r))
  return builder.finish()
}

const valuesOf = (column: arrow.Data): unknown[] => [...new arrow.Vector([column])].map((v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v))

describe('takeColumn', () => {
  const whole = batchOf(rows)
  const indexes = Int32Array.from([3, 0, 2, 2, 1])

  it('takes rows of one chunk by index, every flat type, NULLs and exact 64-bit values kept', () => {
    whole.data.children.forEach((column) => {
      const taken = takeColumn([column], indexes)
      expect(valuesOf(taken)).toEqual([...indexes].map((i) => valuesOf(column)[i]))
      expect(taken.nullCount).toBe([...indexes].filter((i) => valuesOf(column)[i] === null).length)
    })
  })

  it('takes across chunks and from sliced chunks (offsets) alike', () => {
    const chunks = [batchOf(rows.slice(0, 1)), whole.slice(1, 3), batchOf(rows.slice(3))]
    whole.data.children.forEach((column, k) => {
      const taken = takeColumn(chunks.map((c) => c.data.children[k] as arrow.Data), indexes)
      expect(valuesOf(taken)).toEqual([...indexes].map((i) => valuesOf(column)[i]))
    })
    const sliced = whole.slice(1, 4)
    const fromSlice = takeColumn([sliced.data.children[0] as arrow.Data], Int32Array.from([2, 0]))
    expect(valuesOf(fromSlice)).toEqual([0n, -5n])
  })

  it('takes runs of consecutive rows across chunk boundaries and from sliced chunks', () => {
    const chunks = [batchOf(rows.slice(0, 1)), whole.slice(1, 3), batchOf(rows.slice(3))]
    const runs = Int32Array.from([0, 1, 2, 3, 1, 2, 3, 2, 3, 0])
    whole.data.children.forEach((column, k) => {
      const taken = takeColumn(chunks.map((c) => c.data.children[k] as arrow.Data), runs)
      expect(valuesOf(taken)).toEqual([...runs].map((i) => valuesOf(column)[i]))
      expect(valuesOf(takeColumn([column], runs))).toEqual([...runs].map((i) => valuesOf(column)[i]))
    })
  })

  it('copies a NaN payload bit for bit, from one chunk or several', () => {
    const bits = new Float64Array(new BigUint64Array([0x7ff8_0000_dead_beefn]).buffer)
    const column = arrow.makeData({ type: new arrow.Float64(), length: 1, nullCount: 0, data: bits })
    const taken = takeColumn([column], Int32Array.from([0, 0]))
    expect([...new BigUint64Array((taken.values as Float64Array).slice().buffer)]).toEqual([0x7ff8_0000_dead_beefn, 0x7ff8_0000_dead_beefn])
    const other = arrow.makeData({ type: new arrow.Float64(), length: 1, nullCount: 0, data: new Float64Array([0.25]) })
    const chunked = takeColumn([other, column], Int32Array.from([1, 0, 1]))
    expect([...new BigUint64Array((chunked.values as Float64Array).slice().buffer)]).toEqual([0x7ff8_0000_dead_beefn, 0x3fd0_0000_0000_0000n, 0x7ff8_0000_dead_beefn])
  })

  it('builds a batch of the schema from taken columns, canonical types recognised', () => {
    const columns = whole.data.children.map((c) => takeColumn([c], indexes))
    const batch = batchOfColumns(SCHEMA, columns, indexes.length)
    expect(batch.numRows).toBe(5)
    expect(batch.schema.fields.map((x) => [x.name, x.nullable])).toEqual(SCHEMA.fields.map((x) => [x.name, x.nullable]))
    SCHEMA.fields.forEach((field, k) => expect(hasCanonicalType(columns[k] as arrow.Data, field.type)).toBe(true))
    expect(hasCanonicalType(columns[1] as arrow.Data, SCHEMA.fields[0]?.type ?? field('long'))).toBe(false)
  })
})

function field(name: string): StructType['fields'][number]['type'] {
  return { kind: 'primitive', name } as StructType['fields'][number]['type']
}

describe('key columns', () => {
  it('keyColumnValues: bigints for longs, numbers for narrower integers, strings, NULLs; undefined for other types', () => {
    const batch = batchOf(rows)
    expect(keyColumnValues([batch.data.children[0] as arrow.Data])).toEqual([2n ** 60n + 1n, -5n, 9007199254740993n, 0n])
    expect(keyColumnValues([batch.data.children[1] as arrow.Data])).toEqual([1, null, -3, 4])
    expect(keyColumnValues([batch.data.children[3] as arrow.Data])).toEqual(['a', null, 'ünï', ''])
    expect(keyColumnValues([batch.data.children[2] as arrow.Data])).toBeUndefined()
  })

  it('integerKeyNumbers: safe integers as numbers (NaN for NULL), undefined when a long is beyond 2^53', () => {
    const safe = batchOf([{ ...rows[3], l: -(2n ** 53n) + 1n }, { ...rows[3], l: 2n ** 40n + 7n }, { ...rows[1], l: -1n }] as typeof rows)
    expect([...(integerKeyNumbers([safe.data.children[0] as arrow.Data]) ?? [])]).toEqual([-(2 ** 53) + 1, 2 ** 40 + 7, -1])
    expect([...(integerKeyNumbers([safe.data.children[1] as arrow.Data]) ?? [])]).toEqual([4, 4, Number.NaN])
    expect(integerKeyNumbers([batchOf(rows).data.children[0] as arrow.Data])).toBeUndefined()
    expect(integerKeyNumbers([batchOf(rows).data.children[3] as arrow.Data])).toBeUndefined()
    // Exact numbers cover [-2^53, 2^53): 2^53 itself (high word 2^21) is outside.
    const edge = (l: bigint) => integerKeyNumbers([batchOf([{ ...rows[3], l }] as typeof rows).data.children[0] as arrow.Data])
    expect(edge(2n ** 53n)).toBeUndefined()
    expect([...(edge(-(2n ** 53n)) ?? [])]).toEqual([-(2 ** 53)])
    expect(edge(-(2n ** 53n) - 1n)).toBeUndefined()
  })

  it('integerKeyNumbers: a NULL slot holding a value beyond 2^53 is NULL, also in a sliced chunk and across chunks', () => {
    const long = (values: bigint[], validity: number): arrow.Data =>
      arrow.makeData({ type: new arrow.Int64(), length: values.length, nullCount: values.length - [...validity.toString(2)].filter((b) => b === '1').length, data: BigInt64Array.from(values), nullBitmap: Uint8Array.of(validity) })
    const column = long([5n, 2n ** 62n, -7n, 8n], 0b0101)
    expect([...(integerKeyNumbers([column]) ?? [])]).toEqual([5, Number.NaN, -7, Number.NaN])
    expect([...(integerKeyNumbers([column.slice(1, 2)]) ?? [])]).toEqual([Number.NaN, -7])
    expect([...(integerKeyNumbers([column.slice(2, 2), long([1n], 0b1)]) ?? [])]).toEqual([-7, Number.NaN, 1])
    // A valid value beyond 2^53 after NULLs still refuses the column.
    expect(integerKeyNumbers([long([2n ** 62n, 2n ** 62n], 0b10)])).toBeUndefined()
    const ints = arrow.makeData({ type: new arrow.Int32(), length: 3, nullCount: 1, data: Int32Array.of(1, 99, -3), nullBitmap: Uint8Array.of(0b101) })
    expect([...(integerKeyNumbers([ints.slice(1, 2)]) ?? [])]).toEqual([Number.NaN, -3])
  })
})
