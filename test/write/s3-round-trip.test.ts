// The write side against a real S3 server (AWS_ENDPOINT_URL): every Delta type round trips exactly,
// partitioned and not; hostile partition values stay under the table prefix; checkpoints and time
// travel work on S3. Runs only with an S3 endpoint (see describeWithS3).

import { afterAll, beforeAll, expect, it } from 'vitest'
import '@lake/storage-s3'
import { openStore } from '@lake/storage'
import { DeltaTable, writeDelta } from '@lake/core'
import { monotonize } from '@lake/core/internal'
import type { Row } from '@lake/parquet'
import { ALL_TYPES, PARTITION_BY, P, allTypesRows, byId, field, struct } from '../../packages/core/test/table/all-types.js'
import { deletePrefix, describeWithS3, ensureBucket, makeTestStore, uniqueRunPrefix } from '../../packages/storage-s3/test/s3-test-env.js'

describeWithS3('writeDelta on S3', (env) => {
  const prefix = uniqueRunPrefix('lake-test-write')
  const url = (name: string): string => `s3://${env.bucket}/${prefix}/${name}`
  beforeAll(() => ensureBucket(env))
  afterAll(() => deletePrefix(env, prefix))

  it.each([
    ['unpartitioned', []],
    ['partitioned', PARTITION_BY],
  ] as const)('round trips every Delta type exactly (%s)', async (layout, partitionBy) => {
    const location = url(`all-types-${layout}`)
    await writeDelta(location, allTypesRows(), { schema: ALL_TYPES, partitionBy, maxRowsPerFile: 2 })
    const table = await DeltaTable.open(location)
    expect(table.schema).toEqual(ALL_TYPES)
    expect(byId(await table.toArray())).toEqual(allTypesRows())
  })

  it('keeps hostile partition values under the table prefix and reads them back', async () => {
    const values = ['..', '../../outside', '/abs', 'a b%2F=c', 'ünï 😀', '?#&+', null]
    const rows: Row[] = values.map((p, id) => ({ id, p }))
    const location = url('hostile/table')
    await writeDelta(location, rows, { schema: struct(field('id', P('integer')), field('p', P('string'))), partitionBy: ['p'] })
    const store = makeTestStore(env, `${prefix}/hostile`)
    try {
      for await (const meta of store.list('')) expect(meta.path, meta.path).toMatch(/^table\/(_delta_log|p=[^/]+)\//)
    } finally {
      store.client.destroy()
    }
    expect(byId(await (await DeltaTable.open(location)).toArray())).toEqual(rows)
  })

  it('writes a checkpoint at version 10 and time travels to every version', async () => {
    const store = await openStore(url('history'))
    const schema = struct(field('id', P('integer')))
    for (let v = 0; v <= 11; v++) await writeDelta(store, [{ id: v }], v === 0 ? { schema } : { mode: 'append' })
    const latest = await DeltaTable.open(store)
    expect(latest.snapshot.segment.checkpoint?.version).toBe(10)
    for (let v = 0; v <= 11; v++) {
      const rows = await (await DeltaTable.open(store, { version: v })).toArray()
      expect(rows.map((r) => r['id']).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: v + 1 }, (_x, i) => i))
    }
    // By timestamp: the commit objects' LastModified (whole seconds on S3), made strictly increasing.
    const mtimes: number[] = []
    for await (const meta of store.list('_delta_log/')) if (meta.path.endsWith('.json')) mtimes.push(meta.lastModified)
    const times = monotonize(mtimes)
    expect(times).toHaveLength(12)
    for (const [v, t] of times.entries()) expect(await latest.versionAt(t)).toBe(v)
  })
})
