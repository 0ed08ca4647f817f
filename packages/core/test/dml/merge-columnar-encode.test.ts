// How the columnar MERGE executor encodes its new rows (operations/merge/columnar-execute.ts,
// columnar-writer.ts): on the codec's encoder thread, which it starts on a sample of the source's first
// rows before the target pass (so that thread compiles and warms parquet-wasm while this one reads), and
// while the deletion vectors are written; in-process for a source under 8,192 rows and for a codec
// without encoder threads. Whichever of
// the two concurrent writes fails, the other's file is deleted and the table stays as it was.

import type { ArrowRecordBatch, ParquetCodec } from '@lake/parquet'
import { MemoryStore, StorageError, faultyStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import { DEFAULT_CODEC } from '../../src/internal.js'
import { createTable, keys, rowsAt, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'

/** One encode: which entry point, and the rows of the batch. */
interface Encode {
  readonly kind: 'in-process' | 'thread'
  readonly rows: number
}

function recordingCodec(encodes: Encode[], threads: boolean): ParquetCodec {
  const base = DEFAULT_CODEC as ParquetCodec<ArrowRecordBatch>
  const codec: ParquetCodec<ArrowRecordBatch> = {
    ...base,
    encodeBatch: (batch, schema, options) => {
      encodes.push({ kind: 'in-process', rows: batch.numRows })
      return (base.encodeBatch as NonNullable<typeof base.encodeBatch>)(batch, schema, options)
    },
    encodeBatchAsync: threads
      ? (batch, schema, options) => {
          encodes.push({ kind: 'thread', rows: batch.numRows })
          return (base.encodeBatchAsync as NonNullable<typeof base.encodeBatchAsync>)(batch, schema, options)
        }
      : undefined,
  }
  return codec as ParquetCodec
}

const rows = (from: number, to: number, p: string): TestRow[] => Array.from({ length: to - from }, (_, i) => ({ id: from + i, p, v: from + i }))

/** An unpartitioned table with deletion vectors: ids 0..19 in two files (v1, v2). */
async function filled(): Promise<MemoryStore> {
  const store = new MemoryStore({ url: 'memory://merge-columnar-encode' })
  const table = await DeltaTable.open(await createTable(store, { dv: true, partitioned: false }))
  await table.write(rows(0, 10, 'a').map(toRow))
  await table.write(rows(10, 20, 'b').map(toRow))
  return store
}

/** 10,000 source rows: ids 5..9 update, the rest (ids from 100) are new. */
const SOURCE = [...rows(5, 10, 'u'), ...rows(100, 10_095, 'n')].map(toRow)

const upsert = (table: DeltaTable) => table.merge(SOURCE, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()

describe('MERGE columnar executor: encoding the new rows', () => {
  it('warms the encoder thread on the first 8,192 source rows, then encodes all new rows there', async () => {
    const store = await filled()
    const encodes: Encode[] = []
    const result = await upsert(await DeltaTable.open(createEngine(store, { codec: recordingCodec(encodes, true) })))
    expect(encodes).toEqual([{ kind: 'thread', rows: 8192 }, { kind: 'thread', rows: 10_000 }])
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 5, numTargetRowsInserted: 9995, numTargetFilesAdded: 1, numTargetDeletionVectorsAdded: 1 })
    const after = await rowsAt(createEngine(store))
    expect(after).toHaveLength(20 + 9995)
    expect(after.filter((r) => r.p === 'u').map((r) => r.id)).toEqual([5, 6, 7, 8, 9])
  })

  it('encodes in-process, once, for a source under 8,192 rows', async () => {
    const store = await filled()
    const encodes: Encode[] = []
    const source = [...rows(5, 10, 'u'), ...rows(100, 8286, 'n')].map(toRow)
    await (await DeltaTable.open(createEngine(store, { codec: recordingCodec(encodes, true) }))).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(encodes).toEqual([{ kind: 'in-process', rows: 8191 }])
    expect(await rowsAt(createEngine(store))).toHaveLength(20 + 8186)
  })

  it('encodes in-process, once, with a codec that has no encoder threads', async () => {
    const store = await filled()
    const encodes: Encode[] = []
    await upsert(await DeltaTable.open(createEngine(store, { codec: recordingCodec(encodes, false) })))
    expect(encodes).toEqual([{ kind: 'in-process', rows: 10_000 }])
    expect(await rowsAt(createEngine(store))).toHaveLength(20 + 9995)
  })

  it.each([
    ['the deletion vector file fails to upload (the new rows encode meanwhile)', /^deletion_vector_/],
    ['the new data file fails to upload (the deletion vectors are written meanwhile)', /^part-.*\.parquet$/],
  ])('leaves table and store as they were when %s', async (_name, path) => {
    const store = await filled()
    const before = await keys(store)
    const failing = createEngine(faultyStore(store, { rules: [{ method: 'putIfAbsent', path, error: new StorageError('Unavailable', 'injected upload failure') }] }))
    await expect(upsert(await DeltaTable.open(failing))).rejects.toMatchObject({ name: 'StorageError', code: 'Unavailable' })
    expect(await keys(store)).toEqual(before)
    expect((await DeltaTable.open(createEngine(store))).version).toBe(2)
  })
})
