// Tests for the deletion vector bitmap encoder: round trips through the reader's decoder (properties
// over random sets), Spark's container choice and header layout, and the typed input errors.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_DV_ROW_INDEX, bucketRowIndexes, decodeDeletionVectorBitmap, encodeDeletionVectorBitmap } from '../src/dv/index.js'
import type { RowIndex } from '../src/dv/index.js'
import { roaringLayout } from './dv-roaring-layout.js'

const HIGH = 2 ** 32
const range = (start: number, count: number, step = 1): number[] => Array.from({ length: count }, (_, i) => start + i * step)
const distinctSorted = (rows: readonly number[]): number[] => [...new Set(rows)].sort((a, b) => a - b)
const roundTrip = (rows: readonly number[]): number[] => [...decodeDeletionVectorBitmap(encodeDeletionVectorBitmap(rows).bitmap)]

/** Row sets shaped to hit every container kind and boundary: runs, sparse, dense, 2^16 and 2^32 edges. */
const rowSets = fc.oneof(
  fc.uniqueArray(fc.nat(200_000), { maxLength: 300 }),
  fc.array(fc.tuple(fc.nat(300_000), fc.integer({ min: 1, max: 3000 })), { maxLength: 6 }).map((runs) => runs.flatMap(([s, n]) => range(s, n))),
  fc.tuple(fc.nat(3), fc.integer({ min: 4000, max: 9000 }), fc.integer({ min: 1, max: 3 })).map(([k, n, step]) => range(k * 65536, n, step)),
  fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { maxLength: 40 }).map((ds) => ds.map((d) => 65536 * 3 + d)),
  fc.uniqueArray(fc.tuple(fc.nat(5), fc.nat(70_000)), { maxLength: 60 }).map((ps) => ps.map(([h, l]) => h * HIGH + l)),
  fc.uniqueArray(fc.integer({ min: -20, max: 20 }), { maxLength: 30 }).map((ds) => ds.map((d) => HIGH + d)),
)

