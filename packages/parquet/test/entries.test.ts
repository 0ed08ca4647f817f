// The row entry (`@lake/parquet/rows`) carries the default codec without the Arrow modules: its
// `encodeBatch` needs the Arrow encoder bound (by loading `@lake/parquet/arrow`, or by the codec's
// `createCodec()` in a worker) and says so when it is not; `readBatches` loads the Arrow reader itself.
// This file imports only the row entry first, so the encoder starts unbound (one module graph per file).
import * as arrow from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { asyncBufferFromBytes, encodeParquet, hyparquetCodec, ParquetError } from '../src/rows.js'
import type { StructType } from '../src/rows.js'

const schema: StructType = { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} }] }
const batch = () => new arrow.RecordBatch({ id: arrow.vectorFromArray([1n, 2n, 3n], new arrow.Int64()).data[0] as arrow.Data<arrow.Int64> })

describe('@lake/parquet/rows: hyparquetCodec without the Arrow modules loaded', () => {
  it('encodeBatch refuses with a ParquetError naming the entry to load, before the Arrow modules are loaded', () => {
    let caught: unknown
    try {
      hyparquetCodec.encodeBatch?.(batch(), schema, {})
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(ParquetError)
    expect((caught as ParquetError).code).toBe('ParquetError')
    expect((caught as ParquetError).message).toBe("encodeBatch: expected the Arrow modules loaded (import '@lake/parquet/arrow' first), found them not loaded")
  })

  it('readBatches loads the Arrow reader itself', async () => {
    const { bytes } = encodeParquet([{ id: 1n }, { id: 2n }], schema, {})
    const read = hyparquetCodec.readBatches?.(asyncBufferFromBytes(bytes), schema) ?? []
    const ids: unknown[] = []
    for await (const b of read) ids.push(...b.getChild('id')?.toArray() ?? [])
    expect(ids).toEqual([1n, 2n])
  })

  it("the workerModule's createCodec() binds the encoder: encodeBatch then writes the batch", async () => {
    const { createCodec } = (await import(hyparquetCodec.workerModule ?? '')) as { createCodec: () => Promise<typeof hyparquetCodec> }
    const codec = await createCodec()
    expect(codec).toBe(hyparquetCodec)
    const encoded = codec.encodeBatch?.(batch(), schema, {})
    expect(encoded?.numRecords).toBe(3)
    expect(encoded?.stats.minValues).toEqual({ id: 1 })
    expect(encoded?.stats.maxValues).toEqual({ id: 3 })
  })
})
