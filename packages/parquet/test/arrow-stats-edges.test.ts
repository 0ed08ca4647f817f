// Edges of the Arrow write path's checks and stats (src/arrow/arrow-stats.ts, encode-arrow-batch.ts) that
// its mutation run showed untested: NOT NULL elements, keys and values nested in lists and maps, nulls
// under a null struct, the string bounds shortcut on a value equal to the bounds' common prefix, timestamp
// columns that differ from the canonical type in unit or zone name, batches mixing canonical and foreign
// columns, void columns, the stats column limit and field ids.

import * as arrow from 'apache-arrow'
import { parquetMetadata } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { encodeArrowBatch, encodeParquet, rowsToArrowBatch } from '../src/index.js'
import type { DataType, Row } from '../src/index.js'
import { deltaToArrowType } from '../src/arrow/arrow-schema.js'
import { canonicalBatch } from '../src/arrow/encode-arrow-batch.js'
import { storedOnly } from '../src/arrow/physical-to-arrow.js'
import { array, caught, field, map, P, readAll, struct } from './helpers.js'

/** One-column batch of `rows` built for `loose` (nulls allowed), re-typed as `strict`'s canonical type (void fields left out): the buffers keep their nulls. */
function retyped(rows: readonly Row[], loose: DataType, strict: DataType): arrow.RecordBatch {
  const { batch } = rowsToArrowBatch(rows, struct(field('c', loose)))
  const data = (batch.data.children[0] as arrow.Data).clone(deltaToArrowType(storedOnly(strict)))
  return new arrow.Table({ c: arrow.makeVector(data) }).batches[0] as arrow.RecordBatch
}

describe('NOT NULL inside lists and maps', () => {
  it.each([
    ['a list element', array(P('integer')), array(P('integer'), false), [{ c: [1, 2] }, { c: [3, null] }], 'c.element', 3],
    ['a map value', map(P('string'), P('long')), map(P('string'), P('long'), false), [{ c: new Map([['z', 0n]]) }, { c: new Map([['a', 1n], ['b', null]]) }], 'c.value', 2],
    ['a struct field in a list', array(struct(field('x', P('integer')))), array(struct(field('x', P('integer'), false))), [{ c: [{ x: 1 }, null] }, { c: [{ x: 2 }, { x: null }] }], 'c.element.x', 3],
    ['a list element in a map value', map(P('string'), array(P('integer'))), map(P('string'), array(P('integer'), false)), [{ c: new Map([['j', [1]]]) }, { c: new Map([['k', [5, null, 6]]]) }], 'c.value.element', 2],
  ] as const)('refuses a null in %s, naming it and its row', async (_name, loose, strict, rows, column, row) => {
    const schema = struct(field('c', strict))
    const err = caught(() => encodeArrowBatch(retyped(rows as unknown as Row[], loose, strict), schema))
    expect(err.message).toBe(`column '${column}': expected a non-null value, found null (row ${row})`)
    expect(err.context).toMatchObject({ column, row })
    // The first row, whose nested values are all present (or under a null struct), is written.
    const first = encodeArrowBatch(retyped(rows.slice(0, 1) as unknown as Row[], loose, strict), schema)
    expect(await readAll(first.bytes, schema)).toEqual(rows.slice(0, 1))
  })

  it('refuses a null map key, which no schema allows', () => {
    const type = map(P('string'), P('integer'))
    const { batch } = rowsToArrowBatch([{ c: new Map([['a', 1], ['b', 2]]) }], struct(field('c', type)))
    const entries = (batch.data.children[0] as arrow.Data).children[0] as arrow.Data
    const [key, value] = entries.children as [arrow.Data, arrow.Data]
    const nullKey = arrow.makeData({ type: new arrow.Utf8(), length: 2, nullCount: 1, nullBitmap: new Uint8Array([0b01]), data: key.values, valueOffsets: key.valueOffsets })
    const pairs = arrow.makeData({ type: entries.type as arrow.Struct, length: 2, nullCount: 0, children: [nullKey, value] })
    const outer = batch.data.children[0] as arrow.Data<arrow.Map_>
    const c = arrow.makeData({ type: outer.type, length: 1, nullCount: 0, valueOffsets: outer.valueOffsets, child: pairs })
    const err = caught(() => encodeArrowBatch(new arrow.Table({ c: arrow.makeVector(c) }).batches[0] as arrow.RecordBatch, struct(field('c', type))))
    expect(err.context).toMatchObject({ column: 'c.key', row: 1 })
  })

  it('checks the fields of a struct in a list past a void field, and names a list nested in it', async () => {
    const loose = array(struct(field('v', P('void')), field('a', array(P('integer')))))
    const strict = array(struct(field('v', P('void')), field('a', array(P('integer'), false))))
    const schema = struct(field('c', strict))
    const rows = [{ c: [{ v: null, a: [1, 2] }] }]
    expect(await readAll(encodeArrowBatch(retyped(rows, loose, strict), schema).bytes, schema)).toEqual(rows)
    const err = caught(() => encodeArrowBatch(retyped([{ c: [{ v: null, a: [1, null] }] }], loose, strict), schema))
    expect(err.context).toMatchObject({ column: 'c.element.a.element', row: 1 })
  })

  it('collects the stats of a struct\'s fields past a void field', () => {
    const schema = struct(field('s', struct(field('v', P('void')), field('x', P('integer')), field('y', P('string')))))
    const rows = [{ s: { v: null, x: 3, y: 'b' } }, { s: { v: null, x: -1, y: null } }]
    const { batch } = rowsToArrowBatch(rows, schema)
    expect(encodeArrowBatch(batch, schema).stats).toEqual(encodeParquet(rows, schema).stats)
  })

  it('takes a null under a null struct as the struct\'s, and refuses one under a present struct', () => {
    const loose = struct(field('x', P('integer')), field('y', P('integer')))
    const strict = struct(field('x', P('integer'), false), field('y', P('integer')))
    const ok = retyped([{ c: { x: 1, y: 2 } }, { c: null }, { c: { x: 3, y: null } }], loose, strict)
    const rows = [{ c: { x: 1, y: 2 } }, { c: null }, { c: { x: 3, y: null } }]
    expect(encodeArrowBatch(ok, struct(field('c', strict))).stats).toEqual(encodeParquet(rows, struct(field('c', strict))).stats)
    const bad = retyped([{ c: { x: 1, y: 2 } }, { c: null }, { c: { x: null, y: 3 } }], loose, strict)
    expect(caught(() => encodeArrowBatch(bad, struct(field('c', strict)))).context).toMatchObject({ column: 'c.x', row: 2 })
  })
})

