// BatchBuilder filled column by column (appendValue / appendNumber / appendUtf8 / endRow, as the NDJSON
// line parser fills it from bytes) builds the batch append(row) builds; UTF-8 bytes go only into string
// columns, numbers only into numeric ones.
import { describe, expect, it } from 'vitest'
import { batchBuilderFor } from '../src/index.js'
import type { StructType } from '../src/index.js'

const SCHEMA = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} },
    { name: 'name', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
    { name: 'ok', type: { kind: 'primitive', name: 'boolean' }, nullable: true, metadata: {} },
  ],
} as StructType

describe('BatchBuilder column by column', () => {
  it('builds the batch append(row) builds (nulls and multi-byte UTF-8 included)', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ id: i % 5 === 0 ? null : BigInt(i) * 3_000_000_000n, name: i % 7 === 0 ? null : `näme ${i} 🦆`, ok: i % 3 === 0 ? null : i % 2 === 0 }))
    const byRows = batchBuilderFor(SCHEMA)
    const byColumns = batchBuilderFor(SCHEMA)
    if (byRows === undefined || byColumns === undefined) throw new Error('expected builders for a flat schema')
    const line = Buffer.from('xx näme yy')
    for (const row of rows) {
      byRows.append(row)
      byColumns.appendValue(0, row.id)
      if (row.name === null) byColumns.appendValue(1, null)
      else {
        const bytes = Buffer.concat([line, Buffer.from(row.name)])
        byColumns.appendUtf8(1, bytes, line.length, bytes.length)
      }
      byColumns.appendValue(2, row.ok)
      byColumns.endRow()
    }
    expect(byColumns.rows).toBe(3000)
    expect(byColumns.finish().toArray().map((r) => r.toJSON())).toEqual(byRows.finish().toArray().map((r) => r.toJSON()))
  })

  it('appendNumber stores a long as the bigint append stores it (negatives, -0, 2^53 - 1) and fills buffers past the expected rows', () => {
    const numbers = [0, -0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 32 - 1, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 123456789012345, -987654321]
    const byValue = batchBuilderFor(SCHEMA, 2)
    const byNumber = batchBuilderFor(SCHEMA, 2)
    if (byValue === undefined || byNumber === undefined) throw new Error('expected builders for a flat schema')
    for (const x of numbers) {
      byValue.append({ id: BigInt(x), name: null, ok: null })
      byNumber.appendNumber(0, x)
      byNumber.appendValue(1, null)
      byNumber.appendValue(2, null)
      byNumber.endRow()
    }
    expect(byNumber.finish().getChild('id')?.toArray()).toEqual(BigInt64Array.from(numbers.map((x) => BigInt(x))))
    expect(byNumber.finish().toArray().map((r) => r.toJSON())).toEqual(byValue.finish().toArray().map((r) => r.toJSON()))
  })

  it('refuses a number for a column that is not numeric, naming it', () => {
    const builder = batchBuilderFor(SCHEMA)
    expect(() => builder?.appendNumber(1, 1)).toThrow(expect.objectContaining({ code: 'ParquetError', context: { column: 'name' } }))
  })

  it('refuses UTF-8 bytes for a column that is not a string, naming it', () => {
    const builder = batchBuilderFor(SCHEMA)
    expect(() => builder?.appendUtf8(0, Buffer.from('1'), 0, 1)).toThrow(expect.objectContaining({ code: 'ParquetError', context: { column: 'id' } }))
  })
})

const json = (batch: { toArray(): { toJSON(): unknown }[] }) => batch.toArray().map((r) => r.toJSON())

/** A builder of SCHEMA (throws when there is none). */
function builderOf(expectedRows?: number): NonNullable<ReturnType<typeof batchBuilderFor>> {
  const built = batchBuilderFor(SCHEMA, expectedRows)
  if (built === undefined) throw new Error('expected a builder for a flat schema')
  return built
}

