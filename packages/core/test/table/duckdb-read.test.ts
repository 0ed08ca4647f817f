// DuckDB reads every data file writeDelta writes (read_parquet with hive_partitioning=false, on the
// files listed in the snapshot) with the expected logical types and exactly the values written.

import { DuckDBInstance } from '@duckdb/node-api'
import type { DuckDBConnection, DuckDBInstance as Instance } from '@duckdb/node-api'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DataType, Row, Value } from '@lake/parquet'
import { DeltaTable, decodeFilePath, writeDelta } from '../../src/internal.js'
import { ALL_TYPES, PARTITION_BY, allTypesRows, byId } from './all-types.js'
import { tempLocalTable } from './helpers.js'

/** DuckDB's logical type for each column of ALL_TYPES. */
const DUCK_TYPES: Readonly<Record<string, string>> = {
  id: 'INTEGER',
  b: 'TINYINT',
  sh: 'SMALLINT',
  i: 'INTEGER',
  l: 'BIGINT',
  f: 'FLOAT',
  d: 'DOUBLE',
  d52: 'DECIMAL(5,2)',
  d184: 'DECIMAL(18,4)',
  d3810: 'DECIMAL(38,10)',
  s: 'VARCHAR',
  bin: 'BLOB',
  bool: 'BOOLEAN',
  dt: 'DATE',
  ts: 'TIMESTAMP WITH TIME ZONE',
  ntz: 'TIMESTAMP',
  st: 'STRUCT(a INTEGER, b VARCHAR, "inner" STRUCT(x BIGINT))',
  arr: 'BIGINT[]',
  m: 'MAP(VARCHAR, DOUBLE)',
  nested: 'STRUCT(k VARCHAR, m MAP(VARCHAR, INTEGER[]))[]',
  mstruct: 'MAP(INTEGER, STRUCT(v DECIMAL(18,4), "when" DATE))',
}

let instance: Instance
let con: DuckDBConnection
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' })
  con = await instance.connect()
  await con.run("SET TimeZone = 'UTC'")
})
afterAll(() => {
  con.closeSync()
  instance.closeSync()
})

describe('data files written by writeDelta, read by DuckDB', () => {
  it.each([
    ['unpartitioned', []],
    ['partitioned', PARTITION_BY],
  ] as const)('have the Delta logical types and exact values (%s)', async (_layout, partitions) => {
    const partitionBy: readonly string[] = partitions
    const t = tempLocalTable()
    try {
      await writeDelta(t.store, allTypesRows(), { schema: ALL_TYPES, partitionBy, maxRowsPerFile: 2, compression: 'snappy' })
      const table = await DeltaTable.open(t.store)
      const dataFields = ALL_TYPES.fields.filter((f) => !partitionBy.includes(f.name))
      const seen: Row[] = []
      for (const add of table.files()) {
        const file = join(t.root, decodeFilePath(add.path))
        const source = `read_parquet('${file.replaceAll("'", "''")}', hive_partitioning = false)`
        const described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJson()
        expect(Object.fromEntries(described.map((r) => [r['column_name'], r['column_type']]))).toEqual(
          Object.fromEntries(dataFields.map((f) => [f.name, DUCK_TYPES[f.name]])),
        )
        const rows = (await con.runAndReadAll(`SELECT * FROM ${source}`)).getRowObjectsJson()
        for (const row of rows) {
          const parsed = Object.fromEntries(dataFields.map((f) => [f.name, fromDuck(row[f.name] ?? null, f.type)]))
          // Partition values live in the log, not the file: add them back from the add action.
          seen.push({ ...parsed, ...Object.fromEntries(partitionBy.map((c) => [c, expectedOf(Number(parsed['id']))[c] ?? null])) })
        }
        expect(JSON.parse(add.stats ?? '{}')).toMatchObject({ numRecords: rows.length })
      }
      expect(byId(seen)).toEqual(allTypesRows())
    } finally {
      t.cleanup()
    }
  })
})

function expectedOf(id: number): Row {
  const row = allTypesRows().find((r) => r['id'] === id)
  if (row === undefined) throw new Error(`no row ${id}`)
  return row
}

/** DuckDB's JSON form of a value (getRowObjectsJson) back into our value model. */
function fromDuck(value: unknown, type: DataType): Value {
  if (value === null) return null
  switch (type.kind) {
    case 'struct': {
      const o = value as Record<string, unknown>
      return Object.fromEntries(type.fields.map((f) => [f.name, fromDuck(o[f.name] ?? null, f.type)]))
    }
    case 'array':
      return (value as unknown[]).map((v) => fromDuck(v, type.elementType))
    case 'map':
      return new Map((value as { key: unknown; value: unknown }[]).map((e) => [fromDuck(e.key, type.keyType), fromDuck(e.value, type.valueType)]))
    case 'decimal':
      return value as string
    case 'primitive':
      return fromDuckPrimitive(value, type.name)
  }
}

function fromDuckPrimitive(value: unknown, name: string): Value {
  switch (name) {
    case 'long':
      return BigInt(value as string)
    case 'float':
    case 'double':
      return Number(value)
    case 'binary':
      return blobBytes(value as string)
    case 'timestamp':
    case 'timestamp_ntz':
      return isoOf(value as string, name === 'timestamp')
    default:
      return value as Value
  }
}

/** `2024-01-01 00:00:00.5+00` → `2024-01-01T00:00:00.500000Z` (no zone for timestamp_ntz). */
function isoOf(text: string, utc: boolean): string {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(\+00)?$/.exec(text)
  if (m === null) throw new Error(`unexpected DuckDB timestamp ${text}`)
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '').padEnd(6, '0')}${utc ? 'Z' : ''}`
}

/** DuckDB's blob text (`\x00A\xFF`) as bytes. */
function blobBytes(text: string): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('\\x', i) && /^[0-9A-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16))
      i += 3
    } else {
      out.push(text.charCodeAt(i))
    }
  }
  return new Uint8Array(out)
}
