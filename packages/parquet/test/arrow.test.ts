// The Arrow side of the codec: the Delta <-> Arrow type mapping, exact Arrow -> Value reads (lossless
// conversions accepted, lossy ones refused naming the column), and the parquet-wasm writer (same
// stats, values and checks as encodeParquet).
import * as arrow from 'apache-arrow'
import { parquetMetadata } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import {
  arrowBatchToRows,
  arrowToDeltaSchema,
  deltaToArrowSchema,
  encodeArrowBatch,
  encodeParquet,
  encodeParquetWasm,
  readArrowBatches,
  readParquetMetadata,
  asyncBufferFromBytes,
  rowsToArrowBatch,
} from '../src/index.js'
import { ALL_TYPES, ALL_TYPES_ROWS } from './fixtures.js'
import { array, caught, decimal, field, map, P, readAll, struct } from './helpers.js'
import type { AsyncBuffer, PrimitiveName, Row, StructType } from '../src/index.js'

function batchOf(columns: Record<string, arrow.Vector>): arrow.RecordBatch {
  return new arrow.Table(columns).batches[0] as arrow.RecordBatch
}

describe('deltaToArrowSchema', () => {
  it('maps every Delta type to its documented Arrow type', () => {
    const schema = deltaToArrowSchema(ALL_TYPES)
    expect(Object.fromEntries(schema.fields.map(f => [f.name, String(f.type)]))).toEqual({
      id: 'Int32',
      b: 'Int8',
      s: 'Int16',
      l: 'Int64',
      f: 'Float32',
      d: 'Float64',
      str: 'Utf8',
      bin: 'Binary',
      bool: 'Bool',
      date: 'Date32<DAY>',
      ts: 'Timestamp<MICROSECOND, UTC>',
      ntz: 'Timestamp<MICROSECOND>',
      dec5: 'Decimal[5e+2]',
      dec18: 'Decimal[18e+6]',
      dec38: 'Decimal[38e+10]',
      st: 'Struct<{x:Int32, y:Utf8, inner:Struct<{z:Int64}>}>',
      list: 'List<Int32>',
      strs: 'List<Utf8>',
      m: 'Map<{key:Utf8, value:Int64}>',
      deep: 'Map<{key:Utf8, value:List<Struct<{a:Int32, tags:List<Utf8>}>>}>',
      intkeys: 'Map<{key:Int32, value:Utf8}>',
    })
    expect(arrowToDeltaSchema(schema)).toEqual(ALL_TYPES)
  })

  it('carries column mapping ids as PARQUET:field_id and back', () => {
    const schema = struct(field('col-1', P('long'), false, { 'delta.columnMapping.id': 4 }))
    const out = deltaToArrowSchema(schema, { fieldIds: true })
    expect(out.fields[0]?.metadata.get('PARQUET:field_id')).toBe('4')
    expect(arrowToDeltaSchema(out).fields[0]?.metadata).toEqual({ 'delta.columnMapping.id': 4 })
    expect(caught(() => deltaToArrowSchema(struct(field('a', P('long'))), { fieldIds: true })).context.column).toBe('a')
  })
})