describe('validity bitmaps', () => {
  it('reads no bit past the last row (padding set in the struct\'s bitmap)', () => {
    const strict = struct(field('x', P('integer'), false))
    const type = deltaToArrowType(strict)
    const x = arrow.makeData({ type: new arrow.Int32(), length: 2, nullCount: 1, data: new Int32Array([1, 0]), nullBitmap: new Uint8Array([0b001]) })
    // Row 1 of the struct is null (its x too); bit 2 is padding, set.
    const c = arrow.makeData({ type, length: 2, nullCount: 1, nullBitmap: new Uint8Array([0b101]), children: [x] } as never)
    const batch = new arrow.Table({ c: arrow.makeVector(c) }).batches[0] as arrow.RecordBatch
    expect(encodeArrowBatch(batch, struct(field('c', strict))).stats.nullCount).toEqual({ c: { x: 1 } })
  })
})

describe('string bounds', () => {
  it('a value equal to the common prefix of the bounds is below a longer min', () => {
    const schema = struct(field('s', P('string')), field('n', array(P('integer'))))
    const rows = ['ab', 'az', 'a', 'm', 'b'].map((s) => ({ s, n: [1] }))
    const { batch } = rowsToArrowBatch(rows, schema)
    const stats = canonicalBatch(batch, schema, {}).stats()
    expect([stats.minValues['s'], stats.maxValues['s']]).toEqual(['a', 'm'])
    expect(stats).toEqual(encodeParquet(rows, schema).stats)
  })
})

