// Target pruning of MERGE (operations/merge/target-pruning.ts) against a model, on random files and
// source keys: a file that may hold a row matching a source key is always read (skipping one would
// insert a duplicate instead of updating), and a file is skipped exactly when the model says the
// pruning can tell: integral keys by the source values between the file's bounds (as numbers, or as
// exact bigints past 2^53), string keys by BETWEEN the source's least and greatest value, partition keys
// by IN (by BETWEEN past 1,000 distinct values); files without stats, or without a key's bounds, are read
// (a single bound still rules out the values on its side), files whose key column is all NULL are not.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { StructType, Value } from '@lake/parquet'
import { DeltaTable } from '../../src/index.js'
import type { AddFile } from '../../src/internal.js'
import { mergeCandidates, planMerge } from '../../src/internal.js'
import type { MergeSpec } from '../../src/internal.js'
import { SCHEMA, newTable } from './helpers.js'

const SOURCE: StructType = { kind: 'struct', fields: SCHEMA.fields.map((f) => ({ ...f, nullable: true })) }
const spec = (on: string): MergeSpec => ({ on, sourceAlias: 'source', targetAlias: 'target', clauses: [{ kind: 'matchedDelete' }] })

/** One file's key column stats: bounds (absent: none written), or a column of NULLs only. */
interface ColumnStats {
  readonly min?: bigint | string
  readonly max?: bigint | string
  readonly allNull?: boolean
}
interface FileSpec {
  readonly stats: { readonly id?: ColumnStats; readonly v?: ColumnStats; readonly p?: ColumnStats } | undefined
  readonly partition: string | null
}

const BIG = 2n ** 53n
const longs = fc.oneof(fc.bigInt({ min: -40n, max: 40n }), fc.constantFrom(BIG - 1n, BIG, BIG + 1n, -BIG - 1n, -BIG, 2n ** 62n))
const ints = fc.bigInt({ min: -40n, max: 40n })
const texts = fc.stringMatching(/^[a-d]{0,3}$/)

function columnStats<T extends bigint | string>(values: fc.Arbitrary<T>): fc.Arbitrary<ColumnStats | undefined> {
  const bounds = fc.tuple(values, values).map(([a, b]): ColumnStats => (a <= b ? { min: a, max: b } : { min: b, max: a }))
  return fc.oneof({ weight: 6, arbitrary: bounds }, fc.constant(undefined), fc.constant({ allNull: true }), values.map((min): ColumnStats => ({ min })))
}

const fileSpecs = fc.array(
  fc.record({
    stats: fc.option(fc.record({ id: columnStats(longs), v: columnStats(ints), p: columnStats(texts) }), { nil: undefined, freq: 6 }),
    partition: fc.option(texts, { nil: null, freq: 6 }),
  }),
  { maxLength: 12 },
)

const NUM_RECORDS = 10

function jsonValue(v: bigint | string): string {
  return typeof v === 'bigint' ? v.toString() : JSON.stringify(v)
}

function statsJson(stats: FileSpec['stats'], partitioned: boolean): string | undefined {
  if (stats === undefined) return undefined
  const columns = Object.entries(stats).filter(([name]) => !(partitioned && name === 'p')) as [string, ColumnStats | undefined][]
  const part = (pick: (c: ColumnStats) => string | undefined): string =>
    columns.flatMap(([name, c]) => (c === undefined ? [] : [[name, pick(c)] as const])).filter(([, text]) => text !== undefined).map(([name, text]) => `"${name}":${text}`).join(',')
  const min = part((c) => (c.min === undefined ? undefined : jsonValue(c.min)))
  const max = part((c) => (c.max === undefined ? undefined : jsonValue(c.max)))
  const nulls = part((c) => String(c.allNull === true ? NUM_RECORDS : 0))
  return `{"numRecords":${NUM_RECORDS},"minValues":{${min}},"maxValues":{${max}},"nullCount":{${nulls}}}`
}

function addFile(spec: FileSpec, i: number, partitioned: boolean): AddFile {
  const stats = statsJson(spec.stats, partitioned)
  return {
    path: `f${i}`,
    partitionValues: partitioned ? { p: spec.partition } : {},
    size: 1,
    modificationTime: 0,
    dataChange: true,
    ...(stats === undefined ? {} : { stats }),
  }
}

const compare = (a: bigint | string, b: bigint | string): number => (a < b ? -1 : a > b ? 1 : 0)
const least = (values: readonly (bigint | string)[]): bigint | string => values.reduce((a, b) => (compare(a, b) <= 0 ? a : b))
const greatest = (values: readonly (bigint | string)[]): bigint | string => values.reduce((a, b) => (compare(a, b) >= 0 ? a : b))

/**
 * Whether the model says the file is read for key `column` with source values `values` (not empty):
 * integral columns exactly (a value between the bounds), strings by overlap with [least, greatest], a
 * partition column by membership (by [least, greatest] past `maxIn` distinct values).
 */
