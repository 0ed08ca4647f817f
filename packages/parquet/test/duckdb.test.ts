// DuckDB as the judge: it reads our files with the right logical types and values, and we read its files
// (every codec it writes, V2 pages, DELTA encodings, ms/ns timestamps) exactly.
import { writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeParquet, encodeParquetWasm } from '../src/index.js'
import type { Compression, StructType } from '../src/index.js'
import { ALL_TYPES, ALL_TYPES_ROWS } from './fixtures.js'
import { array, decimal, field, map, normaliseDuckRows, normaliseRows, openDuck, P, readAll, struct } from './helpers.js'
import type { Duck } from './helpers.js'

let duck: Duck
beforeAll(async () => {
  duck = await openDuck()
})
afterAll(() => duck.close())

const EXPECTED_TYPES: Record<string, string> = {
  id: 'INTEGER',
  b: 'TINYINT',
  s: 'SMALLINT',
  l: 'BIGINT',
  f: 'FLOAT',
  d: 'DOUBLE',
  str: 'VARCHAR',
  bin: 'BLOB',
  bool: 'BOOLEAN',
  date: 'DATE',
  ts: 'TIMESTAMP WITH TIME ZONE',
  ntz: 'TIMESTAMP',
  dec5: 'DECIMAL(5,2)',
  dec18: 'DECIMAL(18,6)',
  dec38: 'DECIMAL(38,10)',
  st: 'STRUCT(x INTEGER, y VARCHAR, "inner" STRUCT(z BIGINT))',
  list: 'INTEGER[]',
  strs: 'VARCHAR[]',
  m: 'MAP(VARCHAR, BIGINT)',
  deep: 'MAP(VARCHAR, STRUCT(a INTEGER, tags VARCHAR[])[])',
  intkeys: 'MAP(INTEGER, VARCHAR)',
}

