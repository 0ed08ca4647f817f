// BatchBuilder filled column by column (appendValue / appendUtf8 / endRow, as the NDJSON line parser
// fills it from bytes) builds the batch append(row) builds; UTF-8 bytes go only into string columns.
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

  it('refuses UTF-8 bytes for a column that is not a string, naming it', () => {
    const builder = batchBuilderFor(SCHEMA)
    expect(() => builder?.appendUtf8(0, Buffer.from('1'), 0, 1)).toThrow(expect.objectContaining({ code: 'ParquetError', context: { column: 'id' } }))
  })
})