describe('arrowToDeltaSchema', () => {
  it('converts the lossless Arrow types', () => {
    const schema = new arrow.Schema([
      new arrow.Field('u8', new arrow.Uint8()),
      new arrow.Field('u16', new arrow.Uint16()),
      new arrow.Field('u32', new arrow.Uint32()),
      new arrow.Field('u64', new arrow.Uint64()),
      new arrow.Field('ns', new arrow.TimestampNanosecond('+01:00')),
      new arrow.Field('ms', new arrow.TimestampMillisecond()),
      new arrow.Field('d64', new arrow.DateMillisecond()),
      new arrow.Field('big', new arrow.LargeUtf8()),
      new arrow.Field('dict', new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
      new arrow.Field('half', new arrow.Float16()),
    ])
    const types = arrowToDeltaSchema(schema).fields.map(f => f.type)
    expect(types).toEqual(['short', 'integer', 'long', 'long', 'timestamp', 'timestamp_ntz', 'date', 'string', 'string', 'float'].map(n => P(n as PrimitiveName)))
  })

  it('refuses Arrow types Delta cannot hold, naming the column', () => {
    const schema = new arrow.Schema([new arrow.Field('ok', new arrow.Int32()), new arrow.Field('t', new arrow.Struct([new arrow.Field('dur', new arrow.Duration(arrow.TimeUnit.SECOND))]))])
    const err = caught(() => arrowToDeltaSchema(schema))
    expect(err.code).toBe('ParquetError')
    expect(err.context).toMatchObject({ column: 't.dur', arrowType: 'Duration<SECOND>' })
    expect(err.message).toContain("column 't.dur'")
    expect(caught(() => arrowToDeltaSchema(new arrow.Schema([new arrow.Field('tod', new arrow.TimeMicrosecond())]))).context.column).toBe('tod')
  })
})

describe('arrowBatchToRows', () => {
  it('reads int64, timestamps and decimals exactly', () => {
    const { batch } = rowsToArrowBatch(ALL_TYPES_ROWS, ALL_TYPES)
    expect(arrowBatchToRows(batch)).toEqual(ALL_TYPES_ROWS)
  })

  it('converts nanoseconds, millis, uint64 and date64 when lossless', () => {
    const batch = batchOf({
      ns: arrow.makeVector({ type: new arrow.TimestampNanosecond('UTC'), data: new BigInt64Array([1_000n, -2_000n]) } as never),
      u64: arrow.makeVector(new BigUint64Array([2n ** 63n - 1n, 0n])),
      d64: arrow.makeVector({ type: new arrow.DateMillisecond(), data: new BigInt64Array([86_400_000n, 0n]) } as never),
    })
    expect(arrowBatchToRows(batch)).toEqual([
      { ns: '1970-01-01T00:00:00.000001Z', u64: 2n ** 63n - 1n, d64: '1970-01-02' },
      { ns: '1969-12-31T23:59:59.999998Z', u64: 0n, d64: '1970-01-01' },
    ])
  })

  it('refuses values that would lose precision, naming the column', () => {
    const ns = batchOf({ at: arrow.makeVector({ type: new arrow.TimestampNanosecond(), data: new BigInt64Array([1_500n]) } as never) })
    const nsError = caught(() => arrowBatchToRows(ns))
    expect(nsError.context.column).toBe('at')
    expect(nsError.message).toBe("column 'at': expected a timestamp in whole microseconds (Delta keeps microseconds), found 1500 ns")
    const u64 = batchOf({ n: arrow.makeVector(new BigUint64Array([2n ** 63n])) })
    expect(caught(() => arrowBatchToRows(u64)).message).toBe("column 'n': expected a uint64 at most 2^63-1 (Delta long), found 9223372036854775808")
  })
})

describe('encodeParquetWasm', () => {
  it('computes exactly the stats encodeParquet computes and reads back the same rows', async () => {
    const wasm = encodeParquetWasm(ALL_TYPES_ROWS, ALL_TYPES)
    expect(wasm.stats).toEqual(encodeParquet(ALL_TYPES_ROWS, ALL_TYPES).stats)
    expect(wasm.numRecords).toBe(ALL_TYPES_ROWS.length)
    expect(await readAll(wasm.bytes, ALL_TYPES)).toEqual(ALL_TYPES_ROWS)
  })

  it('writes zstd by default, field ids when asked, and row groups of rowGroupSize', async () => {
    const schema = struct(field('a', P('long'), false, { 'delta.columnMapping.id': 3 }), field('b', struct(field('c', P('string'), true, { 'delta.columnMapping.id': 5 })), true, { 'delta.columnMapping.id': 4 }))
    const rows = Array.from({ length: 10 }, (_, i) => ({ a: BigInt(i), b: { c: `v${i}` } }))
    const { bytes } = encodeParquetWasm(rows, schema, { fieldIds: true, rowGroupSize: 4 })
    const info = await readParquetMetadata(asyncBufferFromBytes(bytes))
    expect(info.columns.map(c => c.fieldId)).toEqual([3, 5])
    const codecs = parquetMetadata(bytes.slice().buffer).row_groups.flatMap(g => g.columns.map(c => c.meta_data?.codec))
    expect(new Set(codecs)).toEqual(new Set(['ZSTD']))
    expect(info.rowGroups.map(g => g.numRows)).toEqual([4, 4, 2])
    expect(await readAll(bytes, schema)).toEqual(rows)
  })

  it('refuses bad values as encodeParquet does (first bad value in row order)', () => {
    const schema = struct(field('a', P('integer'), false), field('b', array(P('string'), false)), field('m', map(P('string'), decimal(5, 2))))
    const rows = [{ a: 1, b: ['x'], m: new Map([['k', '1.005']]) }, { a: null, b: [], m: null }]
    const ours = caught(() => encodeParquetWasm(rows, schema))
    expect(ours.message).toBe(caught(() => encodeParquet(rows, schema)).message)
    expect(ours.context.column).toBe('m.value')
  })
})

describe('encodeArrowBatch', () => {
  it('writes canonical Arrow columns as they are, with exactly the stats encodeParquet computes', async () => {
    const { batch } = rowsToArrowBatch(ALL_TYPES_ROWS, ALL_TYPES)
    const encoded = encodeArrowBatch(batch, ALL_TYPES)
    expect(encoded.stats).toEqual(encodeParquet(ALL_TYPES_ROWS, ALL_TYPES).stats)
    expect(await readAll(encoded.bytes, ALL_TYPES)).toEqual(ALL_TYPES_ROWS)
  })

  it('counts a null struct as null for its fields and bounds strings by code point', () => {
    const schema = struct(field('st', struct(field('a', P('string')), field('b', decimal(20, 2)))))
    const rows = [{ st: { a: '\u{1F600}', b: '-1.00' } }, { st: null }, { st: { a: '\uFFFF', b: '12345678901234567.89' } }, { st: { a: null, b: '-3.50' } }]
    const { batch } = rowsToArrowBatch(rows, schema)
    expect(encodeArrowBatch(batch, schema).stats).toEqual(encodeParquet(rows, schema).stats)
  })

  it('refuses a null in a non-nullable column, an extra column, and reads a missing column as null', async () => {
    const nulls = batchOf({ a: arrow.vectorFromArray([1, null], new arrow.Int32()) })
    const err = caught(() => encodeArrowBatch(nulls, struct(field('a', P('integer'), false))))
    expect(err.message).toBe("column 'a': expected a non-null value, found null (row 1)")
    expect(err.context).toMatchObject({ column: 'a', row: 1 })
    expect(caught(() => encodeArrowBatch(nulls, struct(field('b', P('integer'))))).context.column).toBe('a')
    const schema = struct(field('a', P('integer')), field('b', P('string')))
    expect(await readAll(encodeArrowBatch(nulls, schema).bytes, schema)).toEqual([{ a: 1, b: null }, { a: null, b: null }])
  })

  it('encodes a foreign Arrow batch (uint32, nanoseconds, Utf8 dictionary) to the table schema', async () => {
    const batch = batchOf({
      n: arrow.makeVector(new Uint32Array([4_000_000_000, 1])),
      at: arrow.makeVector({ type: new arrow.TimestampNanosecond('UTC'), data: new BigInt64Array([5_000n, 0n]) } as never),
      s: arrow.vectorFromArray(['a', 'b'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
    })
    const schema = struct(field('n', P('long')), field('at', P('timestamp')), field('s', P('string')))
    const { bytes, stats } = encodeArrowBatch(batch, schema)
    expect(await readAll(bytes, schema)).toEqual([
      { n: 4_000_000_000n, at: '1970-01-01T00:00:00.000005Z', s: 'a' },
      { n: 1n, at: '1970-01-01T00:00:00.000000Z', s: 'b' },
    ])
    expect(stats.minValues).toEqual({ n: 1, at: '1970-01-01T00:00:00.000Z', s: 'a' })
  })
})

describe('readArrowBatches', () => {
  async function readArrow(bytes: Uint8Array, schema: StructType, columns?: string[]): Promise<Row[]> {
    const out: Row[] = []
    for await (const batch of readArrowBatches(asyncBufferFromBytes(bytes), schema, columns === undefined ? {} : { columns })) out.push(...arrowBatchToRows(batch))
    return out
  }

  it('reads files of both writers as canonical Arrow with exact values', async () => {
    expect(await readArrow(encodeParquet(ALL_TYPES_ROWS, ALL_TYPES).bytes, ALL_TYPES)).toEqual(ALL_TYPES_ROWS)
    expect(await readArrow(encodeParquetWasm(ALL_TYPES_ROWS, ALL_TYPES).bytes, ALL_TYPES)).toEqual(ALL_TYPES_ROWS)
  })

  it('fetches only the footer and the chunks of the selected columns; missing columns read as null', async () => {
    const schema = struct(field('a', P('long')), field('big', P('string')))
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ a: BigInt(i), big: `${i}`.repeat(60) + Math.random() }))
    const { bytes } = encodeParquet(rows, schema, { compression: 'uncompressed' })
    let fetched = 0
    const inner = asyncBufferFromBytes(bytes)
    const counting: AsyncBuffer = { byteLength: inner.byteLength, slice: (start, end) => { fetched += (end ?? inner.byteLength) - start; return inner.slice(start, end) } }
    const wider = struct(field('a', P('long')), field('none', P('date')))
    const out: Row[] = []
    for await (const batch of readArrowBatches(counting, wider, { columns: ['a', 'none'] })) out.push(...arrowBatchToRows(batch))
    expect(out).toEqual(rows.map(r => ({ a: r.a, none: null })))
    expect(bytes.length).toBeGreaterThan(2_000_000)
    expect(fetched).toBeLessThan(bytes.length / 2) // the footer read takes the last 512 KiB, then only column a
  })
})
