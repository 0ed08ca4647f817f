// Arrow in and out of tables: writeDelta/table.write take an Arrow Table, a RecordBatch or an (async)
// iterable of RecordBatches; scan({ format: 'arrow' }) and toArrow() return canonical Arrow. Columns
// of the table's types are encoded as they are (parquet-wasm), other writes go through the rows.
import * as arrow from 'apache-arrow'
import fc from 'fast-check'
import { parquetMetadata } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import { LakeError } from '@lake/storage'
import { arrowBatchToRows, deltaToArrowSchema, readParquetMetadata, asyncBufferFromBytes, rowsToArrowBatch } from '@lake/parquet'
import type { DataType, Row, StructType } from '@lake/parquet'
import { DeltaTable, writeDelta } from '../../src/index.js'
import { ALL_TYPES, allTypesRows, array, dec, field, map, P, struct } from './all-types.js'

function arrowTable(rows: readonly Row[], schema: StructType): arrow.Table {
  return new arrow.Table([rowsToArrowBatch(rows, schema).batch])
}

async function createdBy(store: MemoryStore): Promise<string | undefined> {
  const table = await DeltaTable.open(store)
  const bytes = await store.get(table.files()[0]?.path as string)
  return (await readParquetMetadata(asyncBufferFromBytes(bytes))).createdBy
}

async function failure(promise: Promise<unknown>): Promise<LakeError> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  if (!(err instanceof LakeError)) throw new Error(`expected a LakeError, found ${String(err)}`)
  return err
}

