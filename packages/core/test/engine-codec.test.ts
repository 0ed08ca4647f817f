// The Engine carries the Parquet codec: a codec passed to createEngine encodes every data file (array
// and streamed writes) and checkpoint, and decodes every scanned file and checkpoint read; engines
// built by hand without a codec use the default (hyparquet).

import { describe, expect, it } from 'vitest'
import { hyparquetCodec } from '@lake/parquet'
import type { AsyncBuffer, EncodeOptions, ParquetCodec, ReadOptions, Row, StructType } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import { DEFAULT_CODEC, DeltaTable, createEngine, engineCodec, loadSnapshot, writeCheckpoint, writeDelta } from '../src/internal.js'
import type { Engine } from '../src/internal.js'

interface Call {
  readonly method: 'encode' | 'readRows'
  /** Top-level field names of the schema (`add`, `remove`, ... for checkpoints). */
  readonly fields: readonly string[]
  readonly options: EncodeOptions | ReadOptions | undefined
}

/** A codec that records each call and delegates to hyparquet. */
function countingCodec(): ParquetCodec & { readonly calls: Call[] } {
  const calls: Call[] = []
  const fields = (schema: StructType): string[] => schema.fields.map((f) => f.name)
  return {
    name: 'counting',
    calls,
    encode(rows: readonly Row[], schema: StructType, options: EncodeOptions) {
      calls.push({ method: 'encode', fields: fields(schema), options })
      return hyparquetCodec.encode(rows, schema, options)
    },
    readRows(file: AsyncBuffer, schema: StructType, options?: ReadOptions) {
      calls.push({ method: 'readRows', fields: fields(schema), options })
      return hyparquetCodec.readRows(file, schema, options)
    },
  }
}

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
    { name: 'part', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
  ],
}

async function* streamed(rows: readonly Row[]): AsyncIterable<Row> {
  yield* rows
}

const pathsOf = (calls: readonly Call[]): (string | undefined)[] => calls.map((c) => (c.options as ReadOptions | undefined)?.path)

describe('Engine.codec', () => {
  it('createEngine defaults to hyparquet; a hand-built engine without a codec gets the default', () => {
    const store = new MemoryStore({ url: 'memory://t' })
    expect(createEngine(store).codec).toBe(hyparquetCodec)
    expect(DEFAULT_CODEC.name).toBe('hyparquet')
    const handBuilt: Engine = { store, now: () => 0 }
    expect(engineCodec(handBuilt)).toBe(hyparquetCodec)
  })

  it('encodes data files (rows and streamed rows) and checkpoints, and decodes scans and checkpoint reads, with the engine codec', async () => {
    const codec = countingCodec()
    const engine = createEngine(new MemoryStore({ url: 'memory://t' }), { codec })
    await writeDelta(engine, [{ id: 1n, part: 'a' }, { id: 2n, part: 'b' }], { schema: SCHEMA, partitionBy: ['part'] })
    await writeDelta(engine, streamed([{ id: 3n, part: 'a' }]), { mode: 'append' })
    const writes = codec.calls.filter((c) => c.method === 'encode')
    expect(writes).toHaveLength(3) // one file per partition, then the streamed file
    expect(writes.every((c) => c.fields.join() === 'id')).toBe(true) // partition column not in the file

    codec.calls.length = 0
    const rows = await (await DeltaTable.open(engine)).toArray()
    expect(rows.map((r) => r['id']).sort()).toEqual([1n, 2n, 3n])
    const scans = codec.calls.filter((c) => c.method === 'readRows')
    expect(scans).toHaveLength(3)
    expect(pathsOf(scans).every((p) => p !== undefined && /^part=[ab]\/part-00000-.*\.parquet$/.test(p))).toBe(true)

    codec.calls.length = 0
    const checkpoint = await writeCheckpoint(engine, await loadSnapshot(engine))
    expect(codec.calls).toHaveLength(1)
    expect(codec.calls[0]).toMatchObject({ method: 'encode', options: { compression: 'snappy', statsColumnLimit: 0 } })
    expect(codec.calls[0]?.fields).toEqual(expect.arrayContaining(['add', 'remove', 'metaData', 'protocol']))

    codec.calls.length = 0
    const snapshot = await loadSnapshot(engine)
    expect(snapshot.version).toBe(1)
    expect(pathsOf(codec.calls)).toEqual([checkpoint.path])
    expect(codec.calls[0]?.method).toBe('readRows')
  })

  it('a hand-built engine without a codec writes, checkpoints and reads with hyparquet', async () => {
    const store = new MemoryStore({ url: 'memory://t' })
    const engine: Engine = { store, now: () => 1_700_000_000_000 }
    await writeDelta(engine, [{ id: 1n, part: 'a' }], { schema: SCHEMA })
    await writeCheckpoint(engine, await loadSnapshot(engine))
    expect(await (await DeltaTable.open(engine)).toArray()).toEqual([{ id: 1n, part: 'a' }])
  })
})
