// A MERGE source of row objects of one shape (operations/merge/source-shape.ts) is transposed column by
// column (source-transpose.ts): the columns equal the row-by-row transposer's for every form of value
// the coercers take (numbers, bigints and digit strings for longs, Dates and text for dates, non-ASCII
// text, nulls), and a value a coercer refuses makes both give up alike. The shape is only claimed for
// plain objects with the same own keys in the same order while `Object.prototype` has no enumerable key.

import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ArrowColumn, StructType } from '@lake/parquet'
import { estimateBytes } from '../../src/files/estimate-bytes.js'
import { sourceColumns } from '../../src/operations/merge/columnar-source.js'
import { collectSource } from '../../src/operations/merge/source-hash.js'
import type { CollectedSource } from '../../src/operations/merge/source-hash.js'
import { sourceSchema } from '../../src/operations/merge/source-schema.js'
import { ShapeTracker } from '../../src/operations/merge/source-shape.js'
import { transposeByColumn } from '../../src/operations/merge/source-transpose.js'
import { batchBuilderFor } from '../../src/arrow-values.js'

const f = (name: string, type: string, nullable = true): StructType['fields'][number] => ({ name, type: { kind: 'primitive', name: type } as never, nullable, metadata: {} })
const TABLE: StructType = {
  kind: 'struct',
  fields: [f('id', 'long', false), f('i', 'integer'), f('sh', 'short'), f('by', 'byte'), f('x', 'double'), f('fl', 'float'), f('s', 'string'), f('ok', 'boolean'), f('day', 'date'), f('ts', 'timestamp')],
}

const DAY_MS = 86_400_000

/** Values of every form a column's coercer takes. */
function values(): Record<string, fc.Arbitrary<unknown>> {
  const maybe = (a: fc.Arbitrary<unknown>, ...more: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> => fc.oneof(a, fc.constant(null), fc.constant(undefined), ...more)
  const days = fc.integer({ min: -719_162, max: 2_932_896 })
  return {
    id: fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer().map(String), fc.constant(-0)),
    i: maybe(fc.integer(), fc.bigInt({ min: -(2n ** 31n), max: 2n ** 31n - 1n }), fc.constant(-0)),
    sh: maybe(fc.integer({ min: -32768, max: 32767 })),
    by: maybe(fc.integer({ min: -128, max: 127 })),
    x: maybe(fc.double(), fc.constant(Number.NaN), fc.constant(-0)),
    fl: maybe(fc.float({ noDefaultInfinity: true }), fc.double({ min: -1e30, max: 1e30, noNaN: true })),
    s: maybe(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constant('a'.repeat(60))),
    ok: maybe(fc.boolean()),
    day: maybe(days.map((d) => new Date(d * DAY_MS).toISOString().slice(0, 10)), days.map((d) => new Date(d * DAY_MS))),
    ts: maybe(fc.integer({ min: 0, max: 2 ** 40 }).map((ms) => new Date(ms)), fc.constant('2024-03-01T10:20:30.123456Z')),
  }
}

/** Per column, values its coercer refuses. */
const REFUSED: Readonly<Record<string, readonly unknown[]>> = {
  id: [1.5, 2 ** 60, '1e3', true],
  i: [2 ** 31, 0.5, '7', -(2 ** 31) - 1],
  sh: [40000, -32769, 1.5],
  by: [128, -129, 0.25],
  x: ['1.5', 2n],
  fl: [1e300, '1'],
  s: [7, true],
  ok: [1, 'true'],
  day: ['2024-02-30', '2023-02-29', '2024-1-01', '0000-01-01', '2024-13-01', new Date(DAY_MS + 1), 'x'.repeat(10)],
  ts: ['2024-03-01', 5],
}

/** Rows of one shape (every column present, in the table's order), with at most one refused value. */
const rowsOf = fc
  .tuple(fc.array(fc.record(values()), { minLength: 1, maxLength: 40 }), fc.option(fc.tuple(fc.nat(), fc.constantFrom(...Object.keys(REFUSED)), fc.nat())))
  .map(([rows, bad]) => {
    if (bad === null) return rows
    const [at, column, pick] = bad
    const refused = REFUSED[column] ?? []
    return rows.map((row, i) => (i === at % rows.length ? { ...row, [column]: refused[pick % refused.length] } : row))
  })

/** A column's buffers, comparable with toEqual. */
function buffers(column: ArrowColumn): unknown {
  const bits = column.nullBitmap === undefined || column.nullCount === 0 ? undefined : Array.from(column.nullBitmap.subarray(0, Math.ceil(column.length / 8)))
  return { length: column.length, nulls: column.nullCount, bits, values: Array.from(column.values as ArrayLike<unknown>), offsets: column.valueOffsets === undefined ? undefined : Array.from(column.valueOffsets) }
}

function columnsOf(collected: CollectedSource): unknown {
  const source = sourceSchema(TABLE, collected)
  const held = sourceColumns(TABLE, source, collected, [0])
  return held === undefined ? undefined : held.columns.map((chunks) => chunks.map(buffers))
}