function keptFor(file: FileSpec, column: 'id' | 'v' | 'p', values: readonly (bigint | string)[], partitioned: boolean, maxIn: number): boolean {
  if (column === 'p' && partitioned) {
    const value = file.partition
    if (value === null || value === '') return false // an empty partition value is NULL (Delta's rule)
    if (new Set(values).size <= maxIn) return values.includes(value)
    return compare(least(values), value) <= 0 && compare(value, greatest(values)) <= 0
  }
  const stats = file.stats?.[column]
  if (file.stats === undefined || stats === undefined) return true
  if (stats.allNull === true) return false
  const { min, max } = stats
  const above = (v: bigint | string): boolean => min === undefined || compare(min, v) <= 0
  // A string max may be a truncated prefix (Delta's stats cut strings): it bounds the values' prefixes only.
  const below = (v: bigint | string): boolean => max === undefined || compare(typeof v === 'string' ? v.slice(0, (max as string).length) : v, max) <= 0
  // A bound alone still rules values out on its side.
  if (column === 'p') return above(greatest(values)) && below(least(values))
  return values.some((v) => above(v) && below(v))
}

/** Source values as the MERGE hands them to pruning: numbers for safe integers (a sorted Float64Array when `typed`), else bigints. */
function keyValues(values: readonly (bigint | string)[], typed: boolean): readonly Value[] | Float64Array {
  if (values.some((v) => typeof v === 'string')) return values as string[]
  const safe = values.every((v) => (v as bigint) < BIG && (v as bigint) > -BIG)
  if (typed && safe) return Float64Array.from(values, Number).sort()
  return values.map((v) => (safe ? Number(v) : v))
}

describe('MERGE target pruning against a model', () => {
  const cases = [
    { on: 'target.id = source.id', keys: ['id'] as const, partitioned: false },
    { on: 'target.v = source.v', keys: ['v'] as const, partitioned: false },
    { on: 'target.p = source.p', keys: ['p'] as const, partitioned: false },
    { on: 'target.p = source.p', keys: ['p'] as const, partitioned: true },
    { on: 'target.id = source.id AND target.p = source.p', keys: ['id', 'p'] as const, partitioned: false },
    { on: 'target.p = source.p AND target.v = source.v', keys: ['p', 'v'] as const, partitioned: true },
  ]

  it.each(cases)('reads every file that may hold a match, and skips what the model can tell: $on (partitioned: $partitioned)', async ({ on, keys, partitioned }) => {
    const snapshot = (await DeltaTable.open((await newTable({ dv: false, partitioned })).engine)).snapshot
    const plan = planMerge(snapshot, SOURCE, spec(on), { nowMs: 0 })
    const target = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: 'none' as const }
    const sourceValues = { id: fc.array(longs, { maxLength: 6 }), v: fc.array(ints, { maxLength: 6 }), p: fc.array(texts, { maxLength: 6 }) }
    fc.assert(
      fc.property(fileSpecs, fc.record(sourceValues), fc.boolean(), (specs, values, typed) => {
        const files = specs.map((s, i) => addFile(s, i, partitioned))
        const given = keys.map((k) => keyValues(values[k], typed))
        const result = mergeCandidates(files, target, plan.join, given, { wholeTable: false, anyMatchable: true })
        const expected = specs.flatMap((s, i) => (keys.every((k) => values[k].length > 0 && keptFor(s, k, values[k], partitioned, 1000)) ? [`f${i}`] : []))
        expect(result.files.map((f) => f.path)).toEqual(expected)
        // The declared read predicate says the same of every file (what conflict detection tests concurrent adds with).
        expect(files.filter((f) => result.predicate?.matchesFile(f.partitionValues, f.stats)).map((f) => f.path)).toEqual(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('prunes a partition key by IN up to 1,000 distinct source values, and by BETWEEN past them', async () => {
    const snapshot = (await DeltaTable.open((await newTable({ dv: false, partitioned: true })).engine)).snapshot
    const plan = planMerge(snapshot, SOURCE, spec('target.p = source.p'), { nowMs: 0 })
    const target = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: 'none' as const }
    const keys = (n: number): string[] => Array.from({ length: n }, (_, i) => `k${String(i).padStart(4, '0')}`)
    const files = ['k0500', 'k0500x', 'k0999', 'k1000', 'z', 'a'].map((p, i) => addFile({ stats: undefined, partition: p }, i, true))
    const read = (values: string[]): string[] => mergeCandidates(files, target, plan.join, [values], { wholeTable: false, anyMatchable: true }).files.map((f) => String(f.partitionValues['p']))
    expect(read(keys(1000))).toEqual(['k0500', 'k0999'])
    expect(read([...keys(1000), 'k0999'])).toEqual(['k0500', 'k0999'])
    expect(read(keys(1001))).toEqual(['k0500', 'k0500x', 'k0999', 'k1000'])
  })
})