describe('writeDelta of Arrow data', () => {
  it('creates a table with the Arrow schema and reads back every type exactly, as rows and as Arrow', async () => {
    const store = new MemoryStore()
    const rows = allTypesRows()
    const result = await writeDelta(store, arrowTable(rows, ALL_TYPES))
    expect(result).toMatchObject({ status: 'committed', version: 0, numRows: rows.length })
    const table = await DeltaTable.open(store)
    expect(table.schema).toEqual(ALL_TYPES)
    expect(await createdBy(store)).toContain('parquet-wasm')
    expect(await table.toArray()).toEqual(rows)
    const out = await table.toArrow()
    expect(String(out.schema)).toBe(String(deltaToArrowSchema(ALL_TYPES)))
    expect(out.batches.flatMap(b => arrowBatchToRows(b))).toEqual(rows)
  })

  it('writes the same stats as the row path', async () => {
    const rows = allTypesRows()
    const byArrow = new MemoryStore()
    const byRows = new MemoryStore()
    await writeDelta(byArrow, arrowTable(rows, ALL_TYPES))
    await writeDelta(byRows, rows, { schema: ALL_TYPES })
    const stats = async (store: MemoryStore): Promise<unknown> => JSON.parse((await DeltaTable.open(store)).files()[0]?.stats ?? 'null')
    expect(await stats(byArrow)).toEqual(await stats(byRows))
  })

  it('appends a RecordBatch and overwrites with a Table; scan({ format: "arrow" }) yields RecordBatches', async () => {
    const schema = struct(field('id', P('long'), false), field('amount', dec(38, 2)))
    const store = new MemoryStore()
    await writeDelta(store, arrowTable([{ id: 1n, amount: '12345678901234567890123456789012345.67' }], schema))
    const batch = rowsToArrowBatch([{ id: 2n ** 62n, amount: null }], schema).batch
    expect(await (await DeltaTable.open(store)).write(batch)).toMatchObject({ status: 'committed', version: 1, numRows: 1 })
    const table = await DeltaTable.open(store)
    const batches: arrow.RecordBatch[] = []
    for await (const b of table.scan({ format: 'arrow', columns: ['amount', 'id'] })) batches.push(b)
    expect(batches.every(b => b instanceof arrow.RecordBatch)).toBe(true)
    expect(batches.flatMap(b => arrowBatchToRows(b))).toEqual([
      { amount: '12345678901234567890123456789012345.67', id: 1n },
      { amount: null, id: 2n ** 62n },
    ])
    await writeDelta(store, arrowTable([{ id: 7n, amount: '1.00' }], schema), { mode: 'overwrite' })
    expect(await (await DeltaTable.open(store)).toArray()).toEqual([{ id: 7n, amount: '1.00' }])
  })

  it('writes partitioned tables and replaceWhere through the rows', async () => {
    const schema = struct(field('day', P('date')), field('n', P('integer')))
    const store = new MemoryStore()
    await writeDelta(store, arrowTable([{ day: '2024-01-01', n: 1 }, { day: '2024-01-02', n: 2 }], schema), { partitionBy: ['day'] })
    await writeDelta(store, arrowTable([{ day: '2024-01-02', n: 3 }], schema), { mode: 'overwrite', replaceWhere: "day = '2024-01-02'" })
    const table = await DeltaTable.open(store)
    expect(table.details().partitionColumns).toEqual(['day'])
    expect((await table.toArray()).sort((a, b) => (a.n as number) - (b.n as number))).toEqual([{ day: '2024-01-01', n: 1 }, { day: '2024-01-02', n: 3 }])
  })

  it('streams an async iterable of RecordBatches with the Arrow schema (decimals stay decimals)', async () => {
    const schema = struct(field('id', P('long')), field('price', dec(10, 3)))
    async function* batches(): AsyncGenerator<arrow.RecordBatch> {
      for (let k = 0; k < 3; k++) yield rowsToArrowBatch([{ id: BigInt(k), price: `${k}.125` }], schema).batch
    }
    const store = new MemoryStore()
    expect(await writeDelta(store, batches())).toMatchObject({ status: 'committed', numRows: 3 })
    const table = await DeltaTable.open(store)
    expect(table.schema).toEqual(schema)
    expect(await table.toArray()).toEqual([0, 1, 2].map(k => ({ id: BigInt(k), price: `${k}.125` })))
  })

  it('converts lossless Arrow types to the table types (uint32 -> long, nanoseconds -> timestamp)', async () => {
    const input = new arrow.Table({
      n: arrow.makeVector(new Uint32Array([4_000_000_000])),
      at: arrow.makeVector({ type: new arrow.TimestampNanosecond('UTC'), data: new BigInt64Array([1_000n]) } as never),
    })
    const store = new MemoryStore()
    await writeDelta(store, input)
    const table = await DeltaTable.open(store)
    // The table keeps the Arrow fields' nullability (apache-arrow declares a typed-array column without nulls non-nullable).
    expect(table.schema).toEqual(struct(field('n', P('long'), false), field('at', P('timestamp'), true)))
    expect(await table.toArray()).toEqual([{ n: 4_000_000_000n, at: '1970-01-01T00:00:00.000001Z' }])
  })

  it('refuses an Arrow type or value Delta cannot hold, naming the column, and writes nothing', async () => {
    const store = new MemoryStore()
    const duration = new arrow.Table({ d: arrow.makeVector({ type: new arrow.DurationSecond(), data: new BigInt64Array([1n]) } as never) })
    const err = await failure(writeDelta(store, duration))
    expect(err.code).toBe('SchemaMismatch')
    expect(err.context).toMatchObject({ column: 'd', arrowType: 'Duration<SECOND>' })
    const nanos = new arrow.Table({ at: arrow.makeVector({ type: new arrow.TimestampNanosecond(), data: new BigInt64Array([1_001n]) } as never) })
    const lossy = await failure(writeDelta(store, nanos, { partitionBy: [] }))
    expect(lossy).toMatchObject({ code: 'SchemaMismatch', context: { column: 'at' } })
    const keys: unknown[] = []
    for await (const entry of store.list('')) keys.push(entry)
    expect(keys).toEqual([])
  })

  it('reports a null in a non-null column as the row path does', async () => {
    const store = new MemoryStore()
    await writeDelta(store, [], { schema: struct(field('id', P('long'), false)) })
    const withNull = new arrow.Table({ id: arrow.vectorFromArray([1n, null], new arrow.Int64()) })
    const err = await failure(writeDelta(store, withNull, { mode: 'append' }))
    expect(err.code).toBe('SchemaMismatch')
    expect(err.context.column).toBe('id')
    expect((await DeltaTable.open(store)).version).toBe(0)
  })
})

const LEAVES: DataType[] = ['byte', 'short', 'integer', 'long', 'double', 'boolean', 'string', 'binary', 'date', 'timestamp', 'timestamp_ntz'].map(P)
const leafType = fc.oneof(fc.constantFrom(...LEAVES), fc.record({ p: fc.integer({ min: 1, max: 38 }), s: fc.integer({ min: 0, max: 6 }) }).map(({ p, s }) => dec(p, Math.min(p, s))))
const dataType: fc.Arbitrary<DataType> = fc.oneof(
  { weight: 4, arbitrary: leafType },
  { weight: 1, arbitrary: leafType.map(t => array(t)) },
  { weight: 1, arbitrary: leafType.map(t => map(P('string'), t)) },
  { weight: 1, arbitrary: fc.array(leafType, { minLength: 1, maxLength: 3 }).map(ts => struct(...ts.map((t, k) => field(`f${k}`, t)))) },
)

