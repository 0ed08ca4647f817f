// examples/parquet.mjs: run after `npm run build` with `node examples/parquet.mjs`
import { asyncBufferFromBytes, encodeParquet, readParquetRows } from '@lake/parquet'

/** @type {import('@lake/parquet').StructType} */
const schema = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
    { name: 'at', type: { kind: 'primitive', name: 'timestamp' }, nullable: true, metadata: {} },
    { name: 'price', type: { kind: 'decimal', precision: 38, scale: 2 }, nullable: true, metadata: {} },
    { name: 'tags', type: { kind: 'array', elementType: { kind: 'primitive', name: 'string' }, containsNull: true }, nullable: true, metadata: {} },
  ],
}
const rows = [
  { id: 1n, at: '2024-05-01T12:00:00.123456Z', price: '123456789012345678901234567890.25', tags: ['a', null] },
  { id: 2n, at: null, price: '-0.50', tags: [] },
]

const { bytes, numRecords, stats } = encodeParquet(rows, schema, { compression: 'zstd' })
console.log(numRecords, JSON.stringify(stats))
// 2 {"numRecords":2,"minValues":{"id":1,"at":"2024-05-01T12:00:00.123Z","price":-0.5},
//    "maxValues":{"id":2,"at":"2024-05-01T12:00:00.124Z","price":1.2345678901234568e+29},
//    "nullCount":{"id":0,"at":1,"price":0,"tags":0}}

for await (const batch of readParquetRows(asyncBufferFromBytes(bytes), schema)) {
  console.log(batch) // the same rows, values exact (bigint, micros, all 32 decimal digits)
}
