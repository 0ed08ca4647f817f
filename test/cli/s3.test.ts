// End to end against S3 (runs only with AWS_ENDPOINT_URL or LAKE_S3_ENDPOINT; see the gate): the
// spawned binary creates, ingests, inspects and maintains a table under s3://, with the endpoint
// from the environment or from --endpoint/--region.

import { afterAll, beforeAll, expect, it } from 'vitest'
import { deletePrefix, describeWithS3, ensureBucket, makeTestStore, uniqueRunPrefix } from '../../packages/storage-s3/test/s3-test-env.js'
import { lake, ndjson } from './cli-harness.js'

describeWithS3('lake CLI on S3', (env) => {
  const prefix = uniqueRunPrefix('lake-cli')
  const uri = `s3://${env.bucket}/${prefix}/events`
  beforeAll(() => ensureBucket(env))
  afterAll(() => deletePrefix(env, prefix))
  const rows = ['{"id":1,"day":"a"}', '{"id":2,"day":"b"}', '{"id":3,"day":"a"}'].join('\n') + '\n'

  it('ingests, appends and inspects a table with the endpoint from the environment', async () => {
    const first = await lake(['ingest', '-', uri, '--partition-by', 'day', '--batch-rows', '1', '--app-id', 's3-job'], { input: rows })
    expect(first.code, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ version: 2, rows: 3 })
    const again = await lake(['ingest', '-', uri, '--batch-rows', '1', '--app-id', 's3-job'], { input: rows })
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 0, skippedBatches: 3 })
    expect(ndjson((await lake(['history', uri, '--limit', '2'])).stdout).map((e) => e['version'])).toEqual([2, 1])
    expect(JSON.parse((await lake(['describe', uri])).stdout)).toMatchObject({ version: 2, numFiles: 3, numRecords: 3 })
    expect(JSON.parse((await lake(['schema', uri, '--version', '0'])).stdout)).toMatchObject({ type: 'struct' })
    expect(ndjson((await lake(['read', uri, '--version', '1'])).stdout)).toHaveLength(2)
    expect(ndjson((await lake(['files', uri])).stdout)).toHaveLength(3)
    const [latest] = ndjson((await lake(['history', uri, '--limit', '1'])).stdout)
    expect(JSON.parse((await lake(['version-at', uri, String(latest?.['timestamp'])])).stdout)).toMatchObject({ version: 2 })
    expect((await lake(['version-at', uri, '2000-01-01'])).code).toBe(3)
  })

  it('leaves nothing under the prefix when a first ingest fails, with and without --app-id', async () => {
    const bad = `${rows}{"id":"bad","day":"a"}\n`
    for (const [name, extra] of [['plain', []], ['job', ['--app-id', 's3-failed']]] as const) {
      const r = await lake(['ingest', '-', `s3://${env.bucket}/${prefix}/failed-${name}`, '--partition-by', 'day', ...extra], { input: bad })
      expect(r.code).not.toBe(0)
      const keys: string[] = []
      for await (const meta of makeTestStore(env, `${prefix}/failed-${name}`).list('')) keys.push(meta.path)
      expect(keys).toEqual([])
    }
  })

  it('takes --endpoint and --region flags instead of AWS_ENDPOINT_URL', async () => {
    const flags = ['--endpoint', env.endpoint, '--region', env.region]
    const result = await lake(['describe', uri, ...flags], { env: { AWS_ENDPOINT_URL: undefined, AWS_ENDPOINT_URL_S3: undefined } })
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ version: 2 })
  })

  it('prints nothing on stderr, in particular not the AWS SDK Node-version warning', async () => {
    // the test runner sets the SDK's opt-out for its own processes: the binary must set it by itself
    const result = await lake(['describe', uri], { env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined } })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toBe('')
  })

  it('runs the maintenance commands', async () => {
    expect(JSON.parse((await lake(['optimize', uri])).stdout)).toMatchObject({ version: 3, numFilesRemoved: 2, numFilesAdded: 1 })
    expect(JSON.parse((await lake(['restore', uri, '--version', '2'])).stdout)).toMatchObject({ version: 4, num_restored_files: 2 })
    expect(JSON.parse((await lake(['checkpoint', uri])).stdout)).toMatchObject({ version: 4 })
    const vacuum = await lake(['vacuum', uri])
    expect(vacuum.code, vacuum.stderr).toBe(0)
    expect(ndjson(vacuum.stdout)).toEqual([])
    expect((await lake(['vacuum', uri, '--retention-hours', '1'])).code).toBe(5)
    expect((await lake(['cleanup-log', uri])).code).toBe(0)
    expect((await lake(['read', `s3://${env.bucket}/${prefix}/missing`])).code).toBe(3)
  })
})