describe.each([
  ['encodeParquet', encodeParquet],
  ['encodeParquetWasm', encodeParquetWasm],
])('DuckDB reads files written by %s', (name, encode) => {
  it.each(['zstd', 'snappy', 'gzip', 'uncompressed'] as Compression[])('sees the Delta logical types and the same values (%s)', async compression => {
    const path = join(duck.dir, `ours-${name}-${compression}.parquet`)
    writeFileSync(path, encode(ALL_TYPES_ROWS, ALL_TYPES, { compression }).bytes)
    const described = await duck.rows(`DESCRIBE SELECT * FROM read_parquet('${path}')`)
    expect(Object.fromEntries(described.map(r => [r.column_name, r.column_type]))).toEqual(EXPECTED_TYPES)
    const rows = await duck.rows(`SELECT * FROM read_parquet('${path}') ORDER BY id`)
    expect(normaliseDuckRows(rows, ALL_TYPES)).toEqual(normaliseRows(ALL_TYPES_ROWS, ALL_TYPES))
  })

  it('uses the codec asked for', async () => {
    const path = join(duck.dir, `codec-${name}.parquet`)
    writeFileSync(path, encode(ALL_TYPES_ROWS, ALL_TYPES, { compression: 'gzip' }).bytes)
    const codecs = await duck.rows(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`)
    expect(codecs.map(c => c.compression)).toEqual(['GZIP'])
  })
})

/** A DuckDB-written table with every type DuckDB can produce for Delta, and its Delta schema. */
const DUCK_SELECT = `SELECT
  i::INTEGER AS id, (i % 100 - 50)::TINYINT AS b, (i * 300 - 30000)::SMALLINT AS s,
  CASE WHEN i = 0 THEN -9223372036854775808 WHEN i = 1 THEN 9223372036854775807 ELSE i * 9007199254740993 END::BIGINT AS l,
  (i / 3)::FLOAT AS f, CASE WHEN i = 2 THEN 'NaN'::DOUBLE ELSE i * 1.1e300 / 7 END AS d,
  CASE WHEN i % 5 = 0 THEN NULL ELSE 'str ' || (i % 13) || ' 𝄞' END AS str,
  ('\\x00\\xFF'::BLOB || i::VARCHAR::BLOB) AS bin, i % 2 = 0 AS bool,
  ('0001-01-01'::DATE + (i * 36500)::INTEGER) AS date,
  (TIMESTAMPTZ '1900-01-01 00:00:00.000001+00' + to_microseconds(i * 3333333333333)) AS ts,
  (TIMESTAMP '1969-12-31 23:59:59.999999' + to_microseconds(i * 777777777)) AS ntz,
  (TIMESTAMP '1969-12-31 23:59:59.999' + to_milliseconds(i * 1234))::TIMESTAMP_MS AS ms,
  (TIMESTAMP '2001-02-03 04:05:06.789' + to_microseconds(i))::TIMESTAMP_NS AS ns,
  (i * 12.3 - 100)::DECIMAL(4,1) AS dec4, (i * -1234567.891)::DECIMAL(18,3) AS dec18,
  ('-1234567890123456789012345678.0123456789'::DECIMAL(38,10) + i) AS dec38,
  {'x': i, 'y': CASE WHEN i % 3 = 0 THEN NULL ELSE 'y' || i END} AS st,
  CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN [] ELSE [i, NULL, i + 1] END AS list,
  CASE WHEN i % 3 = 0 THEN NULL ELSE MAP {'k' || i: [{'a': i, 'b': [1.5, NULL]}], 'e': []} END AS m
FROM range(0, 40) t(i)`

const DUCK_SCHEMA: StructType = struct(
  field('id', P('integer')),
  field('b', P('byte')),
  field('s', P('short')),
  field('l', P('long')),
  field('f', P('float')),
  field('d', P('double')),
  field('str', P('string')),
  field('bin', P('binary')),
  field('bool', P('boolean')),
  field('date', P('date')),
  field('ts', P('timestamp')),
  field('ntz', P('timestamp_ntz')),
  field('ms', P('timestamp_ntz')),
  field('ns', P('timestamp_ntz')),
  field('dec4', decimal(4, 1)),
  field('dec18', decimal(18, 3)),
  field('dec38', decimal(38, 10)),
  field('st', struct(field('x', P('long')), field('y', P('string')))),
  field('list', array(P('long'))),
  field('m', map(P('string'), array(struct(field('a', P('long')), field('b', array(decimal(2, 1))))))),
)

const DUCK_WRITES = [
  ['uncompressed', 'COMPRESSION uncompressed'],
  ['snappy', 'COMPRESSION snappy'],
  ['gzip', 'COMPRESSION gzip'],
  ['zstd', 'COMPRESSION zstd'],
  ['lz4', 'COMPRESSION lz4'],
  ['brotli', 'COMPRESSION brotli'],
  ['zstd + V2 pages', 'COMPRESSION zstd, PARQUET_VERSION V2'],
  ['snappy + V2 pages, small row groups', 'COMPRESSION snappy, PARQUET_VERSION V2, ROW_GROUP_SIZE 7'],
  ['uncompressed, no dictionary', 'COMPRESSION uncompressed, DICTIONARY_COMPRESSION_RATIO_THRESHOLD -1'],
] as const

describe('readParquetRows reads files written by DuckDB', () => {
  it.each(DUCK_WRITES)('reads every type exactly (%s)', async (name, options) => {
    const path = join(duck.dir, `duck-${name.replace(/\W+/g, '-')}.parquet`)
    await duck.con.run(`COPY (${DUCK_SELECT}) TO '${path}' (FORMAT parquet, ${options})`)
    const expected = await duck.rows(`SELECT * FROM read_parquet('${path}') ORDER BY id`)
    const ours = await readAll(readFileSync(path), DUCK_SCHEMA)
    expect(ours).toHaveLength(40)
    expect(normaliseRows(ours, DUCK_SCHEMA)).toEqual(normaliseDuckRows(expected, DUCK_SCHEMA))
  })
})