describe('encodeDeletionVectorBitmap', () => {
  it('gives back the same set through the reader, for random sets of every shape', () => {
    fc.assert(
      fc.property(rowSets, (rows) => {
        const encoded = encodeDeletionVectorBitmap(rows)
        const expected = distinctSorted(rows)
        expect([...decodeDeletionVectorBitmap(encoded.bitmap)]).toEqual(expected)
        expect(encoded.cardinality).toBe(expected.length)
      }),
      { numRuns: 100 },
    )
  }, 30_000)

  it('stores offsets that point at each container, for random sets', () => {
    fc.assert(
      fc.property(rowSets, (rows) => {
        for (const bucket of roaringLayout(encodeDeletionVectorBitmap(rows).bitmap)) {
          for (const c of bucket.containers) if (c.storedOffset !== undefined) expect(c.storedOffset).toBe(c.start)
        }
      }),
      { numRuns: 50 },
    )
  }, 30_000)

  it.each([
    ['the empty set', [], []],
    ['one row', [7], [7]],
    ['duplicates and any order', [9, 3, 9, 3, 0], [0, 3, 9]],
    ['the 2^16 boundary', [65535, 65536], [65535, 65536]],
    ['the 2^32 boundary', [HIGH - 1, HIGH, HIGH + 1], [HIGH - 1, HIGH, HIGH + 1]],
    ['a bucket far above 2^32', [1, 2 ** 40 + 3], [1, 2 ** 40 + 3]],
    ['a whole 2^16 container', range(65536, 65536), range(65536, 65536)],
    ['exactly 4096 scattered values (the largest array container)', range(0, 4096, 2), range(0, 4096, 2)],
    ['4097 scattered values (the smallest bitmap container)', range(0, 4097, 2), range(0, 4097, 2)],
    ['a bitmap container followed by an array container and a second bucket', [...range(0, 5000, 2), 65537, HIGH + 3], [...range(0, 5000, 2), 65537, HIGH + 3]],
    ['8 containers with runs (one full run-flag byte)', range(0, 8).flatMap((k) => range(k * 65536, k % 2 === 0 ? 6 : 1)), range(0, 8).flatMap((k) => range(k * 65536, k % 2 === 0 ? 6 : 1))],
  ])('round-trips %s', (_name, rows, expected) => {
    expect(roundTrip(rows)).toEqual(expected)
  })

  it('buckets an array of numbers below 2^32 (one loop, no per-index checks) as it buckets the same indexes one by one', () => {
    const oneByOne = function* (rows: readonly RowIndex[]): Generator<RowIndex> {
      yield* rows
    }
    const buckets = (rows: Iterable<RowIndex>): [number, number[]][] => bucketRowIndexes(rows).map((b) => [b.key, [...b.lows]])
    fc.assert(
      fc.property(rowSets, fc.boolean(), (rows, sorted) => {
        const input = sorted ? distinctSorted(rows) : rows
        expect(buckets(input)).toEqual(buckets(oneByOne(input)))
        expect(buckets(input.map(BigInt))).toEqual(buckets(input))
      }),
      { numRuns: 100 },
    )
    expect(buckets([HIGH - 1, 0, HIGH - 1, 7, 0])).toEqual([[0, [0, 7, HIGH - 1]]])
    expect(buckets([5, HIGH, 3])).toEqual([[0, [3, 5]], [1, [0]]])
    expect(buckets([])).toEqual([])
  })

  it('sets only the values\' bits of a bitmap container, also when its first value is not 0', () => {
    const odd = range(1, 5000, 2)
    expect(roaringLayout(encodeDeletionVectorBitmap(odd).bitmap)[0]?.containers.map((c) => c.kind)).toEqual(['bitmap'])
    expect(roundTrip(odd)).toEqual(odd)
  })

  it('encodes the empty set as the magic and zero buckets', () => {
    expect([...encodeDeletionVectorBitmap([]).bitmap]).toEqual([0xd1, 0xd3, 0x39, 0x64, 0, 0, 0, 0, 0, 0, 0, 0])
  })

  it('encodes bigints and numbers to the same bytes', () => {
    const rows = [0, 5, 65536, HIGH + 9]
    expect(encodeDeletionVectorBitmap(rows.map(BigInt)).bitmap).toEqual(encodeDeletionVectorBitmap(rows).bitmap)
  })

  it('writes only the non-empty buckets, with their keys in ascending order', () => {
    expect(roaringLayout(encodeDeletionVectorBitmap([7 * HIGH, 1, 3 * HIGH + 2, 0]).bitmap).map((b) => b.key)).toEqual([0, 3, 7])
    expect(bucketRowIndexes([7 * HIGH, 3 * HIGH + 9, 2, 3 * HIGH + 2, 2]).map((b) => [b.key, [...b.lows]])).toEqual([
      [0, [2]],
      [3, [2, 9]],
      [7, [0]],
    ])
  })

  it('accepts -0 as row 0', () => {
    expect(roundTrip([-0, 1])).toEqual([0, 1])
  })

  it('encodes the largest index Delta readers accept in bucket 2^31 - 2', () => {
    const [bucket] = bucketRowIndexes([MAX_DV_ROW_INDEX])
    expect(bucket?.key).toBe(2 ** 31 - 2)
    expect([...(bucket?.lows ?? [])]).toEqual([2 ** 31])
    expect(roaringLayout(encodeDeletionVectorBitmap([MAX_DV_ROW_INDEX]).bitmap)[0]?.key).toBe(2 ** 31 - 2)
  })
})

