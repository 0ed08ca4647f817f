// Delta stats from the plain writer (encodeArrowBatch on a flat batch): the writer's column summaries
// (null counts, and the bounds it found for the footer) become the file's Delta stats, with no second
// pass over the values but floats'. They equal the stats `canonicalBatch` reads from the Arrow buffers
// (the encoder pool's path) on random flat tables: every flat type, nulls, NaN, -0, strings past the
// stats prefix, sliced batches, several row groups, any stats column limit.

import fc from 'fast-check'
import { parquetMetadata } from 'hyparquet'
import * as arrow from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { encodeArrowBatch, rowsToArrowBatch } from '../src/index.js'
import type { Row } from '../src/index.js'
import { canonicalBatch } from '../src/arrow/encode-arrow-batch.js'
import { writePlainFile } from '../src/plain-writer/write-plain.js'
import { STATS_STRING_PREFIX_LENGTH } from '../src/stats.js'
import { flatTables, tableOf } from './flat-tables.js'
import { field, P, struct } from './helpers.js'

const PREFIX = 'p'.repeat(STATS_STRING_PREFIX_LENGTH - 1)
const createdBy = (bytes: Uint8Array): string | undefined => parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).created_by

describe('Delta stats from the plain writer', () => {
  it('equal the stats read from the Arrow buffers, on random flat batches', () => {
    fc.assert(
      fc.property(flatTables.filter(([, rows]) => rows.length > 0), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 5 }), ([schema, rows], pad, long, rowGroupSize, statsColumnLimit) => {
        // Strings past the stats prefix: the bounds are truncated, the max rounded up.
        const strings = new Set(schema.fields.filter(f => f.type.kind === 'primitive' && f.type.name === 'string').map(f => f.name))
        const values = long ? rows.map(r => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, strings.has(k) && typeof v === 'string' ? PREFIX + v : v])) as Row) : rows
        const batch = tableOf(values, schema, [], pad).batches[0] as arrow.RecordBatch
        const encoded = encodeArrowBatch(batch, schema, { compression: 'uncompressed', rowGroupSize, statsColumnLimit })
        expect(createdBy(encoded.bytes)).toContain('(plain writer)')
        expect(JSON.stringify(encoded.stats)).toBe(JSON.stringify(canonicalBatch(batch, schema, { statsColumnLimit }).stats()))
      }),
      { numRuns: 150 },
    )
  })

  it('are what stats() then returns, and a batch the plain writer does not take keeps the buffer stats', () => {
    const schema = struct(field('id', P('long')), field('s', P('string')))
    const { batch } = rowsToArrowBatch([{ id: 5n, s: 'b' }, { id: -3n, s: 'a' }, { id: null, s: null }], schema)
    const canonical = canonicalBatch(batch, schema, {})
    const written = canonical.writePlain?.(table => writePlainFile(table, { compression: 'zstd', rowGroupSize: 2 }))
    expect(written?.stats).toEqual({ numRecords: 3, minValues: { id: -3, s: 'a' }, maxValues: { id: 5, s: 'b' }, nullCount: { id: 1, s: 1 } })
    expect(canonical.stats()).toBe(written?.stats)
    const decimal = struct(field('d', { kind: 'decimal', precision: 10, scale: 2 }))
    expect(canonicalBatch(rowsToArrowBatch([{ d: '1.50' }], decimal).batch, decimal, {}).writePlain).toBeUndefined()
    expect(canonicalBatch(rowsToArrowBatch([], schema).batch, schema, {}).writePlain).toBeUndefined()
  })

  it('leave a float or double column holding NaN without bounds, and an all-NULL column with its null count only', () => {
    const schema = struct(field('d', P('double')), field('f', P('float')), field('s', P('string')), field('l', P('long')), field('x', P('double')))
    const rows = [
      { d: 1.5, f: Number.NaN, s: null, l: null, x: -0 },
      { d: Number.NaN, f: 2.5, s: null, l: null, x: 0 },
      { d: -3, f: null, s: null, l: null, x: 7 },
    ]
    const { batch } = rowsToArrowBatch(rows, schema)
    const encoded = encodeArrowBatch(batch, schema, { compression: 'zstd' })
    expect(createdBy(encoded.bytes)).toContain('(plain writer)')
    expect(encoded.stats).toEqual({ numRecords: 3, minValues: { x: -0 }, maxValues: { x: 7 }, nullCount: { d: 0, f: 1, s: 3, l: 3, x: 0 } })
    expect(JSON.stringify(encoded.stats)).toBe(JSON.stringify(canonicalBatch(batch, schema, {}).stats()))
  })

  it('refuse a null in a column that is not nullable before writing, naming the column and row as the buffer stats do', () => {
    const data = arrow.makeData({ type: new arrow.Int64(), length: 2, nullCount: 1, nullBitmap: new Uint8Array([1]), data: new BigInt64Array([1n, 0n]) })
    const fields = [new arrow.Field('id', new arrow.Int64(), true)]
    const batch = new arrow.RecordBatch(new arrow.Schema(fields), arrow.makeData({ type: new arrow.Struct(fields), length: 2, nullCount: 0, children: [data] }))
    let wrote = false
    const canonical = canonicalBatch(batch, struct(field('id', P('long'), false)), {})
    expect(() => canonical.writePlain?.(table => { wrote = true; return writePlainFile(table, { compression: 'zstd', rowGroupSize: 2 }) })).toThrow("column 'id': expected a non-null value, found null (row 1)")
    expect(wrote).toBe(false)
  })
})