function valueOf(type: DataType): fc.Arbitrary<unknown> {
  if (type.kind === 'decimal') {
    const max = 10n ** BigInt(type.precision) - 1n
    return fc.bigInt({ min: -max, max }).map(u => {
      const neg = u < 0n
      const digits = (neg ? -u : u).toString().padStart(type.scale + 1, '0')
      return `${neg ? '-' : ''}${type.scale === 0 ? digits : `${digits.slice(0, -type.scale)}.${digits.slice(-type.scale)}`}`
    })
  }
  if (type.kind === 'array') return fc.array(fc.option(valueOf(type.elementType), { nil: null }), { maxLength: 3 })
  if (type.kind === 'map') return fc.uniqueArray(fc.tuple(fc.string({ maxLength: 4 }), fc.option(valueOf(type.valueType), { nil: null })), { maxLength: 3, selector: e => e[0] }).map(e => new Map(e))
  if (type.kind === 'struct') return fc.record(Object.fromEntries(type.fields.map(f => [f.name, fc.option(valueOf(f.type), { nil: null })])))
  return primitiveValue(type.kind === 'primitive' ? type.name : 'void')
}

function primitiveValue(name: string): fc.Arbitrary<unknown> {
  const micros = fc.bigInt({ min: -62135596800000000n, max: 253402300799999999n })
  switch (name) {
    case 'byte': return fc.integer({ min: -128, max: 127 })
    case 'short': return fc.integer({ min: -32768, max: 32767 })
    case 'integer': return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
    case 'long': return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
    case 'double': return fc.double({ noNaN: true })
    case 'boolean': return fc.boolean()
    case 'string': return fc.string({ maxLength: 40, unit: 'grapheme' })
    case 'binary': return fc.uint8Array({ maxLength: 8 })
    case 'date': return fc.integer({ min: -719162, max: 2932896 }).map(d => new Date(d * 86_400_000).toISOString().slice(0, 10))
    case 'timestamp': return micros.map(u => iso(u) + 'Z')
    default: return micros.map(u => iso(u))
  }
}

function iso(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n)
  const frac = ((micros % 1000000n) + 1000000n) % 1000000n
  return `${new Date(Number(ms)).toISOString().slice(0, 19)}.${frac.toString().padStart(6, '0')}`
}

describe('a damaged data file of a table written from Arrow', () => {
  it('is CorruptData naming the file for toArray() and toArrow(), never wrong values', async () => {
    const schema = struct(field('id', P('long'), false), field('name', P('string')))
    const store = new MemoryStore()
    await writeDelta(store, arrowTable(Array.from({ length: 50 }, (_, i) => ({ id: BigInt(i), name: `n${i}` })), schema))
    const path = (await DeltaTable.open(store)).files()[0]?.path as string
    const bytes = (await store.get(path)).slice()
    const buffer = bytes.slice().buffer
    const chunk = parquetMetadata(buffer).row_groups[0]?.columns[0]?.meta_data
    const reader = { view: new DataView(buffer), offset: Number(chunk?.data_page_offset) }
    const header = parquetHeader(reader)
    expect(header.crc).toBeDefined()
    const at = reader.offset + (header.compressed_page_size >> 1)
    bytes[at] = (bytes[at] as number) ^ 0x10 // one bit in the first page of the first column
    await store.put(path, bytes)
    const table = await DeltaTable.open(store)
    const expected = { code: 'CorruptData', context: { path, column: 'id' } }
    expect(await failure(table.toArray())).toMatchObject(expected)
    expect(await failure(table.toArrow())).toMatchObject(expected)
  })
})

describe('Arrow -> table -> Arrow (property)', () => {
  it('returns equal Arrow data for random schemas and values, nulls included', async () => {
    const tables = fc.array(dataType, { minLength: 1, maxLength: 4 }).chain(types => {
      const schema = struct(...types.map((t, k) => field(`c${k}`, t)))
      const row = fc.record(Object.fromEntries(schema.fields.map(f => [f.name, fc.option(valueOf(f.type), { nil: null })])))
      return fc.tuple(fc.constant(schema), fc.array(row, { minLength: 1, maxLength: 20 }))
    })
    await fc.assert(
      fc.asyncProperty(tables, async ([schema, rows]) => {
        const store = new MemoryStore()
        const input = arrowTable(rows as Row[], schema)
        await writeDelta(store, input)
        const out = await (await DeltaTable.open(store)).toArrow()
        expect(String(out.schema)).toBe(String(input.schema))
        expect(out.batches.flatMap(b => arrowBatchToRows(b))).toEqual(input.batches.flatMap(b => arrowBatchToRows(b)))
      }),
      { numRuns: 40 },
    )
  }, 120_000)
})
