// Generated and identity columns: lake cannot compute them yet, so creating a table with one and
// writing into an existing table that has one (even at protocol (1,2)) are refused, naming the
// column, before anything is written.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { StructType } from '@lake/parquet'
import { DeltaTable, canWrite, commitPath, serializeCommit, validateSchema, writeDelta } from '../../src/internal.js'
import { commitInfo, metadata, protocol } from '../helpers/actions.js'
import { listKeys } from './helpers.js'

const long = { kind: 'primitive', name: 'long' } as const
const GENERATED: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: long, nullable: true, metadata: {} },
    { name: 'next', type: long, nullable: true, metadata: { 'delta.generationExpression': 'id + 1' } },
  ],
}
const refusal = { code: 'UnsupportedFeature', context: { feature: 'generatedColumns', column: 'next' } }

async function* stream(rows: readonly unknown[]): AsyncIterable<unknown> {
  yield* rows
}

describe('generated columns', () => {
  it('are refused by DeltaTable.create and by a first writeDelta, which leave nothing behind', async () => {
    const store = new MemoryStore()
    await expect(DeltaTable.create(store, { schema: GENERATED })).rejects.toMatchObject(refusal)
    await expect(DeltaTable.create(store, { schema: GENERATED })).rejects.toThrow("column 'next' is a generated column (field metadata 'delta.generationExpression'), which lake cannot compute yet")
    await expect(writeDelta(store, [{ id: 1n }], { schema: GENERATED })).rejects.toMatchObject(refusal)
    await expect(writeDelta(store, stream([{ id: 1n }]), { schema: GENERATED })).rejects.toMatchObject(refusal)
    expect(await listKeys(store)).toEqual([])
  })

  it('make writes into an existing (1,2) table that has one fail before any file is written', async () => {
    const store = new MemoryStore()
    await store.putIfAbsent(commitPath(0), serializeCommit([commitInfo(), protocol(1, 2), metadata({ schemaString: JSON.stringify({ type: 'struct', fields: [
      { name: 'id', type: 'long', nullable: true, metadata: {} },
      { name: 'next', type: 'long', nullable: true, metadata: { 'delta.generationExpression': 'id + 1' } },
    ] }) })]))
    const before = await listKeys(store)
    const where = { feature: 'generatedColumns' }
    await expect(writeDelta(store, [{ id: 1n }], { mode: 'append' })).rejects.toMatchObject({ code: 'UnsupportedFeature', context: where })
    await expect(writeDelta(store, stream([{ id: 1n }]), { mode: 'append' })).rejects.toMatchObject({ code: 'UnsupportedFeature', context: where })
    await expect(writeDelta(store, [{ id: 1n }], { mode: 'overwrite' })).rejects.toMatchObject({ code: 'UnsupportedFeature', context: where })
    expect(await listKeys(store)).toEqual(before)
  })

  it('are refused with identity columns by the pure checks, at any protocol', () => {
    const identity: StructType = { kind: 'struct', fields: [{ name: 'sk', type: long, nullable: false, metadata: { 'delta.identity.start': 1, 'delta.identity.step': 1 } }] }
    expect(() => validateSchema(identity)).toThrow(expect.objectContaining({ code: 'UnsupportedFeature', context: { column: 'sk', feature: 'identityColumns' } }))
    const target = { protocol: { minReaderVersion: 1, minWriterVersion: 2 }, schema: GENERATED, configuration: {} }
    expect(canWrite(target, { removesData: false })).toMatchObject({ status: 'unsupported', feature: 'generatedColumns', message: expect.stringContaining("column 'next'") })
  })
})
