// Generated and identity columns. Writes into an existing table with generated columns compute them
// (absent) or check them (given) with the expression language; expressions lake cannot compute and
// writes that rewrite rows are refused. Creating a table with one, and identity columns, stay refused.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { StructType } from '@lake/parquet'
import { DeltaTable, canWrite, commitPath, serializeCommit, validateSchema, writeDelta } from '../../src/internal.js'
import { commitInfo, metadata, protocol } from '../helpers/actions.js'
import { listKeys, readRows } from './helpers.js'

const long = { kind: 'primitive', name: 'long' } as const
const GENERATED: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: long, nullable: true, metadata: {} },
    { name: 'next', type: long, nullable: true, metadata: { 'delta.generationExpression': 'id + 1' } },
  ],
}
const refusal = { code: 'UnsupportedFeature', context: { feature: 'generatedColumns', column: 'next' } }

/** A table as Spark writes one with a generated column `next` (protocol (1, writer)). */
async function sparkTable(writer: number, expression: string): Promise<MemoryStore> {
  const store = new MemoryStore()
  await store.putIfAbsent(commitPath(0), serializeCommit([commitInfo(), protocol(1, writer), metadata({ schemaString: JSON.stringify({ type: 'struct', fields: [
    { name: 'id', type: 'long', nullable: true, metadata: {} },
    { name: 'next', type: 'long', nullable: true, metadata: { 'delta.generationExpression': expression } },
  ] }) })]))
  return store
}

async function* stream(rows: readonly unknown[]): AsyncIterable<unknown> {
  yield* rows
}

describe('generated columns', () => {
  it('are refused by DeltaTable.create and by a first writeDelta (lake does not create them yet), which leave nothing behind', async () => {
    const store = new MemoryStore()
    await expect(DeltaTable.create(store, { schema: GENERATED })).rejects.toMatchObject(refusal)
    await expect(DeltaTable.create(store, { schema: GENERATED })).rejects.toThrow("column 'next' is a generated column (field metadata 'delta.generationExpression'), which lake cannot compute yet")
    await expect(writeDelta(store, [{ id: 1n }], { schema: GENERATED })).rejects.toMatchObject(refusal)
    await expect(writeDelta(store, stream([{ id: 1n }]), { schema: GENERATED })).rejects.toMatchObject(refusal)
    expect(await listKeys(store)).toEqual([])
  })

  it('are computed when a row leaves them out and checked when it gives them (Spark), on a (1,4) table', async () => {
    const store = await sparkTable(4, 'id + 1')
    const result = await writeDelta(store, [{ id: 1n }, { id: 5n, next: 6n }, { id: null }], { mode: 'append' })
    expect(result).toMatchObject({ status: 'committed', version: 1 })
    const rows = await readRows(store)
    expect(rows).toHaveLength(3)
    expect(rows).toEqual(expect.arrayContaining([{ id: 1n, next: 2n }, { id: 5n, next: 6n }, { id: null, next: null }]))
    const before = await listKeys(store)
    await expect(writeDelta(store, [{ id: 1n }, { id: 7n, next: 9n }], { mode: 'append' })).rejects.toMatchObject({
      code: 'ConstraintViolation',
      message: "row 1 violates generated column 'next': expected next = (id + 1) = bigint 8n, found bigint 9n",
      context: { column: 'next', expression: 'id + 1', row: 1 },
    })
    await expect(writeDelta(store, [{ id: 7n, next: null }], { mode: 'append' })).rejects.toMatchObject({ code: 'ConstraintViolation', context: { column: 'next' } })
    await expect(writeDelta(store, stream([{ id: 7n, next: 1n }]), { mode: 'append' })).rejects.toMatchObject({ code: 'ConstraintViolation' })
    expect(await listKeys(store)).toEqual(before)
  })

  it('compute a generated partition column (the common date-from-timestamp case)', async () => {
    const store = new MemoryStore()
    const schema = JSON.stringify({ type: 'struct', fields: [
      { name: 'ts', type: 'timestamp', nullable: true, metadata: {} },
      { name: 'day', type: 'date', nullable: true, metadata: { 'delta.generationExpression': 'CAST(ts AS DATE)' } },
    ] })
    await store.putIfAbsent(commitPath(0), serializeCommit([commitInfo(), protocol(1, 4), metadata({ schemaString: schema, partitionColumns: ['day'] })]))
    await writeDelta(store, [{ ts: '2024-05-01T23:59:00Z' }, { ts: '2024-05-02T00:00:01Z' }], { mode: 'append' })
    const t = await DeltaTable.open(store)
    expect(t.files().map((f) => f.partitionValues['day']).sort()).toEqual(['2024-05-01', '2024-05-02'])
    expect((await t.toArray()).map((r) => r['day']).sort()).toEqual(['2024-05-01', '2024-05-02'])
  })

  it('are refused, naming the column, when lake cannot compute the expression or the write rewrites rows', async () => {
    const store = await sparkTable(4, "regexp_replace(CAST(id AS STRING), '1', '2')")
    const before = await listKeys(store)
    await expect(writeDelta(store, [{ id: 1n }], { mode: 'append' })).rejects.toMatchObject({
      code: 'UnsupportedFeature',
      message: expect.stringContaining("generated column 'next' (regexp_replace(CAST(id AS STRING), '1', '2')) cannot be computed by lake") as unknown,
      context: { feature: 'generatedColumns' },
    })
    expect(await listKeys(store)).toEqual(before)
    const computed = await sparkTable(4, 'id + 1')
    await writeDelta(computed, [{ id: 1n }, { id: 2n }], { mode: 'append' })
    const target = { protocol: { minReaderVersion: 1, minWriterVersion: 4 }, schema: GENERATED, configuration: {} }
    expect(canWrite(target, { removesData: true, rewritesRows: true }, { canEvaluate: () => true })).toMatchObject({
      status: 'unsupported', feature: 'generatedColumns', message: expect.stringContaining("column 'next' is a generated column") as unknown,
    })
  })

  it('are refused with identity columns by the pure checks, at any protocol', () => {
    const identity: StructType = { kind: 'struct', fields: [{ name: 'sk', type: long, nullable: false, metadata: { 'delta.identity.start': 1, 'delta.identity.step': 1 } }] }
    expect(() => validateSchema(identity)).toThrow(expect.objectContaining({ code: 'UnsupportedFeature', context: { column: 'sk', feature: 'identityColumns' } }))
    const target = { protocol: { minReaderVersion: 1, minWriterVersion: 4 }, schema: GENERATED, configuration: {} }
    expect(canWrite(target, { removesData: false })).toMatchObject({ status: 'unsupported', feature: 'generatedColumns', message: expect.stringContaining("generated column 'next'") })
  })
})

describe('generated column expressions', () => {
  it('must be deterministic (Spark refuses current_timestamp() in them)', async () => {
    const store = await sparkTable(4, 'CAST(unix_seconds(current_timestamp()) AS BIGINT)')
    await expect(writeDelta(store, [{ id: 1n }], { mode: 'append' })).rejects.toMatchObject({ code: 'UnsupportedFeature', context: { feature: 'generatedColumns' } })
    const now = await sparkTable(4, "CASE WHEN current_date() > DATE '2000-01-01' THEN id END")
    await expect(writeDelta(now, [{ id: 1n }], { mode: 'append' })).rejects.toMatchObject({ code: 'UnsupportedFeature', context: { feature: 'generatedColumns' } })
  })
})
