// Streams on S3 (runs with a server: `node scripts/test.mjs test/stream/s3.test.ts`): source, target
// and checkpoint location under s3://, through the spawned binary; a batch replayed after a lost
// checkpoint commit is skipped by the target; a change-feed stream (DELETE included) on S3.

import { afterAll, beforeAll, expect, it } from 'vitest'
import { deletePrefix, describeWithS3, ensureBucket, makeTestStore, uniqueRunPrefix } from '../../packages/storage-s3/test/s3-test-env.js'
import { lake, ndjson } from '../cli/cli-harness.js'

describeWithS3('lake stream on S3', (env) => {
  const prefix = uniqueRunPrefix('lake-stream')
  const base = `s3://${env.bucket}/${prefix}`
  beforeAll(() => ensureBucket(env))
  afterAll(() => deletePrefix(env, prefix))
  const lines = (from: number, n: number): string => Array.from({ length: n }, (_, i) => JSON.stringify({ id: from + i })).join('\n') + '\n'

  it('copies a source to a target with the checkpoint on S3, exactly once across a replay', async () => {
    for (const from of [0, 2, 4]) expect((await lake(['ingest', '-', `${base}/source`], { input: lines(from, 2) })).code).toBe(0)
    const args = ['stream', `${base}/source`, `${base}/target`, '--checkpoint', `${base}/ck`, '--max-files', '2']
    const first = await lake(args)
    expect(first.code, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ batches: 2, rows: 6, skippedBatches: 0 })
    await makeTestStore(env, `${prefix}/ck`).delete('commits/1') // as if killed after the target commit
    expect((await lake(['ingest', '-', `${base}/source`], { input: lines(6, 1) })).code).toBe(0)
    const second = await lake(args)
    expect(second.code, second.stderr).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({ batches: 2, rows: 1, skippedBatches: 1 })
    const rows = ndjson((await lake(['read', `${base}/target`])).stdout).map((r) => Number(r['id'])).sort((a, b) => a - b)
    expect(rows).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(ndjson((await lake(['history', `${base}/target`])).stdout)).toHaveLength(3)
  })

  it('--change-feed copies the change rows of a source on S3, the checkpoint and target on S3', async () => {
    const src = `${base}/feed-source`
    const created = await lake(['create', src, '--schema', '{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}', '--property', 'delta.enableChangeDataFeed=true'])
    expect(created.code, created.stderr).toBe(0)
    expect((await lake(['ingest', '-', src], { input: lines(0, 3) })).code).toBe(0) // v1
    expect((await lake(['delete', src, '--where', 'id = 1'])).code).toBe(0) // v2
    const args = ['stream', src, `${base}/feed-target`, '--checkpoint', `${base}/feed-ck`, '--change-feed', '--starting-version', '1', '--max-files', '1']
    const run = await lake(args)
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ batches: 2, rows: 4, skippedBatches: 0 })
    const rows = ndjson((await lake(['read', `${base}/feed-target`])).stdout).map((r) => `${String(r['_change_type'])}@${Number(r['_commit_version'])}:${Number(r['id'])}`)
    expect(rows.sort()).toEqual(['delete@2:1', 'insert@1:0', 'insert@1:1', 'insert@1:2'])
    expect(JSON.parse((await lake(args)).stdout)).toMatchObject({ batches: 0 })
  })
})
