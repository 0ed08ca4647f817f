// The pieces of the columnar copy-on-write route (src/rewrite/kept-columns.ts, changed-rows.ts): the
// positions that stay (deletion vector and affected rows left out), and the affected rows changed as
// row objects (scan shape: schema order, partition values in place) with the rewrite taken in file
// order, from several chunks, a matched row the change keeps, one it deletes and one it replaces.

import { describe, expect, it } from 'vitest'
import { hyparquetCodec } from '@lake/parquet'
import type { ArrowColumn, ArrowRecordBatch, ParquetCodec, Row, StructField } from '@lake/parquet'
import { arrowBatchToRows, rowsToArrow } from '../../src/arrow-values.js'
import { changedFile } from '../../src/rewrite/changed-rows.js'
import { keptPositions } from '../../src/rewrite/kept-columns.js'
import type { KeptLayout } from '../../src/rewrite/kept-columns.js'

const field = (name: string, type: 'long' | 'integer' | 'string', nullable = true): StructField => ({ name, type: { kind: 'primitive', name: type }, nullable, metadata: {} })
const [ID, PART, I] = [field('id', 'long', false), field('part', 'string'), field('i', 'integer')]
const layout: KeptLayout = {
  rowFields: [ID, PART, I],
  dataSchema: { kind: 'struct', fields: [ID, I] },
  partitionColumns: [{ name: 'part', physicalName: 'part', type: PART.type }],
  statsColumnLimit: 32,
  read: (...args) => (hyparquetCodec as ParquetCodec<ArrowRecordBatch>).readBatches?.(...args) as AsyncIterable<ArrowRecordBatch>,
  encode: (...args) => (hyparquetCodec as ParquetCodec<ArrowRecordBatch>).encodeBatch?.(...args) as ReturnType<KeptLayout['encode']>,
}

/** The file's columns in two chunks (rows 0-2 and 3-5): id n, i 10n. */
function fileChunks(): ArrowColumn[][] {
  const batches = [[0, 1, 2], [3, 4, 5]].map((ids) => rowsToArrow(ids.map((id) => ({ id: BigInt(id), i: id * 10 })), layout.dataSchema))
  return [0, 1].map((k) => batches.map((b) => b.data.children[k] as ArrowColumn))
}

describe('keptPositions', () => {
  it('leaves out the rows a deletion vector hides and the affected rows, in file order', () => {
    expect([...keptPositions(7, Float64Array.from([1, 4]), [2, 6])]).toEqual([0, 3, 5])
    expect([...keptPositions(4, undefined, [0, 3])]).toEqual([1, 2])
    expect([...keptPositions(3, undefined, [])]).toEqual([0, 1, 2])
    expect([...keptPositions(3, Float64Array.from([0, 1, 2]), [])]).toEqual([])
  })
})

describe('changedFile', () => {
  it('changes the affected rows alone, as the scan shapes them, and takes the rewrite in file order', () => {
    const seen: Row[] = []
    const change = (row: Row): Row | null | undefined => {
      seen.push(row)
      if (row['id'] === 2n) return undefined
      return row['id'] === 3n ? null : { ...row, i: 99 }
    }
    const matched = { liveRows: 5, affected: [2, 3, 5], physicalRows: 6, deleted: Float64Array.from([1]) }
    const out = changedFile(layout, fileChunks(), 6, matched, { part: 'a' }, change)
    expect(seen.map((r) => Object.keys(r))).toEqual([['id', 'part', 'i'], ['id', 'part', 'i'], ['id', 'part', 'i']])
    expect(seen).toEqual([{ id: 2n, part: 'a', i: 20 }, { id: 3n, part: 'a', i: 30 }, { id: 5n, part: 'a', i: 50 }])
    expect({ affected: out.affected, unchanged: out.unchanged }).toEqual({ affected: 2, unchanged: 3 })
    expect(arrowBatchToRows(out.batch as ArrowRecordBatch)).toEqual([{ id: 0n, i: 0 }, { id: 2n, i: 20 }, { id: 4n, i: 40 }, { id: 5n, i: 99 }])
  })

  it('leaves out every row the deletion vector hides, the last ones too', () => {
    const matched = { liveRows: 4, affected: [4], physicalRows: 6, deleted: Float64Array.from([1, 3]) }
    const out = changedFile(layout, fileChunks(), 6, matched, { part: 'a' }, (row) => ({ ...row, i: -1 }))
    expect(arrowBatchToRows(out.batch as ArrowRecordBatch)).toEqual([{ id: 0n, i: 0 }, { id: 2n, i: 20 }, { id: 4n, i: -1 }, { id: 5n, i: 50 }])
  })

  it('holds no batch when every live row leaves', () => {
    const matched = { liveRows: 5, affected: [0, 2, 3, 4, 5], physicalRows: 6, deleted: Float64Array.from([1]) }
    const out = changedFile(layout, fileChunks(), 6, matched, { part: null }, () => null)
    expect(out).toEqual({ batch: undefined, affected: 5, unchanged: 0 })
  })

  it('counts no change when the change keeps every matched row', () => {
    const matched = { liveRows: 6, affected: [4], physicalRows: 6, deleted: undefined }
    const out = changedFile(layout, fileChunks(), 6, matched, { part: 'b' }, () => undefined)
    expect({ affected: out.affected, unchanged: out.unchanged }).toEqual({ affected: 0, unchanged: 6 })
    expect(arrowBatchToRows(out.batch as ArrowRecordBatch).map((r) => r['id'])).toEqual([0n, 1n, 2n, 3n, 4n, 5n])
  })
})
