// encodeChunk's columnar route: a flat, unpartitioned chunk goes through the Arrow column builders and
// the codec's encodeBatch; the file holds the same rows and the same Delta stats as the row route.
import { describe, expect, it } from 'vitest'
import { createRowCoercer } from '@lake/core/internal'
import type { EncodedDataFile } from '@lake/core/internal'
import { asyncBufferFromBytes, hyparquetCodec, readParquetRows } from '@lake/parquet'
import type { ParquetCodec, Row, StructType } from '@lake/parquet'
import { encodeChunk, filesOf } from '../src/index.js'

const field = (name: string, type: string) => ({ name, type: { kind: 'primitive', name: type }, nullable: true, metadata: {} })
const SCHEMA = {
  kind: 'struct',
  fields: [field('id', 'long'), field('n', 'integer'), field('s', 'short'), field('b', 'byte'), field('x', 'double'), field('f', 'float'), field('name', 'string'), field('ok', 'boolean'), field('day', 'date'), field('at', 'timestamp'), field('local', 'timestamp_ntz')],
} as StructType

function rows(count: number): Row[] {
  const coerce = createRowCoercer(SCHEMA, { partitionColumns: [] })
  return Array.from({ length: count }, (_, i) => coerce(i % 7 === 3 ? { id: i } : {
    id: i === 0 ? 9007199254740993n : BigInt(-i), n: i, s: i % 300, b: (i % 200) - 100, x: i / 3, f: 0.5, name: i % 5 === 0 ? `näme ${i} 🦆` : `n${i}`,
    ok: i % 2 === 0, day: `2024-02-${String((i % 28) + 1).padStart(2, '0')}`, at: `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}.123456Z`, local: '1999-12-31T23:59:59.999999',
  }, i))
}

const rowCodec: ParquetCodec = { ...hyparquetCodec, name: 'rows only', encodeBatch: undefined }

async function read(file: EncodedDataFile): Promise<Row[]> {
  const out: Row[] = []
  for await (const batch of readParquetRows(asyncBufferFromBytes(file.bytes), SCHEMA)) out.push(...batch)
  return out
}

describe('encodeChunk as columns', () => {
  it('writes the rows and stats the row encoder writes (exact int64, nulls, UTF-8, microseconds)', async () => {
    const chunk = rows(2500)
    const [columns] = filesOf(encodeChunk({ rows: chunk, schema: SCHEMA, partitionColumns: [] }, hyparquetCodec))
    const [byRows] = filesOf(encodeChunk({ rows: chunk, schema: SCHEMA, partitionColumns: [] }, rowCodec))
    expect(columns?.numRecords).toBe(2500)
    // The columnar encoder writes this flat schema with the plain writer; the row codec with hyparquet-writer.
    expect(Buffer.from(columns?.bytes ?? []).includes('(plain writer)')).toBe(true)
    expect(Buffer.from(byRows?.bytes ?? []).includes('(hyparquet-writer)')).toBe(true)
    expect(await read(columns as EncodedDataFile)).toEqual(await read(byRows as EncodedDataFile))
    expect(JSON.parse(columns?.stats ?? '')).toEqual(JSON.parse(byRows?.stats ?? ''))
    expect((await read(columns as EncodedDataFile))[0]).toMatchObject({ id: 9007199254740993n, name: 'näme 0 🦆' })
  })

  it('cuts files at maxRowsPerFile as the row route does', () => {
    const files = filesOf(encodeChunk({ rows: rows(250), schema: SCHEMA, partitionColumns: [], maxRowsPerFile: 100 }, hyparquetCodec))
    expect(files.map((f) => f.numRecords)).toEqual([100, 100, 50])
  })
})
