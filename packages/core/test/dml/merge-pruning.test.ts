// Target pruning of MERGE (operations/merge/target-pruning.ts) against a model, on random files and
// source keys: a file that may hold a row matching a source key is always read (skipping one would
// insert a duplicate instead of updating), and a file is skipped exactly when the model says the
// pruning can tell: integral keys by the source values between the file's bounds (as numbers, or as
// exact bigints past 2^53), string keys by BETWEEN the source's least and greatest value, partition keys
// by IN (by BETWEEN past 1,000 distinct values); files without stats, or without a key's bounds, are read
// (a single bound still rules out the values on its side; a bound written as JSON null is none), files whose key column
// is all NULL are not.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PrimitiveName, StructType, Value } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import { DeltaTable, createEngine } from '../../src/index.js'
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
  /** Bounds written as JSON null (no bound known). */
  readonly nullBounds?: boolean
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
  const one = fc.oneof(values.map((min): ColumnStats => ({ min })), values.map((max): ColumnStats => ({ max })))
  return fc.oneof({ weight: 6, arbitrary: bounds }, fc.constant(undefined), fc.constant({ allNull: true }), fc.constant({ nullBounds: true }), one)
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
  const min = part((c) => (c.nullBounds === true ? 'null' : c.min === undefined ? undefined : jsonValue(c.min)))
  const max = part((c) => (c.nullBounds === true ? 'null' : c.max === undefined ? undefined : jsonValue(c.max)))
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
  // Short labels: vitest cuts long strings interpolated into a title (the ON text would end in '…').
  const cases = [
    { label: 'id', on: 'target.id = source.id', keys: ['id'] as const, partitioned: false },
    { label: 'v', on: 'target.v = source.v', keys: ['v'] as const, partitioned: false },
    { label: 'p', on: 'target.p = source.p', keys: ['p'] as const, partitioned: false },
    { label: 'p, partitioned', on: 'target.p = source.p', keys: ['p'] as const, partitioned: true },
    { label: 'id and p', on: 'target.id = source.id AND target.p = source.p', keys: ['id', 'p'] as const, partitioned: false },
    { label: 'p and v, partitioned', on: 'target.p = source.p AND target.v = source.v', keys: ['p', 'v'] as const, partitioned: true },
  ]

  it.each(cases)('reads every file that may hold a match, and skips what the model can tell: key $label', async ({ on, keys, partitioned }) => {
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

  it.each(['byte', 'short', 'integer', 'long'] as const)('prunes a %s key by the source values between each file\'s bounds', async (name) => {
    const schema: StructType = { kind: 'struct', fields: [{ name: 'k', type: { kind: 'primitive', name }, nullable: true, metadata: {} }] }
    const engine = createEngine(new MemoryStore({ url: 'memory://pruning' }))
    await DeltaTable.create(engine, { schema })
    const snapshot = (await DeltaTable.open(engine)).snapshot
    const plan = planMerge(snapshot, schema, spec('target.k = source.k'), { nowMs: 0 })
    const target = { schema, partitionColumns: [], columnMappingMode: 'none' as const }
    const file = (min: string, max: string, i: number): AddFile => ({
      path: `f${i}`, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true,
      stats: `{"numRecords":2,"minValues":{"k":${min}},"maxValues":{"k":${max}},"nullCount":{"k":0}}`,
    })
    const read = (files: readonly AddFile[], values: readonly Value[] | Float64Array): string[] =>
      mergeCandidates(files, target, plan.join, [values], { wholeTable: false, anyMatchable: true }).files.map((f) => f.path)
    // BETWEEN -5 AND 20 keeps all but f2; no source value lies in f0's or f1's bounds.
    const files = [file('0', '10', 0), file('3', '4', 1), file('-20', '-10', 2), file('11', '20', 3)]
    for (const values of [[-5, 20], [20, -5], Float64Array.of(-5, 20), [-5n, 20n]]) expect(read(files, values)).toEqual(['f3'])
    if (name !== 'long') return
    // Past 2^53 the values are compared exactly: 2^53 + 1 is not in [2^53, 2^53], -2^53 - 1 not in [-2^53, -2^53].
    const [big, low] = [2n ** 53n, -(2n ** 53n)]
    const edges = [file(`${big}`, `${big}`, 0), file(`${low}`, `${low}`, 1), file(`${big}`, `${big + 1n}`, 2), file(`${low - 1n}`, `${low}`, 3)]
    expect(read(edges, [big + 1n])).toEqual(['f2'])
    expect(read(edges, [low - 1n])).toEqual(['f3'])
    expect(read(edges, [low - 1n, big + 1n])).toEqual(['f2', 'f3'])
    // As doubles, 2^53 + 3 and 2^53 + 5 are both 2^53 + 4: the file [2^53 + 3] holds neither 2^53 + 1 nor 2^53 + 5.
    const between = [file(`${big + 3n}`, `${big + 3n}`, 0), file(`${big + 5n}`, `${big + 9n}`, 1), file(`${low - 3n}`, `${low - 3n}`, 2)]
    expect(read(between, [big + 1n, big + 5n])).toEqual(['f1'])
    expect(read(between, [low - 1n, low - 5n])).toEqual([])
  })

  describe('key columns by name and type', () => {
    const field = (name: string, type: PrimitiveName, metadata: Record<string, unknown> = {}): StructType['fields'][number] => ({ name, type: { kind: 'primitive', name: type }, nullable: true, metadata })
    const file = (column: string, min: string, max: string, i: number): AddFile => ({
      path: `f${i}`, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true,
      stats: `{"numRecords":2,"minValues":{${JSON.stringify(column)}:${min}},"maxValues":{${JSON.stringify(column)}:${max}},"nullCount":{${JSON.stringify(column)}:0}}`,
    })
    async function joinOf(schema: StructType, on: string): Promise<ReturnType<typeof planMerge>['join']> {
      const engine = createEngine(new MemoryStore({ url: 'memory://pruning' }))
      await DeltaTable.create(engine, { schema })
      return planMerge((await DeltaTable.open(engine)).snapshot, schema, spec(on), { nowMs: 0 }).join
    }

    it('a key column whose name holds a backtick is pruned by its stats', async () => {
      const schema: StructType = { kind: 'struct', fields: [field('k`1', 'long')] }
      const join = await joinOf(schema, 'target.`k``1` = source.`k``1`')
      const files = [file('k`1', '0', '10', 0), file('k`1', '20', '30', 1)]
      const read = mergeCandidates(files, { schema, partitionColumns: [], columnMappingMode: 'none' }, join, [[25]], { wholeTable: false, anyMatchable: true })
      expect(read.files.map((f) => f.path)).toEqual(['f1'])
    })

    it('with column mapping, a key column is pruned by the stats of its physical name', async () => {
      const join = await joinOf({ kind: 'struct', fields: [field('k', 'long')] }, 'target.k = source.k')
      const mapped: StructType = { kind: 'struct', fields: [field('k', 'long', { 'delta.columnMapping.id': 1, 'delta.columnMapping.physicalName': 'col-k' })] }
      const files = [file('col-k', '0', '10', 0), file('col-k', '20', '30', 1), file('k', '0', '10', 2)]
      const read = mergeCandidates(files, { schema: mapped, partitionColumns: [], columnMappingMode: 'name' }, join, [[25]], { wholeTable: false, anyMatchable: true })
      expect(read.files.map((f) => f.path)).toEqual(['f1', 'f2'])
    })

    it('a float key matched by a double source value is not pruned by its float stats (Spark writes 0.1f as 0.1)', async () => {
      const schema: StructType = { kind: 'struct', fields: [field('y', 'float'), field('x', 'double')] }
      const join = await joinOf(schema, 'target.y = source.x')
      const files = [file('y', '0.1', '0.1', 0)]
      const read = mergeCandidates(files, { schema, partitionColumns: [], columnMappingMode: 'none' }, join, [[Math.fround(0.1)]], { wholeTable: false, anyMatchable: true })
      expect(read.files.map((f) => f.path)).toEqual(['f0'])
    })
  })
})