describe('container choice (RoaringBitmap after runOptimize, as Spark writes)', () => {
  const runsOf3 = (runs: number): number[] => range(0, runs).flatMap((i) => range(4 * i, 3))
  const kinds = (rows: readonly RowIndex[]) => roaringLayout(encodeDeletionVectorBitmap(rows).bitmap).flatMap((b) => b.containers.map((c) => c.kind))
  it.each([
    ['3 consecutive values: array, a run is no smaller (6 bytes each)', range(0, 3), ['array']],
    ['4 consecutive values: run (6 bytes) beats array (8)', range(0, 4), ['run']],
    ['4 consecutive values from 1: run', range(1, 4), ['run']],
    ['two runs of 4 from 1: run (10 bytes) beats array (16)', [...range(1, 4), ...range(9, 4)], ['run']],
    ['5 values in 3 runs: array (10 bytes), a run takes 14', [1, 2, 3, 7, 9], ['array']],
    ['4096 scattered values: array', range(0, 4096, 2), ['array']],
    ['4097 scattered values: bitmap', range(0, 4097, 2), ['bitmap']],
    ['2047 runs of 3 (6141 values): run (8190 bytes < 8192)', runsOf3(2047), ['run']],
    ['2048 runs of 3 (6144 values): bitmap (a run would take 8194 bytes)', runsOf3(2048), ['bitmap']],
  ])('%s', (_name, rows, expected) => {
    expect(kinds(rows)).toEqual(expected)
  })

  it('uses the run cookie, run flags over 8 containers and the offset header only from 4 containers', () => {
    const rows = range(0, 9).flatMap((k) => (k % 2 === 0 ? range(k * 65536, 10) : [k * 65536, k * 65536 + 5]))
    const [bucket] = roaringLayout(encodeDeletionVectorBitmap(rows).bitmap)
    expect(bucket?.cookie).toBe(12347)
    expect(bucket?.containers.map((c) => c.kind)).toEqual(['run', 'array', 'run', 'array', 'run', 'array', 'run', 'array', 'run'])
    expect(bucket?.containers.every((c) => c.storedOffset === c.start)).toBe(true)
    const [small] = roaringLayout(encodeDeletionVectorBitmap([...range(0, 10), 65536 * 2]).bitmap)
    expect(small?.containers.map((c) => c.storedOffset)).toEqual([undefined, undefined])
    const [three] = roaringLayout(encodeDeletionVectorBitmap([...range(0, 10), 65536, 65536 * 2]).bitmap)
    expect(three?.containers.map((c) => c.storedOffset)).toEqual([undefined, undefined, undefined])
    expect(three?.containers.map((c) => c.start)).toEqual([4 + 1 + 12, 4 + 1 + 12 + 6, 4 + 1 + 12 + 6 + 2])
    const [four] = roaringLayout(encodeDeletionVectorBitmap([...range(0, 10), 65536, 65536 * 2, 65536 * 3]).bitmap)
    expect(four?.containers.map((c) => c.storedOffset)).toEqual([4 + 1 + 16 + 16, 43, 45, 47])
    const [plain] = roaringLayout(encodeDeletionVectorBitmap([1, 65536 * 2]).bitmap)
    expect(plain?.cookie).toBe(12346)
    expect(plain?.containers.map((c) => c.storedOffset)).toEqual([24, 26])
  })
})

describe('row index errors', () => {
  const range63 = `an index from 0 to ${MAX_DV_ROW_INDEX}`
  it.each([
    ['a negative number', [1, -1], '-1', 1, range63],
    ['a negative bigint', [-5n], '-5', 0, range63],
    ['a bigint above Delta’s largest index', [0n, MAX_DV_ROW_INDEX + 1n], String(MAX_DV_ROW_INDEX + 1n), 1, range63],
    ['2^63 - 1', [2n ** 63n - 1n], String(2n ** 63n - 1n), 0, range63],
    ['2^63', [2n ** 63n], String(2n ** 63n), 0, range63],
    ['a fraction', [0, 1, 1.5], '1.5', 2, 'an integer'],
    ['a fraction first', [1.5, 0], '1.5', 0, 'an integer'],
    ['fractions only', [2.5, 3.25], '2.5', 0, 'an integer'],
    ['a negative fraction', [-0.5], '-0.5', 0, 'an integer'],
    ['NaN', [Number.NaN], 'NaN', 0, 'an integer'],
    ['Infinity', [Number.POSITIVE_INFINITY], 'Infinity', 0, 'an integer'],
    ['a number above 2^53 - 1', [2 ** 53], String(2 ** 53), 0, 'a safe integer (use a bigint above 2^53 - 1)'],
  ] as const)('rejects %s with its position', (_name, rows, rowIndex, position, expected) => {
    expect(() => encodeDeletionVectorBitmap(rows)).toThrow(
      expect.objectContaining({
        name: 'DeletionVectorError',
        code: 'InvalidArgument',
        context: { position, rowIndex },
        message: `invalid deletion vector row index at position ${position}: expected ${expected}, found ${rowIndex}`,
      }),
    )
  })

  it.each([
    ['a string', '1', 'a string'],
    ['null', null, 'a object'],
  ])('rejects %s that is not a number or bigint', (_name, value, found) => {
    const rows = [0, value] as unknown as RowIndex[]
    expect(() => encodeDeletionVectorBitmap(rows)).toThrow(
      expect.objectContaining({ code: 'InvalidArgument', context: { position: 1, rowIndex: found }, message: expect.stringContaining('expected a number or a bigint') }),
    )
  })

  it('names the expected range in the message', () => {
    expect(() => encodeDeletionVectorBitmap([-1])).toThrow(`expected an index from 0 to ${MAX_DV_ROW_INDEX}, found -1`)
  })
})
