// Encoders use the table engine's codec: inline on the calling thread, and in worker threads built
// from the codec's workerModule (appendRows passes its engine's codec to the pool it creates).

import { describe, expect, it } from 'vitest'
import { createEngine, DeltaTable } from '@lake/core'
import { asyncBufferFromBytes, hyparquetCodec, readParquetMetadata } from '@lake/parquet'
import type { ParquetCodec, StructType } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import { appendRows, createEncoder } from '../src/index.js'
import type { EncodeTask } from '../src/index.js'
import { oneRowGroupCodec } from './fixtures/one-row-group-codec.mjs'

const SCHEMA: StructType = { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} }] }
const task = (n: number): EncodeTask => ({ rows: Array.from({ length: n }, (_, i) => ({ id: BigInt(i) })), schema: SCHEMA, partitionColumns: [] })

async function rowGroups(bytes: Uint8Array): Promise<number> {
  return (await readParquetMetadata(asyncBufferFromBytes(bytes))).rowGroups.length
}

describe('encoder codec', () => {
  it.each([0, 1])('encodes with the given codec (%i worker threads)', async (threads) => {
    const encoder = createEncoder(threads, oneRowGroupCodec)
    try {
      const [file] = await encoder.encode(task(3))
      expect(file?.numRecords).toBe(3)
      expect(await rowGroups(file?.bytes ?? new Uint8Array())).toBe(3)
    } finally {
      await encoder.close()
    }
  })

  it('encodes with hyparquet by default (one row group for a small chunk)', async () => {
    const encoder = createEncoder(1)
    try {
      const [file] = await encoder.encode(task(3))
      expect(await rowGroups(file?.bytes ?? new Uint8Array())).toBe(1)
    } finally {
      await encoder.close()
    }
  })

  it('appendRows encodes in workers with the codec of the engine it is given', async () => {
    const store = new MemoryStore()
    await appendRows(createEngine(store, { codec: oneRowGroupCodec }), [{ id: 1 }, { id: 2 }], { encoders: 1 })
    const [add] = (await DeltaTable.open(store)).files()
    expect(await rowGroups(await store.get(add?.path ?? ''))).toBe(2)
  })

  it('refuses worker threads for a codec without workerModule, naming it', () => {
    const inlineOnly: ParquetCodec = { name: 'inline-only', encode: hyparquetCodec.encode, readRows: hyparquetCodec.readRows }
    expect(() => createEncoder(1, inlineOnly)).toThrow(expect.objectContaining({ name: 'IngestError', code: 'InvalidArgument', context: { codec: 'inline-only' } }))
    expect(createEncoder(0, inlineOnly).concurrency).toBe(1)
  })

  it('rejects with InvalidArgument when the workerModule exports no createCodec', async () => {
    const module = 'data:text/javascript,export const nothing = 1'
    const encoder = createEncoder(1, { ...hyparquetCodec, name: 'broken', workerModule: module })
    try {
      await expect(encoder.encode(task(1))).rejects.toMatchObject({ name: 'IngestError', code: 'InvalidArgument', context: { module } })
    } finally {
      await encoder.close()
    }
  })
})
