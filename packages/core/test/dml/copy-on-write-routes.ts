// Shared by the copy-on-write route tests of DELETE and UPDATE: random tables of every flat type
// (64-bit values beyond 2^53, NaN, -0, infinities, long and non-ASCII strings, dates, timestamps,
// NULLs everywhere but `id`), partitioned or not, written in several commits (several files); a
// codec counting its Arrow and row reads; and what an operation did, comparable across the columnar
// and the row route (rows, metrics without times and added bytes, added files' partition values and
// stats, removed paths).

import fc from 'fast-check'
import { hyparquetCodec } from '@lake/parquet'
import type { ParquetCodec, Row, StructType } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import type { Action } from '../../src/internal.js'
import { JsonNumber, parseLosslessJson } from '../../src/expr/lossless-json.js'
import { actionsOf } from './helpers.js'

const t = (name: string): StructType['fields'][number]['type'] => ({ kind: 'primitive', name }) as StructType['fields'][number]['type']
const field = (name: string, type: string, nullable = true): StructType['fields'][number] => ({ name, type: t(type), nullable, metadata: {} })

export const FLAT: StructType = {
  kind: 'struct',
  fields: [
    field('id', 'long', false), field('big', 'long'), field('i', 'integer'), field('sh', 'short'), field('by', 'byte'), field('fl', 'float'),
    field('d', 'double'), field('s', 'string'), field('b', 'boolean'), field('day', 'date'), field('ts', 'timestamp'), field('tn', 'timestamp_ntz'),
    field('part', 'string'),
  ],
}

const nullable = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null, freq: 5 })
const day = fc.integer({ min: -40_000, max: 80_000 }).map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10))
const micros = fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n })

const flatRow = fc.record({
  big: nullable(fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(2n ** 53n + 1n, -(2n ** 63n), 0n))),
  i: nullable(fc.integer()),
  sh: nullable(fc.integer({ min: -32_768, max: 32_767 })),
  by: nullable(fc.integer({ min: -128, max: 127 })),
  fl: nullable(fc.float()),
  d: nullable(fc.oneof(fc.double(), fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, 0.5))),
  s: nullable(fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', minLength: 30, maxLength: 50 }), fc.constantFrom('', 'm', 'é'))),
  b: nullable(fc.boolean()),
  day: nullable(day),
  ts: nullable(micros),
  tn: nullable(micros.map((m) => new Date(Number(m / 1000n)).toISOString().slice(0, 23))),
  part: nullable(fc.constantFrom('a', 'b')),
})

/** Rows of 1-3 writes (each a file per partition): ids 0.. in order. */
export const flatWrites: fc.Arbitrary<Row[][]> = fc.array(fc.array(flatRow, { minLength: 1, maxLength: 25 }), { minLength: 1, maxLength: 3 }).map((writes) => {
  let id = 0
  return writes.map((rows) => rows.map((r) => ({ id: BigInt(id++), ...r })))
})

/** A table of `FLAT` in memory holding `writes`; `partitioned` by `part`; extra table properties. */
export async function flatTable(writes: readonly Row[][], partitioned: boolean, configuration: Record<string, string> = {}): Promise<MemoryStore> {
  const store = new MemoryStore({ url: 'memory://cow' })
  const engine = createEngine(store)
  await DeltaTable.create(engine, { schema: FLAT, ...(partitioned ? { partitionBy: ['part'] } : {}), configuration })
  for (const rows of writes) await (await DeltaTable.open(engine)).write(rows)
  return store
}

/** hyparquet with counts of its Arrow batch reads (the columnar rewrite) and row reads. */
export function countingCodec(): { codec: ParquetCodec; reads: { batches: number; rows: number } } {
  const reads = { batches: 0, rows: 0 }
  const codec: ParquetCodec = {
    ...hyparquetCodec,
    readBatches(file, schema, options) {
      reads.batches++
      return hyparquetCodec.readBatches?.(file, schema, options) as AsyncIterable<never>
    },
    readRows(file, schema, options) {
      reads.rows++
      return hyparquetCodec.readRows(file, schema, options)
    },
  }
  return { codec, reads }
}

/** A value as comparable text: bigints, NaN, -0 and bytes told apart, object keys sorted. */
function comparable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`
    if (v instanceof JsonNumber) return `#${v.text}`
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (typeof v === 'number' && (Number.isNaN(v) || Object.is(v, -0) || !Number.isFinite(v))) return Object.is(v, -0) ? '-0' : String(v)
    return v
  })
}

/** What an operation did, file names without their UUIDs, no times; or its error. */
export interface Outcome {
  readonly rows?: string[]
  readonly metrics?: Record<string, number>
  readonly adds?: string[]
  readonly removed?: string[]
  /** The change feed of the operation's version (tables with `delta.enableChangeDataFeed`), sorted. */
  readonly changes?: string[]
  readonly error?: { name: string; code: string }
}

/** The table's rows after `operation` (one comparable line each, by id), its metrics and actions; or its error. */
export async function outcomeOf(engine: Engine, operation: (table: DeltaTable) => Promise<{ version: number | undefined; metrics: object }>): Promise<Outcome> {
  try {
    const { version, metrics } = await operation(await DeltaTable.open(engine))
    // Bytes differ between encoders (parquet-wasm's files carry the Arrow schema): checked against the adds instead.
    const counts = Object.fromEntries(Object.entries(metrics).filter(([k]) => !k.endsWith('TimeMs') && k !== 'numAddedBytes')) as Record<string, number>
    const actions: Action[] = version === undefined ? [] : await actionsOf(engine, version)
    const addedBytes = actions.reduce((n, a) => n + (a.kind === 'add' ? a.add.size : 0), 0)
    if ((metrics as { numAddedBytes?: number }).numAddedBytes !== addedBytes) throw new Error(`expected numAddedBytes ${addedBytes} (the adds' sizes), found ${JSON.stringify(metrics)}`)
    const adds = actions.flatMap((a) => (a.kind === 'add' ? [comparable({ path: a.add.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, 'UUID'), partitionValues: a.add.partitionValues, stats: parseLosslessJson(a.add.stats ?? 'null'), dv: a.add.deletionVector?.cardinality ?? null })] : []))
    const removed = actions.flatMap((a) => (a.kind === 'remove' ? [a.remove.path] : []))
    const rows = (await (await DeltaTable.open(engine)).toArray()).sort((a, b) => Number(BigInt(a['id'] as bigint) - BigInt(b['id'] as bigint)))
    const cdf = version !== undefined && (await DeltaTable.open(engine)).metadata.configuration['delta.enableChangeDataFeed'] === 'true'
    const changes = cdf ? (await (await DeltaTable.open(engine)).changes({ startingVersion: version }).toArray()).map((r) => comparable({ ...r, _commit_timestamp: null })).sort() : []
    return { rows: rows.map((r) => comparable(r)), metrics: counts, adds: adds.sort(), removed: removed.sort(), changes }
  } catch (err) {
    const e = err as { name: string; code: string }
    return { error: { name: e.name, code: e.code } }
  }
}

/** A copy of a store's objects in a new memory store. */
export async function copyStore(store: MemoryStore): Promise<MemoryStore> {
  const copy = new MemoryStore({ url: 'memory://cow-copy' })
  for await (const meta of store.list('')) await copy.put(meta.path, await store.get(meta.path))
  return copy
}
