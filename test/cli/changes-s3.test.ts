// The change data feed on S3 (runs only with AWS_ENDPOINT_URL or LAKE_S3_ENDPOINT; see the gate): the
// spawned binary creates a change-data-feed table under s3://, ingests, deletes copy-on-write (a cdc file
// through the S3 store) and reads the feed back.

import { afterAll, beforeAll, expect, it } from 'vitest'
import { deletePrefix, describeWithS3, ensureBucket, makeTestStore, uniqueRunPrefix } from '../../packages/storage-s3/test/s3-test-env.js'
import { lake, ndjson, schemaText } from './cli-harness.js'

const SCHEMA = schemaText([['id', 'long', false], ['day', 'string']])

describeWithS3('lake changes on S3', (env) => {
  const prefix = uniqueRunPrefix('lake-changes')
  const uri = `s3://${env.bucket}/${prefix}/events`
  beforeAll(() => ensureBucket(env))
  afterAll(() => deletePrefix(env, prefix))

  it('writes cdc files of a copy-on-write delete to S3 and reads the feed back', async () => {
    expect((await lake(['create', uri, '--schema', SCHEMA, '--partition-by', 'day', '--property', 'delta.enableChangeDataFeed=true'])).code).toBe(0)
    const input = ['{"id":1,"day":"a"}', '{"id":2,"day":"a"}', '{"id":3,"day":"b"}'].join('\n') + '\n'
    expect((await lake(['ingest', '-', uri], { input })).code).toBe(0)
    const deleted = await lake(['delete', uri, '--where', 'id = 1'])
    expect(JSON.parse(deleted.stdout)).toMatchObject({ version: 2, numDeletedRows: 1, numAddedChangeFiles: 1 })
    const keys: string[] = []
    for await (const meta of makeTestStore(env, `${prefix}/events`).list('_change_data/')) keys.push(meta.path)
    expect(keys).toEqual([expect.stringMatching(/^_change_data\/day=a\/cdc-00000-.*\.parquet$/)])
    const r = await lake(['changes', uri, '--from-version', '1', '--columns', 'id,_change_type,_commit_version'])
    expect(r.code, r.stderr).toBe(0)
    expect(ndjson(r.stdout).map((x) => `${String(x['id'])}:${String(x['_change_type'])}@${String(x['_commit_version'])}`).sort()).toEqual(['1:delete@2', '1:insert@1', '2:insert@1', '3:insert@1'])
  })
})