/** Rows with nulls, true booleans and long strings when `heavy`, else short and all valid. */
const chunk = (n: number, heavy: boolean) =>
  Array.from({ length: n }, (_, i) => ({ id: heavy && i % 3 === 0 ? null : BigInt(i) - 2n ** 40n, name: heavy ? (i % 4 === 0 ? null : `long näme ${i} 🦆`.repeat(5)) : 's', ok: heavy ? (i % 5 === 0 ? null : true) : false }))

describe('BatchBuilder reuse', () => {
  it('withBatch lends the batch, then the next rows reuse the same buffers and build what a fresh builder builds', () => {
    const reused = builderOf(8)
    const seen: ArrayBufferLike[] = []
    for (const [n, heavy] of [[500, true], [300, false], [40, true], [0, false], [700, false]] as const) {
      const rows = chunk(n, heavy)
      const fresh = builderOf(8)
      for (const row of rows) {
        reused.append(row)
        fresh.append(row)
      }
      const got = reused.withBatch((batch) => {
        seen.push((batch.getChild('id')?.data[0]?.values as BigInt64Array).buffer)
        return json(batch)
      })
      expect(got).toEqual(json(fresh.finish()))
      expect(reused.rows).toBe(0)
    }
    // 500 rows grew the buffers once; the smaller chunks after them took no new memory.
    expect(seen[1]).toBe(seen[0])
    expect(seen[2]).toBe(seen[0])
  })

  it('keeps a batch from finish() intact: reset() after it gives the builder new buffers', () => {
    const builder = builderOf(8)
    for (const row of chunk(50, true)) builder.append(row)
    const batch = builder.finish()
    const before = json(batch)
    builder.reset()
    for (const row of chunk(50, false)) builder.append(row)
    builder.withBatch(() => undefined)
    expect(json(batch)).toEqual(before)
  })

  it('refuses a use of the batch that returns a promise, leaving the buffers to it, and empties the builder', () => {
    const builder = builderOf(8)
    for (const row of chunk(20, true)) builder.append(row)
    let lent: ReturnType<typeof builder.finish> | undefined
    const err = (() => {
      try {
        builder.withBatch((batch) => {
          lent = batch
          return Promise.resolve(1)
        })
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(err).toMatchObject({ code: 'ParquetError', message: expect.stringContaining('expected a synchronous use of the batch') })
    expect(builder.rows).toBe(0)
    const lentRows = lent === undefined ? [] : json(lent)
    for (const row of chunk(20, false)) builder.append(row)
    builder.withBatch(() => undefined)
    expect(lent === undefined ? [] : json(lent)).toEqual(lentRows)
    expect(lentRows).toHaveLength(20)
  })

  it('empties the builder when the use of the batch throws', () => {
    const builder = builderOf(8)
    for (const row of chunk(10, true)) builder.append(row)
    expect(() => builder.withBatch(() => { throw new Error('boom') })).toThrow('boom')
    expect(builder.rows).toBe(0)
    builder.append({ id: 1n, name: 'x', ok: true })
    expect(builder.withBatch(json)).toEqual([{ id: 1n, name: 'x', ok: true }])
  })
})

describe('string columns from JS strings', () => {
  it('store the bytes TextEncoder makes: ASCII copied char by char, any other text through the encoder', () => {
    const builder = batchBuilderFor(SCHEMA, 4)
    if (builder === undefined) throw new Error('expected builders for a flat schema')
    const ascii = 'a'.repeat(48)
    const values = [
      '', 'x', ascii, `${ascii}b`, 'é', 'abc\u00e9', `${'z'.repeat(47)}é`, 'ascii then 🦆', '\u007f\u0080', '\u0000nul',
      'lone \ud800 surrogate', '\udfff', ...Array.from({ length: 200 }, (_, i) => `name-${i}`),
    ]
    for (const name of values) builder.append({ id: 1n, name, ok: null })
    const column = builder.finish().getChild('name')
    const encoder = new TextEncoder()
    expect(column?.toArray()).toEqual(values.map((v) => new TextDecoder().decode(encoder.encode(v))))
    const data = column?.data[0]
    const offsets = data?.valueOffsets ?? new Int32Array()
    values.forEach((v, i) => expect(data?.values.subarray(offsets[i], offsets[i + 1])).toEqual(encoder.encode(v)))
  })
})
