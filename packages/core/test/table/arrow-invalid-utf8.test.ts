// Arrow string columns whose bytes are not UTF-8 (Utf8 vectors built by hand with makeData, a Utf8View
// with a byte changed): every
// Arrow write path (writeDelta creating or appending, columnar or through rows, a stream of
// RecordBatches, a MERGE source) refuses them with SchemaError `SchemaMismatch` naming the column and
// the row, and leaves the table as it was. Before the check, writeDelta and an insert-only MERGE failed
// in parquet-wasm without naming the column, and an upsert MERGE committed U+FFFD in place of the bytes.
import * as arrow from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { LakeError, MemoryStore } from '@lake/storage'
import type { StructType } from '@lake/parquet'
import { DeltaTable, writeDelta } from '../../src/index.js'

type Bytes = Uint8Array | undefined

function validity(values: readonly Bytes[]): Uint8Array | null {
  if (values.every(v => v !== undefined)) return null
  const bitmap = new Uint8Array(Math.ceil(values.length / 8))
  values.forEach((v, i) => { if (v !== undefined) bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7)) })
  return bitmap
}

/** The Data of a Utf8 column holding `values` as they are (null where undefined; `garbage` under null slots). */
function utf8Data(values: readonly Bytes[], garbage = new Uint8Array()): arrow.Data<arrow.Utf8> {
  const offsets = new Int32Array(values.length + 1)
  const parts = values.map(v => v ?? garbage)
  const bytes = new Uint8Array(parts.reduce((n, v) => n + v.length, 0))
  let at = 0
  parts.forEach((v, i) => {
    bytes.set(v, at)
    at += v.length
    offsets[i + 1] = at
  })
  const nullCount = values.filter(v => v === undefined).length
  return arrow.makeData({ type: new arrow.Utf8(), length: values.length, nullCount, nullBitmap: validity(values), valueOffsets: offsets, data: bytes })
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const INVALID = new Uint8Array([0x61, 0xff, 0x62])
const ids = (n: number, from = 1): arrow.Vector => arrow.vectorFromArray(Array.from({ length: n }, (_, i) => BigInt(from + i)), new arrow.Int64())

function table(names: readonly Bytes[], from = 1): arrow.Table {
  return new arrow.Table({ id: ids(names.length, from), name: arrow.makeVector(utf8Data(names)) })
}

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} },
    { name: 'name', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
  ],
}

async function failure(promise: Promise<unknown>): Promise<LakeError> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  if (!(err instanceof LakeError)) throw new Error(`expected a LakeError, found ${String(err)}`)
  return err
}

async function keys(store: MemoryStore): Promise<string[]> {
  const out: string[] = []
  for await (const meta of store.list('')) out.push(meta.path)
  return out.sort()
}

/** A table with one row, and its keys before the failing write. */
async function existing(partitionBy: readonly string[] = []): Promise<{ store: MemoryStore; before: string[] }> {
  const store = new MemoryStore()
  await writeDelta(store, [{ id: 0n, name: 'zero' }], { schema: SCHEMA, partitionBy: [...partitionBy] })
  return { store, before: await keys(store) }
}

function expectRefusal(err: LakeError, column: string, row: number): void {
  expect(err.name).toBe('SchemaError')
  expect(err.code).toBe('SchemaMismatch')
  expect(err.context).toMatchObject({ column, row })
  expect(err.message).toContain(`'${column}'`)
}

