// @lake/ui over an S3 table (a real server: the Ceph RGW `npm test` starts): every endpoint of the
// API on the sample table, and the first history page of a long table with a checkpoint: the same
// few requests whatever the length (3,000 commits here, to keep the run short; writing 10,000
// objects takes minutes on the shared machine; packages/ui/test/long-history.test.ts has 10,000 locally).

import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, expect, it } from 'vitest'
import '@lake/storage-s3'
import { DeltaTable } from '@lake/core'
import { resolveTable } from '@lake/core/internal'
import { countingStore } from '@lake/storage'
import { startUiServer } from '@lake/ui'
import type { DataPage, Health, HistoryPage, Overview, UiServer, VersionDetail } from '@lake/ui'
import { deletePrefix, describeWithS3, ensureBucket, uniqueRunPrefix } from '../../packages/storage-s3/test/s3-test-env.js'
import { writeLongLog } from '../../packages/ui/test/long-log.js'
import { get, getJson, SCRIPT, writeSampleTable } from '../../packages/ui/test/ui-harness.js'

const COMMITS = 3000

describeWithS3('lake ui on S3', (env) => {
  const prefix = uniqueRunPrefix('lake-ui')
  const sampleUri = `s3://${env.bucket}/${prefix}/sample`
  const longUri = `s3://${env.bucket}/${prefix}/long`
  const servers: UiServer[] = []
  const start = async (uri: string): Promise<UiServer> => {
    const server = await startUiServer({ engine: await resolveTable(uri), uri })
    servers.push(server)
    return server
  }
  beforeAll(() => ensureBucket(env))
  afterAll(async () => {
    for (const s of servers) await s.close()
    await deletePrefix(env, prefix)
  })

  it('serves every endpoint of a table on S3', async () => {
    await writeSampleTable(sampleUri)
    const server = await start(sampleUri)
    expect(await getJson<Overview>(server, '/api/overview')).toMatchObject({ version: 4, numFiles: 3, numRecords: 3, location: expect.stringContaining(prefix) })
    const history = await getJson<HistoryPage>(server, '/api/history?limit=3')
    expect([history.entries.map((e) => e.version), history.next, history.total]).toEqual([[4, 3, 2], 2, 5])
    const v3 = await getJson<VersionDetail>(server, '/api/versions/3')
    expect(v3.schemaChange?.added.map((c) => c.path)).toEqual(['note'])
    const data = await getJson<DataPage>(server, '/api/data?version=1&columns=id,name,bin')
    expect(data.rows).toContainEqual(['9007199254740993', SCRIPT, '0001abff'])
    const filtered = await get(server, `/api/data?filter=${encodeURIComponent('id >')}`)
    expect([filtered.status, JSON.parse(filtered.body).error.code]).toEqual([400, 'InvalidPredicate'])
    const health = await getJson<Health>(server, '/api/health')
    expect(health.findings.map((f) => f.kind)).toEqual(['smallFiles', 'deletionVectors'])
    expect(health.findings[0]?.command).toBe(`lake optimize ${sampleUri}`)
    expect(health.vacuum).toMatchObject({ files: 0 })
    expect((await get(server, '/api/overview', { token: null })).status).toBe(401)
  })

  it('loads the first history page of a 3,000-commit table with a checkpoint in five requests and the page\'s gets', async () => {
    const engine = await resolveTable(longUri)
    await writeLongLog(engine.store, COMMITS, 64)
    await (await DeltaTable.open(engine)).checkpoint()
    const counted = countingStore(engine.store)
    // A cold server (empty caches). The request counts are the load-independent guarantee; the time
    // is printed, not asserted (0.75-1.1 s against the Ceph RGW on the shared 2-core machine).
    const server = await startUiServer({ engine: { ...engine, store: counted.store }, uri: longUri })
    servers.push(server)
    const t0 = performance.now()
    const page = await getJson<HistoryPage>(server, '/api/history?limit=100')
    const ms = performance.now() - t0
    expect(counted.counts).toMatchObject({ list: 2, head: 1, get: 101 })
    console.log(`S3: first history page of ${COMMITS} commits: ${ms.toFixed(0)} ms`)
    expect(page).toMatchObject({ earliest: 0, latest: COMMITS - 1, total: COMMITS, next: COMMITS - 100 })
    expect(page.entries).toHaveLength(100)
    const d = await getJson<VersionDetail>(server, `/api/versions/${COMMITS - 1}`)
    expect(d.added.count).toBe(1)
  }, 600_000)
})
