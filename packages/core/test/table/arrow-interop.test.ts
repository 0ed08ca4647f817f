// Arrow interop with the Node data tools: lake's Arrow (toArrow -> IPC) read by nodejs-polars, polars'
// Arrow IPC (Utf8View strings, categoricals, ms timestamps) written by lake, and DuckDB reading the
// Parquet files lake wrote from Arrow with the same values.
import { DuckDBInstance } from '@duckdb/node-api'
import * as arrow from 'apache-arrow'
import pl from 'nodejs-polars'
import { describe, expect, it } from 'vitest'
import { LocalStore, MemoryStore } from '@lake/storage'
import { rowsToArrowBatch } from '@lake/parquet'
import { DeltaTable, writeDelta } from '../../src/index.js'
import { dec, field, P, struct } from './all-types.js'
import { tempLocalTable } from './helpers.js'

const SCHEMA = struct(field('id', P('long'), false), field('name', P('string')), field('price', dec(18, 2)), field('at', P('timestamp')), field('day', P('date')))
const ROWS = [
  { id: 9007199254740993n, name: 'ünï', price: '-12.50', at: '2024-05-01T12:00:00.123456Z', day: '2024-05-01' },
  { id: -1n, name: null, price: null, at: null, day: null },
]

describe('Arrow interop', () => {
  it('nodejs-polars reads the Arrow IPC of toArrow() with the same values', async () => {
    const store = new MemoryStore()
    await writeDelta(store, new arrow.Table([rowsToArrowBatch(ROWS, SCHEMA).batch]))
    const table = await (await DeltaTable.open(store)).toArrow()
    const df = pl.readIPC(Buffer.from(arrow.tableToIPC(table, 'file')))
    expect(df.dtypes.map(String)).toEqual(['DataType(Int64)', 'DataType(String)', 'DataType(Decimal(18,2))', 'DataType(Datetime(us,UTC))', 'DataType(Date)'])
    // polars' toArray() turns i64 into JS numbers: compare the exact text.
    expect(df.select(pl.col('id').cast(pl.Utf8)).getColumn('id').toArray()).toEqual(['9007199254740993', '-1'])
    expect(df.getColumn('name').toArray()).toEqual(['ünï', null])
    expect(df.select(pl.col('price').cast(pl.Utf8)).getColumn('price').toArray()).toEqual(['-12.50', null])
    expect(df.select(pl.col('at').cast(pl.Int64).cast(pl.Utf8)).getColumn('at').toArray()).toEqual(['1714564800123456', null])
  })

  it('writes polars Arrow IPC (Utf8View, categorical, ms timestamps) exactly', async () => {
    const df = pl.DataFrame({ id: [1, 2, 3], s: ['a', null, 'c'], at: [new Date(1_000), null, new Date(-1)] })
      .withColumns(pl.col('id').cast(pl.Int64), pl.col('s').cast(pl.Categorical).alias('cat'))
    const input = arrow.tableFromIPC(df.writeIPC())
    const store = new MemoryStore()
    await writeDelta(store, input)
    const table = await DeltaTable.open(store)
    expect(table.schema.fields.map(f => [f.name, f.type])).toEqual([
      ['id', P('long')], ['s', P('string')], ['at', P('timestamp_ntz')], ['cat', P('string')],
    ])
    expect(await table.toArray()).toEqual([
      { id: 1n, s: 'a', at: '1970-01-01T00:00:01.000000', cat: 'a' },
      { id: 2n, s: null, at: null, cat: null },
      { id: 3n, s: 'c', at: '1969-12-31T23:59:59.999000', cat: 'c' },
    ])
  })

  it('DuckDB reads the data files lake wrote from Arrow with the same values', async () => {
    const { root, store, cleanup } = tempLocalTable()
    try {
      await writeDelta(store as LocalStore, new arrow.Table([rowsToArrowBatch(ROWS, SCHEMA).batch]))
      const file = `${root}/${(await DeltaTable.open(store)).files()[0]?.path as string}`
      const db = await DuckDBInstance.create(':memory:')
      const con = await db.connect()
      await con.run("SET TimeZone = 'UTC'")
      const rows = await con.runAndReadAll(`SELECT id, name, price::VARCHAR, strftime("at", '%Y-%m-%dT%H:%M:%S.%fZ'), day::VARCHAR FROM read_parquet('${file}') ORDER BY id DESC`)
      expect(rows.getRows()).toEqual([
        [9007199254740993n, 'ünï', '-12.50', '2024-05-01T12:00:00.123456Z', '2024-05-01'],
        [-1n, null, null, null, null],
      ])
      con.closeSync()
      db.closeSync()
    } finally {
      cleanup()
    }
  })
})
