// Shared pieces of the column-mapping write tests: a schema with a nested struct, tables created
// with `delta.columnMapping.mode`, rows read back in a comparable form, and the Parquet footer and
// add actions of the live files.

import type { Row, StructType } from '@lake/parquet'
import { asyncBufferFromBytes, readParquetMetadata } from '@lake/parquet'
import type { ObjectStore } from '@lake/storage'
import { DeltaTable, createEngine, decodeFilePath } from '../../src/internal.js'
import type { AddFile, Engine } from '../../src/internal.js'

const field = (name: string, type: StructType['fields'][number]['type'], nullable = true): StructType['fields'][number] => ({ name, type, nullable, metadata: {} })

/** id, p (partition column when partitioned), v, and a struct s { x, y }. */
export const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    field('id', { kind: 'primitive', name: 'long' }, false),
    field('p', { kind: 'primitive', name: 'string' }),
    field('v', { kind: 'primitive', name: 'integer' }),
    field('s', { kind: 'struct', fields: [field('x', { kind: 'primitive', name: 'string' }), field('y', { kind: 'primitive', name: 'double' })] }),
  ],
}

/** A row of SCHEMA in the comparable form `rowsOf` returns. */
export interface CmRow {
  readonly id: number
  readonly p: string | null
  readonly v: number | null
  readonly s: { readonly x: string | null; readonly y: number | null } | null
}

/** A value of SCHEMA from the comparable form. */
export const toRow = (r: CmRow): Row => ({ id: BigInt(r.id), p: r.p, v: r.v, s: r.s === null ? null : { x: r.s.x, y: r.s.y } })

/** `n` rows starting at id `from`, partition values a/b/c and a null now and then. */
export function rowsFrom(from: number, n: number): CmRow[] {
  return Array.from({ length: n }, (_, i) => {
    const id = from + i
    return { id, p: ['a', 'b', 'c'][id % 3] ?? null, v: id % 5 === 0 ? null : id * 10, s: id % 7 === 0 ? null : { x: `x${id}`, y: id / 2 } }
  })
}

/** How a test table is made. */
export interface CmTableOptions {
  readonly mode: 'name' | 'id'
  readonly dv: boolean
  readonly cdf: boolean
  readonly partitioned: boolean
}

/** Creates a column-mapped table with SCHEMA in `store`. */
export async function createMappedTable(store: ObjectStore, o: CmTableOptions): Promise<Engine> {
  const engine = createEngine(store)
  await DeltaTable.create(engine, {
    schema: SCHEMA,
    ...(o.partitioned ? { partitionBy: ['p'] } : {}),
    configuration: {
      'delta.columnMapping.mode': o.mode,
      ...(o.dv ? { 'delta.enableDeletionVectors': 'true' } : {}),
      ...(o.cdf ? { 'delta.enableChangeDataFeed': 'true' } : {}),
    },
  })
  return engine
}

/** The rows of a scan in the comparable form, sorted by id. */
export function comparable(rows: readonly Row[]): CmRow[] {
  return rows
    .map((r) => {
      const s = r['s'] as { x: string | null; y: number | null } | null
      return { id: Number(r['id']), p: (r['p'] ?? null) as string | null, v: (r['v'] ?? null) as number | null, s: s === null || s === undefined ? null : { x: s.x, y: s.y } }
    })
    .sort((a, b) => a.id - b.id)
}

/** Rows of the latest version (or `version`), comparable. */
export async function rowsAt(engine: Engine, version?: number): Promise<CmRow[]> {
  const table = await DeltaTable.open(engine, version === undefined ? {} : { version })
  return comparable(await table.toArray())
}

/** The leaf column paths and field ids of a data file's footer. */
export async function footerColumns(store: ObjectStore, add: Pick<AddFile, 'path'>): Promise<{ path: string; fieldId: number | undefined }[]> {
  const key = decodeFilePath(add.path)
  const info = await readParquetMetadata(asyncBufferFromBytes(await store.get(key)))
  return info.columns.map((c) => ({ path: c.path.join('.'), fieldId: c.fieldId }))
}