describe('columns in another layout than the canonical one', () => {
  const at = (type: arrow.DataType, values: bigint[]): arrow.RecordBatch =>
    new arrow.Table({ at: arrow.makeVector({ type, data: new BigInt64Array(values) } as never) }).batches[0] as arrow.RecordBatch

  it('converts timestamps in another unit, and takes a zone name other than UTC as the same instant', async () => {
    const schema = struct(field('at', P('timestamp')))
    const expected = [{ at: '1970-01-01T00:00:05.000000Z' }, { at: '1970-01-01T00:00:00.001000Z' }]
    for (const batch of [at(new arrow.TimestampMillisecond('UTC'), [5_000n, 1n]), at(new arrow.TimestampMicrosecond('+00:00'), [5_000_000n, 1_000n])]) {
      const { bytes, stats } = encodeArrowBatch(batch, schema)
      expect(await readAll(bytes, schema)).toEqual(expected)
      expect([stats.minValues['at'], stats.maxValues['at']]).toEqual(['1970-01-01T00:00:00.001Z', '1970-01-01T00:00:05.000Z'])
    }
    const ntz = struct(field('at', P('timestamp_ntz')))
    expect(await readAll(encodeArrowBatch(at(new arrow.TimestampMicrosecond(), [7n]), ntz).bytes, ntz)).toEqual([{ at: '1970-01-01T00:00:00.000007' }])
    // A zone-less timestamp is no instant, and an instant no local time: neither is re-typed as the other.
    expect(caught(() => encodeArrowBatch(at(new arrow.TimestampMicrosecond(), [7n]), schema)).message).toMatch(/^column 'at': expected timestamp string/)
    expect(caught(() => encodeArrowBatch(at(new arrow.TimestampMicrosecond('UTC'), [7n]), ntz)).message).toMatch(/^column 'at': expected timestamp_ntz string/)
  })

  it('writes a batch mixing canonical and foreign columns', async () => {
    const batch = new arrow.Table({
      a: arrow.vectorFromArray([1, 2], new arrow.Int32()),
      n: arrow.makeVector(new Uint32Array([4_000_000_000, 1])),
    }).batches[0] as arrow.RecordBatch
    const schema = struct(field('a', P('integer')), field('n', P('long')))
    const { bytes, stats } = encodeArrowBatch(batch, schema)
    expect(await readAll(bytes, schema)).toEqual([{ a: 1, n: 4_000_000_000n }, { a: 2, n: 1n }])
    expect(stats.maxValues).toEqual({ a: 2, n: 4_000_000_000 })
  })
})

describe('schema and options', () => {
  const batch = new arrow.Table({ a: arrow.vectorFromArray([1, 2], new arrow.Int32()) }).batches[0] as arrow.RecordBatch

  it('leaves void columns out of the file, and refuses a schema of void columns only', async () => {
    const schema = struct(field('a', P('integer')), field('v', P('void')))
    const { bytes } = encodeArrowBatch(batch, schema)
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    expect(parquetMetadata(buffer).schema.map((e) => e.name)).toEqual(['root', 'a'])
    expect(await readAll(bytes, schema)).toEqual([{ a: 1, v: null }, { a: 2, v: null }])
    const err = caught(() => encodeArrowBatch(new arrow.Table({}).batches[0] ?? batch.select([]), struct(field('v', P('void')))))
    expect(err.message).toBe('expected a schema with at least one non-void column, found none')
  })

  it('names an extra Arrow column', () => {
    const err = caught(() => encodeArrowBatch(batch, struct(field('b', P('integer')))))
    expect(err.message).toBe("column 'a': expected a column of the schema, found an extra Arrow column")
  })

  it('refuses a stats column limit that is not a non-negative integer', () => {
    for (const limit of [-1, 1.5]) {
      expect(caught(() => encodeArrowBatch(batch, struct(field('a', P('integer'))), { statsColumnLimit: limit })).message).toBe(
        `expected statsColumnLimit to be a non-negative integer, found ${limit}`,
      )
    }
    expect(encodeArrowBatch(batch, struct(field('a', P('integer'))), { statsColumnLimit: 0 }).stats.minValues).toEqual({})
  })

  it('writes column mapping ids as Parquet field ids when asked', () => {
    const schema = struct(field('a', P('integer'), true, { 'delta.columnMapping.id': 7 }))
    const ids = (fieldIds: boolean): unknown[] => {
      const { bytes } = encodeArrowBatch(batch, schema, { fieldIds })
      return parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).schema.map((e) => e.field_id)
    }
    expect(ids(true)).toEqual([undefined, 7])
    expect(ids(false)).toEqual([undefined, undefined])
  })
})
