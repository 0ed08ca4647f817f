// The MERGE source held in memory (docs/row-level-plan.md §5.1): read once under a byte budget, typed
// against the target's columns (source-schema.ts), and hashed on the canonical encoding of its
// join-key values (NULL keys never match, SQL equality). Reading it once also makes the MERGE deterministic across attempts.

import type { ArrowColumn, ArrowRecordBatch, Row, StructType, Value } from '@lake/parquet'
import { MergeError } from '../../errors.js'
import { estimateBytes } from '../../files/estimate-bytes.js'
import { ShapeTracker } from './source-shape.js'
import type { JoinAnalysis } from './plan-expressions.js'
import { batchRowsConverter, batchesOf, checkArrowText, deltaSchemaOfArrow, isArrowData } from '../../columns/arrow-input.js'

/** The default source budget: 512 MiB of estimated in-memory size. */
export const DEFAULT_MERGE_SOURCE_MAX_BYTES = 512 * 1024 * 1024

/** A MERGE source: rows (arrays, iterables, async iterables of objects) or typed batches (a table's scan). */
export type MergeSourceInput =
  | readonly unknown[]
  | Iterable<unknown>
  | AsyncIterable<unknown>
  | { readonly kind: 'batches'; readonly schema: StructType; readonly batches: AsyncIterable<readonly Row[]> }

/** The source read into memory: raw rows and, for typed batches, their schema; an Arrow source keeps its batches (its rows are made on first use). */
export interface CollectedSource {
  readonly rows: readonly unknown[]
  readonly schema: StructType | undefined
  readonly bytes: number
  readonly arrow?: readonly ArrowRecordBatch[]
  /** Row objects only: the key names every row has, in order, when they all share them (source-shape.ts). */
  readonly shape?: readonly string[]
}

/** Bytes of an Arrow column's buffers, its children's included (`columnBytes` of the Arrow modules). */
const dataBytes = (data: ArrowColumn, columnBytes: (column: ArrowColumn) => number): number =>
  data.children.reduce((n, child) => n + dataBytes(child, columnBytes), columnBytes(data))

/** An Arrow source: its batches, and its exact rows (`rowsOfBatch`) made once when first asked for. */
function arrowSource(batches: readonly ArrowRecordBatch[], schema: StructType, bytes: number, rowsOfBatch: (batch: ArrowRecordBatch) => Row[]): CollectedSource {
  let rows: Row[] | undefined
  return {
    schema,
    bytes,
    arrow: batches,
    get rows(): readonly unknown[] {
      rows ??= batches.flatMap(rowsOfBatch)
      return rows
    },
  }
}

function tooLarge(bytes: number, limit: number): MergeError {
  const message =
    `MERGE source too large: expected at most ${limit} bytes (mergeSourceMaxBytes) in memory, found more than ${bytes} ` +
    `after reading part of it; split the source (e.g. by partition) or raise the budget`
  return new MergeError('SourceTooLarge', message, { context: { bytes, limit } })
}

function isBatches(input: MergeSourceInput): input is Extract<MergeSourceInput, { kind: 'batches' }> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && (input as { kind?: unknown }).kind === 'batches'
}

/**
 * Reads the whole source (rows, typed batches, or an Arrow Table / RecordBatch), counting its estimated bytes.
 * @throws MergeError `SourceTooLarge` as soon as the estimate passes `limit` (before the target is read);
 *   `InvalidArgument` when `limit` is not a positive integer.
 */
export async function collectSource(input: MergeSourceInput, limit: number, signal?: AbortSignal): Promise<CollectedSource> {
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new MergeError('InvalidArgument', `mergeSourceMaxBytes: expected a positive integer, found ${String(limit)}`, { context: { option: 'mergeSourceMaxBytes' } })
  }
  const rows: unknown[] = []
  let bytes = 0
  const take = (row: unknown, size: number): void => {
    bytes += size
    if (bytes > limit) throw tooLarge(bytes, limit)
    rows.push(row)
  }
  if (isBatches(input)) {
    for await (const batch of input.batches) {
      signal?.throwIfAborted()
      for (const row of batch) take(row, estimateBytes(row))
    }
    return { rows, schema: input.schema, bytes }
  }
  if (isArrowData(input)) {
    // An Arrow Table or RecordBatch, typed by its Arrow schema and counted by its buffers' bytes.
    const schema = await deltaSchemaOfArrow(input)
    const { columnBytes } = await import('../../arrow-values.js')
    const batches = batchesOf(input)
    await checkArrowText(batches)
    const size = batches.reduce((n, b) => n + dataBytes(b.data, columnBytes), 0)
    if (size > limit) throw tooLarge(size, limit)
    return arrowSource(batches, schema, size, await batchRowsConverter())
  }
  const shape = new ShapeTracker()
  if (Array.isArray(input)) return arraySource(input, limit, shape)
  if (Symbol.asyncIterator in input) {
    for await (const row of input as AsyncIterable<unknown>) take(row, shape.add(row))
  } else {
    for (const row of input as Iterable<unknown>) take(row, shape.add(row))
  }
  return rowSource(rows, bytes, shape)
}

/** Rows read whole, with the shape they share, if one. */
function rowSource(rows: readonly unknown[], bytes: number, shape: ShapeTracker): CollectedSource {
  const names = shape.shape()
  return { rows, schema: undefined, bytes, ...(names === undefined ? {} : { shape: names }) }
}

