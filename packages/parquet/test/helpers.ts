// Test helpers: Delta type builders, a Delta schema-JSON parser, DuckDB access and value normalisation
// to DuckDB's JSON row form, so our values and DuckDB's can be compared exactly.

import { DuckDBInstance } from '@duckdb/node-api'
import type { DuckDBConnection } from '@duckdb/node-api'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asyncBufferFromBytes, ParquetError, readParquetRows } from '../src/index.js'
import type { DataType, PrimitiveName, ReadOptions, Row, StructField, StructType, Value } from '../src/index.js'

export const P = (name: PrimitiveName): DataType => ({ kind: 'primitive', name })
export const decimal = (precision: number, scale: number): DataType => ({ kind: 'decimal', precision, scale })
export const array = (elementType: DataType, containsNull = true): DataType => ({ kind: 'array', elementType, containsNull })
export const map = (keyType: DataType, valueType: DataType, valueContainsNull = true): DataType => ({
  kind: 'map',
  keyType,
  valueType,
  valueContainsNull,
})
export const field = (name: string, type: DataType, nullable = true, metadata: Record<string, unknown> = {}): StructField => ({
  name,
  type,
  nullable,
  metadata,
})
export const struct = (...fields: StructField[]): StructType => ({ kind: 'struct', fields })

/** Parse Delta's schema JSON (`metaData.schemaString`) into the DataType model. */
export function parseSchema(json: unknown): StructType {
  const type = parseType(json)
  if (type.kind !== 'struct') throw new Error('expected a struct schema')
  return type
}

function parseType(json: unknown): DataType {
  if (typeof json === 'string') {
    const m = /^decimal\((\d+),\s*(\d+)\)$/.exec(json)
    return m ? decimal(Number(m[1]), Number(m[2])) : P(json as PrimitiveName)
  }
  const o = json as Record<string, unknown>
  if (o.type === 'struct') {
    const fields = (o.fields as Record<string, unknown>[]).map(f =>
      field(f.name as string, parseType(f.type), f.nullable as boolean, (f.metadata ?? {}) as Record<string, unknown>),
    )
    return struct(...fields)
  }
  if (o.type === 'array') return array(parseType(o.elementType), o.containsNull as boolean)
  if (o.type === 'map') return map(parseType(o.keyType), parseType(o.valueType), o.valueContainsNull as boolean)
  throw new Error(`unknown type ${JSON.stringify(json)}`)
}

/** Read every row of an in-memory Parquet file. */
export async function readAll(bytes: Uint8Array, schema: StructType, options: ReadOptions = {}): Promise<Row[]> {
  const out: Row[] = []
  for await (const batch of readParquetRows(asyncBufferFromBytes(bytes), schema, options)) out.push(...batch)
  return out
}

/** A DuckDB in-memory connection and a temp directory, for one test file. */
export interface Duck {
  readonly con: DuckDBConnection
  readonly dir: string
  rows(sql: string): Promise<Record<string, unknown>[]>
  close(): void
}

export async function openDuck(): Promise<Duck> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
  const con = await instance.connect()
  const dir = mkdtempSync(join(tmpdir(), 'lake-parquet-'))
  return {
    con,
    dir,
    rows: async sql => (await con.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
    close: () => {
      con.closeSync()
      instance.closeSync()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function duckBlob(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b >= 32 && b <= 126 && b !== 39 ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`
  return out
}

/** DuckDB's timestamp text (`2024-01-01 00:00:00.5+00`, `0044-03-15 12:00:00 (BC)`) as our ISO form. */
export function isoFromDuck(text: string, utc: boolean): string {
  const m = /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(\+00)?( \(BC\))?$/.exec(text)
  if (!m) throw new Error(`unexpected DuckDB timestamp ${text}`)
  const fraction = (m[7] ?? '').padEnd(6, '0').slice(0, 6)
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${fraction}${utc ? 'Z' : ''}`
}

/** Normalise one of our values to the JSON form DuckDB's `getRowObjectsJson` gives for the same data. */
export function toDuckJson(value: Value, type: DataType): unknown {
  if (value === null) return null
  switch (type.kind) {
    case 'struct': {
      const o = value as Record<string, Value>
      return Object.fromEntries(type.fields.map(f => [f.name, toDuckJson(o[f.name] ?? null, f.type)]))
    }
    case 'array':
      return (value as Value[]).map(v => toDuckJson(v, type.elementType))
    case 'map':
      return [...(value as Map<Value, Value>)].map(([k, v]) => ({ key: toDuckJson(k, type.keyType), value: toDuckJson(v, type.valueType) }))
    case 'decimal':
      return value
    case 'primitive':
      if (type.name === 'long') return String(value)
      if (type.name === 'binary') return duckBlob(value as Uint8Array)
      if (type.name === 'timestamp' || type.name === 'timestamp_ntz') return value
      if ((type.name === 'float' || type.name === 'double') && !Number.isFinite(value as number)) return String(value)
      return value
  }
}

/** Normalise DuckDB's JSON value (timestamps) to compare with {@link toDuckJson} of our values. */
export function fromDuckJson(value: unknown, type: DataType): unknown {
  if (value === null) return null
  switch (type.kind) {
    case 'struct': {
      const o = value as Record<string, unknown>
      return Object.fromEntries(type.fields.map(f => [f.name, fromDuckJson(o[f.name] ?? null, f.type)]))
    }
    case 'array':
      return (value as unknown[]).map(v => fromDuckJson(v, type.elementType))
    case 'map':
      return (value as { key: unknown; value: unknown }[]).map(e => ({ key: fromDuckJson(e.key, type.keyType), value: fromDuckJson(e.value, type.valueType) }))
    case 'primitive':
      if (type.name === 'timestamp' || type.name === 'timestamp_ntz') return isoFromDuck(value as string, type.name === 'timestamp')
      return value
    default:
      return value
  }
}

/** Both sides of a row comparison in one normal form. */
export function normaliseRows(rows: readonly Row[], schema: StructType): unknown[] {
  return rows.map(r => toDuckJson(r as Value, schema))
}

export function normaliseDuckRows(rows: readonly Record<string, unknown>[], schema: StructType): unknown[] {
  return rows.map(r => fromDuckJson(r, schema))
}

/** The ParquetError `fn` throws (any other error is rethrown; no error fails the test). */
export function caught(fn: () => unknown): ParquetError {
  try {
    fn()
  } catch (err) {
    if (err instanceof ParquetError) return err
    throw err
  }
  throw new Error('expected a ParquetError')
}
