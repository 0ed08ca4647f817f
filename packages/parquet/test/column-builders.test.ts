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
