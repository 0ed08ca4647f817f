// readParquetColumns: the values readParquetRows yields, laid out as one array per column and batch.
import { describe, expect, it } from 'vitest'
import { asyncBufferFromBytes, encodeParquet, hyparquetCodec, ParquetError, readParquetColumns, readParquetRows } from '../src/index.js'
import type { ColumnBatch, Row, Value } from '../src/index.js'
import { field, P, struct } from './helpers.js'

const SCHEMA = struct(
  field('id', P('long')),
  field('n', P('integer')),
  field('s', struct(field('x', P('string')), field('y', P('double')))),
  field('d', P('date')),
)
const ROWS: Row[] = Array.from({ length: 2500 }, (_, i) => ({
  id: BigInt(i) * 2n ** 40n,
  n: i % 7 === 0 ? null : i - 1000,
  s: i % 11 === 0 ? null : { x: i % 5 === 0 ? '' : `x${i}`, y: i % 13 === 0 ? Number.NaN : i / 3 },
  d: i % 3 === 0 ? null : '2024-02-29',
}))
const FILE = asyncBufferFromBytes(encodeParquet(ROWS, SCHEMA, { compression: 'zstd', rowGroupSize: 1000 }).bytes)

async function columnsOf(batches: AsyncIterable<ColumnBatch>): Promise<{ lengths: number[]; columns: Value[][] }> {
  const lengths: number[] = []
  const columns: Value[][] = []
  for await (const batch of batches) {
    lengths.push(batch.length)
    batch.columns.forEach((values, c) => {
      expect(values).toHaveLength(batch.length)
      columns[c] = [...(columns[c] ?? []), ...values]
    })
  }
  return { lengths, columns }
}

describe('readParquetColumns', () => {
  it('yields the rows of readParquetRows column by column, one batch per row group or batchRows', async () => {
    const { lengths, columns } = await columnsOf(readParquetColumns(FILE, SCHEMA))
    expect(lengths).toEqual([1000, 1000, 500])
    const names = SCHEMA.fields.map((f) => f.name)
    expect(columns.map((_, c) => columns[c])).toEqual(names.map((name) => ROWS.map((r) => r[name] ?? null)))
    expect((await columnsOf(readParquetColumns(FILE, SCHEMA, { batchRows: 400 }))).lengths).toEqual([400, 400, 200, 400, 400, 200, 400, 100])
  })

  it('reads only the requested columns, in the order asked, as the codec method too', async () => {
    const { columns } = await columnsOf(hyparquetCodec.readColumns?.(FILE, SCHEMA, { columns: ['d', 'id'] }) ?? readParquetColumns(FILE, SCHEMA))
    const rows: Row[] = []
    for await (const batch of readParquetRows(FILE, SCHEMA, { columns: ['d', 'id'] })) rows.push(...batch)
    expect(columns).toEqual([rows.map((r) => r['d'] ?? null), rows.map((r) => r['id'] ?? null)])
    expect(hyparquetCodec.readColumns).toBe(readParquetColumns)
  })

  it('rejects an unknown column naming the file, as readParquetRows does', async () => {
    const read = columnsOf(readParquetColumns(FILE, SCHEMA, { columns: ['nope'], path: 'part-0.parquet' }))
    await expect(read).rejects.toBeInstanceOf(ParquetError)
    await expect(read).rejects.toMatchObject({ context: { column: 'nope', path: 'part-0.parquet' } })
  })
})
