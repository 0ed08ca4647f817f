// Shared pieces of the DML tests: a small schema, a table in memory, reads of rows and actions, and
// add actions with stats and deletion vectors for the planning unit tests.

import type { Row, StructType } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import { commitPath, parseCommit } from '../../src/internal.js'
import type { Action, AddFile, DeletionVectorDescriptor } from '../../src/internal.js'

export const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
    { name: 'p', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
    { name: 'v', type: { kind: 'primitive', name: 'integer' }, nullable: true, metadata: {} },
  ],
}

export interface TestRow {
  readonly id: number
  readonly p: string | null
  readonly v: number | null
}

export const toRow = (r: TestRow): Row => ({ id: BigInt(r.id), p: r.p, v: r.v })

/** A new empty table in memory, with deletion vectors on or off, partitioned by `p` or not, with the change data feed or not. */
export async function newTable(options: TableOptions): Promise<{ engine: Engine; store: MemoryStore }> {
  const store = new MemoryStore({ url: 'memory://dml' })
  return { engine: await createTable(store, options), store }
}

/** How `newTable` and `createTable` make the table. */
export interface TableOptions {
  readonly dv: boolean
  readonly partitioned: boolean
  readonly cdf?: boolean
  readonly configuration?: Record<string, string>
}

/** A new empty table in `store` (any storage), as `newTable`; returns its engine. */
export async function createTable(store: ObjectStore, options: TableOptions): Promise<Engine> {
  const engine = createEngine(store)
  await DeltaTable.create(engine, {
    schema: SCHEMA,
    ...(options.partitioned ? { partitionBy: ['p'] } : {}),
    configuration: {
      ...options.configuration,
      ...(options.dv ? { 'delta.enableDeletionVectors': 'true' } : {}),
      ...(options.cdf === true ? { 'delta.enableChangeDataFeed': 'true' } : {}),
    },
  })
  return engine
}

/** Rows of a version as sorted comparable records. */
export async function rowsAt(engine: Engine, version?: number): Promise<TestRow[]> {
  const table = await DeltaTable.open(engine, version === undefined ? {} : { version })
  const rows = await table.toArray()
  return sortRows(rows.map((r) => ({ id: Number(r['id']), p: (r['p'] ?? null) as string | null, v: (r['v'] ?? null) as number | null })))
}

export function sortRows(rows: readonly TestRow[]): TestRow[] {
  return [...rows].sort((a, b) => a.id - b.id || String(a.p).localeCompare(String(b.p)) || (a.v ?? -1e9) - (b.v ?? -1e9))
}

/** The actions of commit `version`. */
export async function actionsOf(engine: Engine, version: number): Promise<Action[]> {
  return parseCommit(await engine.store.get(commitPath(version)), version)
}

/** Every object key in the store. */
export async function keys(store: MemoryStore): Promise<string[]> {
  const out: string[] = []
  for await (const meta of store.list('')) out.push(meta.path)
  return out.sort()
}

/** A deletion vector descriptor of `cardinality` deleted rows (inline bytes: never read by the planners). */
export const dv = (cardinality: number): DeletionVectorDescriptor => ({ storageType: 'u', pathOrInlineDv: 'ab^-aqEH.-t@S}K{vb[*k^', offset: 1, sizeInBytes: 36, cardinality })

/** An add of 10 rows in partition `p` with `id` from `min` to `max`. */
export const file = (path: string, p: string, min: number, max: number, extra: Partial<AddFile> = {}): AddFile => ({
  path,
  partitionValues: { p },
  size: 100,
  modificationTime: 0,
  dataChange: true,
  stats: JSON.stringify({ numRecords: 10, minValues: { id: min }, maxValues: { id: max }, nullCount: { id: 0 } }),
  ...extra,
})

/** a1 (p=a, ids 0-9), a2 (p=a, ids 10-19), b1 (p=b, ids 0-9, 4 rows deleted). */
export const FILES = [file('a1', 'a', 0, 9), file('a2', 'a', 10, 19), file('b1', 'b', 0, 9, { deletionVector: dv(4) })]
