// An append racing a schema change (mergeSchema) from two OS processes, both held at their first
// commit attempt until both have read the same version: the outcome must be a legal serial order
// (append then schema change, or schema change then the append redone on conflict), and every data
// file's Parquet schema must be the table schema of the version that added it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, writeDelta } from '@lake/core'
import { decodeFilePath, loadSnapshot } from '@lake/core/internal'
import type { DataType } from '@lake/parquet'
import { asyncBufferFromBytes, readParquetMetadata } from '@lake/parquet'
import type { ObjectStore } from '@lake/storage'
import { describeWithS3, ensureBucket } from '../../packages/storage-s3/test/s3-test-env.js'
import { addsOf, inspectTable, localTarget, s3Target, startChild, type TableState, type Target } from './helpers.js'

const ROUNDS = 3

interface Outcome {
  readonly result?: { readonly status: string; readonly version: number; readonly attempts: number }
  readonly conflicts: readonly { readonly reason: string; readonly winningVersion: number }[]
  readonly error?: unknown
}

const PHYSICAL: Readonly<Record<string, string>> = { long: 'INT64', string: 'BYTE_ARRAY', double: 'DOUBLE', boolean: 'BOOLEAN' }

function physicalOf(type: DataType): string {
  const name = type.kind === 'primitive' ? PHYSICAL[type.name] : undefined
  if (name === undefined) throw new Error(`test expects flat long/string/double/boolean columns, found ${JSON.stringify(type)}`)
  return name
}

/** Every data file's columns equal the table schema (minus partition columns) at the version that added it. */
async function expectFilesMatchTheirVersionSchema(store: ObjectStore, state: TableState): Promise<void> {
  const engine = createEngine(store)
  for (const [version, actions] of state.commits.entries()) {
    const adds = addsOf(actions)
    if (adds.length === 0) continue
    const snapshot = await loadSnapshot(engine, { version })
    const expected = snapshot.schema.fields
      .filter((f) => !snapshot.partitionColumns.includes(f.name))
      .map((f) => `${f.name}:${physicalOf(f.type)}`)
    for (const add of adds) {
      const info = await readParquetMetadata(asyncBufferFromBytes(await store.get(decodeFilePath(add.path))))
      expect(info.columns.map((c) => `${c.path.join('.')}:${c.physicalType}`), `${add.path} added at version ${version}`).toEqual(expected)
    }
  }
}

function schemaRaceSuite(target: () => Target): void {
  let t: Target
  beforeAll(() => {
    t = target()
  })
  afterAll(() => t.cleanup())

  it(`an append racing mergeSchema ends in a legal serial order, ${ROUNDS} rounds`, async () => {
    const { url, store } = t.table('schema-race')
    await writeDelta(store, [{ id: 0, tag: 'init' }])
    const orders: string[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      const schema = startChild(t, 'write', { url, rows: [{ id: 1000 + round, tag: 'schema', [`extra${round}`]: 'x' }], options: { mode: 'append', schemaMode: 'merge' } }, `mergeSchema ${round}`)
      const append = startChild(t, 'write', { url, rows: [{ id: 2000 + round, tag: 'append' }], options: { mode: 'append' }, retryOn: ['MetadataChanged'] }, `append ${round}`)
      expect([await schema.line(), await append.line()]).toEqual(['ready', 'ready'])
      // Who hears 'go' first alternates, so both serial orders come up across rounds and platforms.
      for (const c of round % 2 === 0 ? [schema, append] : [append, schema]) c.send('go')
      const [s, a] = [await schema.json<Outcome>(), await append.json<Outcome>()]
      await Promise.all([schema.exited(), append.exited()])
      expect(s).toMatchObject({ result: { status: 'committed' }, conflicts: [] })
      expect(a.result?.status).toBe('committed')
      const sv = s.result?.version ?? -1
      const av = a.result?.version ?? -1
      if (a.conflicts.length === 0) {
        // Serial order: append, then the schema change (rebased over the blind append).
        expect(av).toBe(sv - 1)
        orders.push('append first')
      } else {
        // Serial order: schema change, then the append, redone against the new schema.
        expect(a.conflicts).toEqual([expect.objectContaining({ reason: 'MetadataChanged', winningVersion: sv })])
        expect(av).toBe(sv + 1)
        orders.push('schema first')
      }
    }
    console.log(`[schema race ${t.name}] orders: ${orders.join(', ')}`)

    const state = await inspectTable(store)
    expect(state.version).toBe(2 * ROUNDS)
    const ids = state.rows.map((r) => Number(r['id'])).sort((x, y) => x - y)
    expect(ids).toEqual([0, ...[1, 2, 3].map((r) => 1000 + r), ...[1, 2, 3].map((r) => 2000 + r)])
    const latest = await loadSnapshot(createEngine(store))
    expect(latest.schema.fields.map((f) => f.name)).toEqual(['id', 'tag', 'extra1', 'extra2', 'extra3'])
    await expectFilesMatchTheirVersionSchema(store, state)
  })
}

describe('append racing a schema change from OS processes (local)', () => schemaRaceSuite(localTarget))

describeWithS3('append racing a schema change from OS processes (S3)', (env) => {
  beforeAll(() => ensureBucket(env))
  schemaRaceSuite(() => s3Target(env, 'lake-concurrency-schema'))
})