describe('Arrow input with invalid UTF-8', () => {
  it('writeDelta creating a table refuses the column and row, and writes nothing', async () => {
    const store = new MemoryStore()
    expectRefusal(await failure(writeDelta(store, table([text('ok'), undefined, INVALID]))), 'name', 2)
    expect(await keys(store)).toEqual([])
  })

  it('writeDelta appending (columnar and through rows on a partitioned table) leaves the table as it was', async () => {
    for (const partitionBy of [[], ['id']]) {
      const { store, before } = await existing(partitionBy)
      expectRefusal(await failure(writeDelta(store, table([INVALID]), { mode: 'append' })), 'name', 0)
      expect(await keys(store)).toEqual(before)
    }
  })

  it('counts the row across the batches of a Table', async () => {
    const store = new MemoryStore()
    const data = new arrow.Table([...table([text('a'), text('b')]).batches, ...table([text('c'), INVALID], 3).batches])
    expectRefusal(await failure(writeDelta(store, data)), 'name', 3)
  })

  it('a stream of RecordBatches is refused and commits nothing', async () => {
    const { store } = await existing()
    async function* batches(): AsyncGenerator<arrow.RecordBatch> {
      yield* table([text('fine')], 1).batches
      yield* table([text('x'), INVALID], 2).batches
    }
    expectRefusal(await failure(writeDelta(store, batches(), { mode: 'append' })), 'name', 2) // counted over the stream
    const after = await DeltaTable.open(store)
    expect(after.version).toBe(0)
    expect(await after.toArray()).toEqual([{ id: 0n, name: 'zero' }])
  })

  it('a MERGE with an Arrow source (upsert, insert only) is refused before it reads the target', async () => {
    const { store, before } = await existing()
    const t = await DeltaTable.open(store)
    const upsert = t.merge(table([text('x'), INVALID], 0), { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll()
    expectRefusal(await failure(upsert.execute()), 'name', 1)
    const insert = t.merge(table([INVALID], 5), { on: 'target.id = source.id' }).whenNotMatchedInsertAll()
    expectRefusal(await failure(insert.execute()), 'name', 0)
    expect(await keys(store)).toEqual(before)
  })

  it('finds a value that splits a character, nested strings and bytes under a null slot', async () => {
    const split = [new Uint8Array([0xc3]), new Uint8Array([0xa9])] // the whole buffer is 'é', each value is not UTF-8
    expectRefusal(await failure(writeDelta(new MemoryStore(), table(split))), 'name', 0)
    const child = utf8Data([text('a'), text('b'), INVALID])
    const list = arrow.makeData({ type: new arrow.List(new arrow.Field('element', new arrow.Utf8(), true)), length: 2, nullCount: 0, valueOffsets: new Int32Array([0, 1, 3]), child })
    const struct = arrow.makeData({ type: new arrow.Struct([new arrow.Field('s', new arrow.Utf8(), true)]), length: 3, nullCount: 0, children: [child] })
    const nested = (column: arrow.Data): arrow.Table => new arrow.Table({ c: arrow.makeVector(column) })
    expectRefusal(await failure(writeDelta(new MemoryStore(), nested(list))), 'c.element', 1)
    expectRefusal(await failure(writeDelta(new MemoryStore(), nested(struct))), 'c.s', 2)
    // The Parquet writer (arrow-rs) validates bytes under null slots too: refused alike, not as a codec failure.
    const underNull = new arrow.Table({ id: ids(2), name: arrow.makeVector(utf8Data([text('ok'), undefined], INVALID)) })
    expectRefusal(await failure(writeDelta(new MemoryStore(), underNull)), 'name', 1)
  })

  it('a Utf8View column (polars\' strings, written through rows) is refused too, not written as U+FFFD', async () => {
    const names = arrow.vectorFromArray(['ok', 'x', null], new arrow.Utf8View())
    const view = names.data[0] as arrow.Data<arrow.Utf8View>
    view.values[16 + 4] = 0xff // the inline bytes of row 1 ('x')
    const { store, before } = await existing()
    const data = new arrow.Table({ id: ids(3, 1), name: arrow.makeVector(view) })
    expectRefusal(await failure(writeDelta(store, data, { mode: 'append' })), 'name', 1)
    const t = await DeltaTable.open(store)
    expectRefusal(await failure(t.merge(data, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()), 'name', 1)
    expect(await keys(store)).toEqual(before)
  })
})