/**
 * An array of rows, copied (the caller may change its array while the MERGE runs) and measured row by
 * row; a hole is copied as `undefined`, as iterating the array gives it (a later `forEach` must not skip it).
 */
function arraySource(input: readonly unknown[], limit: number, shape: ShapeTracker): CollectedSource {
  const rows = new Array<unknown>(input.length)
  let bytes = 0
  for (let i = 0; i < input.length; i++) {
    const row = input[i]
    rows[i] = row
    bytes += shape.add(row)
    if (bytes > limit) throw tooLarge(bytes, limit)
  }
  return rowSource(rows, bytes, shape)
}

/** The canonical text of one key value: equal SQL values (5 as int and as long) encode alike. */
export function encodeKeyValue(value: Value): string {
  if (value === null) return 'null'
  if (typeof value === 'bigint') return `n${value}`
  if (typeof value === 'number') return Number.isInteger(value) ? `n${value === 0 ? 0 : value}` : `f${value}`
  if (typeof value === 'string') return `s${JSON.stringify(value)}`
  if (typeof value === 'boolean') return value ? 'T' : 'F'
  if (value instanceof Uint8Array) return `x${Buffer.from(value).toString('hex')}`
  return `o${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v))}`
}

/** A hash key: the value of one integral or string key, else the canonical text of every key value. */
export type HashKey = string | number | bigint

/** The source hashed on its join keys. */
export interface SourceHash {
  readonly rows: readonly Row[]
  /** Hash key → indexes of the source rows that can match it. Empty when the join has no equi-key. */
  readonly buckets: ReadonlyMap<HashKey, readonly number[]>
  /** Indexes of the rows that can match at all (keys not NULL, source-only ON conjuncts TRUE). */
  readonly matchable: readonly number[]
  /** Per equi-key, the non-null key values of matchable rows (for target pruning). */
  readonly keyValues: readonly (readonly Value[])[]
  /** The indexes of the source rows whose keys equal target `row`'s (none when one of its keys is NULL). */
  probe(row: Row): readonly number[]
}

const INTEGRAL: ReadonlySet<string> = new Set(['byte', 'short', 'integer', 'long'])
const SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const NONE: readonly number[] = []

/** How one key value of a single-key join becomes a hash key by value, or undefined when only the canonical text is exact. */
function valueKey(join: JoinAnalysis): ((value: Value) => HashKey) | undefined {
  const [key] = join.keys
  if (join.keys.length !== 1 || key === undefined) return undefined
  const [t, s] = [key.target.type, key.source.type]
  if (t.kind !== 'primitive' || s.kind !== 'primitive') return undefined
  // An integral value is a number or a bigint: one hash key per SQL value (5 as int and as long alike).
  if (INTEGRAL.has(t.name) && INTEGRAL.has(s.name)) return (v) => (typeof v === 'bigint' && v <= SAFE && v >= -SAFE ? Number(v) : (v as number | bigint))
  if (t.name === 'string' && s.name === 'string') return (v) => v as string
  return undefined
}

/** The hash key of the key values `values` (none NULL). */
function hashKey(values: readonly Value[], byValue: ((value: Value) => HashKey) | undefined): HashKey {
  return byValue === undefined ? values.map(encodeKeyValue).join('\u0001') : byValue(values[0] as Value)
}

/** Evaluates the keys of `rows` and hashes them; rows whose key has a NULL or whose source-only conjuncts are not TRUE never match. */
export function hashSource(rows: readonly Row[], join: JoinAnalysis): SourceHash {
  const buckets = new Map<HashKey, number[]>()
  const matchable: number[] = []
  const keyValues: Value[][] = join.keys.map(() => [])
  const byValue = valueKey(join)
  rows.forEach((row, i) => {
    if (!join.sourceOnly.every((c) => c.evaluate([undefined, row]) === true)) return
    const values = join.keys.map((k) => k.source.evaluate([undefined, row]))
    if (values.some((v) => v === null)) return
    matchable.push(i)
    values.forEach((v, k) => keyValues[k]?.push(v))
    if (join.keys.length === 0) return
    const key = hashKey(values, byValue)
    const bucket = buckets.get(key)
    if (bucket === undefined) buckets.set(key, [i])
    else bucket.push(i)
  })
  return { rows, buckets, matchable, keyValues, probe: prober(join, buckets, byValue) }
}

function prober(join: JoinAnalysis, buckets: ReadonlyMap<HashKey, readonly number[]>, byValue: ((value: Value) => HashKey) | undefined): (row: Row) => readonly number[] {
  const [single] = join.keys
  if (byValue !== undefined && single !== undefined) {
    return (row) => {
      const v = single.target.evaluate([row, undefined])
      return v === null ? NONE : (buckets.get(byValue(v)) ?? NONE)
    }
  }
  return (row) => {
    const values = join.keys.map((k) => k.target.evaluate([row, undefined]))
    return values.some((v) => v === null) ? NONE : (buckets.get(hashKey(values, undefined)) ?? NONE)
  }
}

/** A key as SQL literals, for messages: `id = 7, region = 'eu'`. */
export function describeKey(row: Row, join: JoinAnalysis): string {
  if (join.keys.length === 0) return `no equality key in ON (${join.sql})`
  return join.keys
    .map((k) => {
      const v = k.target.evaluate([row, undefined])
      const text = typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)
      return `${k.target.sql} = ${text}`
    })
    .join(', ')
}