describe('a MERGE source of one shape, transposed column by column', () => {
  it('holds the columns the row-by-row transposer holds, and gives up on the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(rowsOf, async (rows) => {
        const collected = await collectSource(rows, 1 << 30)
        expect(collected.shape).toEqual(TABLE.fields.map((x) => x.name))
        const { shape: _shape, ...rowByRow } = collected
        expect(columnsOf(collected)).toEqual(columnsOf(rowByRow))
      }),
      { numRuns: 200 },
    )
  })

  it('gives up on a lone surrogate in a string key, as the row-by-row transposer does', async () => {
    const table: StructType = { kind: 'struct', fields: [f('k', 'string', false), f('v', 'long')] }
    const collected = await collectSource([{ k: 'a', v: 1 }, { k: 'b\ud800', v: 2 }], 1 << 30)
    expect(collected.shape).toEqual(['k', 'v'])
    expect(sourceColumns(table, sourceSchema(table, collected), collected, [0])).toBeUndefined()
    // In a column that is not a key, the same text is held.
    expect(sourceColumns(table, sourceSchema(table, collected), collected, [1])).toBeDefined()
  })
})

describe('the column-by-column transposer\'s fast paths', () => {
  it('lays out the numbers, NULLs and date texts ETL code passes with one appendNumbers per column, a NULL bitmap only where a NULL is', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({
      id: 2 ** 52 + i,
      i: i % 7 === 0 ? null : -i,
      sh: i % 2 === 0 ? undefined : 300 - i,
      by: -100 + i,
      x: i / 3,
      fl: i % 5 === 0 ? null : 0.5,
      s: `s${i}`,
      ok: i % 2 === 0,
      day: i % 9 === 0 ? null : `2024-0${1 + (i % 9)}-1${i % 10}`,
      ts: null,
    }))
    const builder = batchBuilderFor(TABLE, rows.length)
    if (builder === undefined) throw new Error('expected a builder for the test table')
    const numbers = vi.spyOn(builder, 'appendNumbers')
    const one = vi.spyOn(builder, 'appendNumber')
    const values = vi.spyOn(builder, 'appendValue')
    transposeByColumn(builder, rows, TABLE, TABLE.fields.map((_f, k) => k), [0])
    // float values are rounded by the coercer (Math.fround): that column goes value by value.
    const numeric = ['id', 'i', 'sh', 'by', 'x', 'day']
    const calls = numbers.mock.calls.map(([slot, , nulls, count]) => [TABLE.fields[slot]?.name, nulls === undefined ? 'no nulls' : 'nulls', count])
    expect(calls).toEqual(numeric.map((name) => [name, ['i', 'sh', 'day'].includes(name) ? 'nulls' : 'no nulls', rows.length]))
    expect(one).not.toHaveBeenCalled()
    expect(new Set(values.mock.calls.map(([slot]) => TABLE.fields[slot]?.name))).toEqual(new Set(['fl', 's', 'ok', 'ts']))
    const batch = builder.finish()
    expect(batch.data.children[8]?.values[1]).toBe(Date.UTC(2024, 1, 11) / 86_400_000)
  })
})

describe('ShapeTracker', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted
  })

  const track = (rows: readonly unknown[]): { shape: readonly string[] | undefined; bytes: number[] } => {
    const tracker = new ShapeTracker()
    const bytes = rows.map((r) => tracker.add(r))
    return { shape: tracker.shape(), bytes }
  }

  it('names the keys every row has, in order, and estimates each row as estimateBytes does', () => {
    const rows = [{ a: 1, b: 'xyz', c: null }, { a: 2n, b: 'é', c: [1, 2] }, { a: 3, b: '', c: { d: new Uint8Array(5) } }]
    expect(track(rows)).toEqual({ shape: ['a', 'b', 'c'], bytes: rows.map(estimateBytes) })
    const nullProto = Object.assign(Object.create(null) as object, { a: 1, b: 'q', c: true })
    expect(track([...rows, nullProto]).shape).toEqual(['a', 'b', 'c'])
  })

  it('claims no shape for rows that differ, objects that are not plain, no rows, or a polluted Object.prototype', () => {
    const shapes = [
      [{ a: 1, b: 2 }, { b: 2, a: 1 }],
      [{ a: 1, b: 2 }, { a: 1 }],
      [{ a: 1 }, { a: 1, b: 2 }],
      [{ a: 1 }, { A: 1 }],
      [{ a: 1 }, new Map([['a', 1]])],
      [{ a: 1 }, null],
      [new (class Row { a = 1 })()],
      [],
    ].map((rows) => track(rows).shape)
    expect(shapes).toEqual(shapes.map(() => undefined))
    // A key of Object.prototype shows in for...in over a row that lacks it as its own.
    const rows = [{ a: 1, polluted: 2 }, { a: 1 }]
    const during = new ShapeTracker()
    during.add(rows[0])
    ;(Object.prototype as Record<string, unknown>).polluted = 'x'
    during.add(rows[1])
    expect(during.shape()).toBeUndefined()
    expect(track(rows).shape).toBeUndefined()
    const { bytes } = track(rows)
    expect(bytes).toEqual(rows.map(estimateBytes))
  })
})
