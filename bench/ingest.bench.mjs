// @lake/ingest throughput: appendRows of 1M rows with 1, 2 and 4 encoder workers (speed-up over
// one worker against the ideal N x, capped by the machine's cores), and HTTP ingestion with 1, 8
// and 32 requests in flight against a local 50 ms API (speed-up against the ideal: concurrency x).
// Run: npm run bench -- ingest   (or: node bench/ingest.bench.mjs after npm run build)
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DeltaTable } from '@lake/core'
import { appendRows, HttpSource, runIngestJob } from '@lake/ingest'

const ROWS = 1_000_000
const CHUNK_ROWS = 50_000
const WORKERS = [1, 2, 4]
const HTTP_PAGES = 96
const HTTP_PAGE_SIZE = 50
const HTTP_CONCURRENCY = [1, 8, 32]
const cores = availableParallelism()

function makeRows() {
  const rows = new Array(ROWS)
  for (let i = 0; i < ROWS; i++) {
    rows[i] = { id: i, name: `customer-${i % 50_000}`, amount: (i % 10_000) / 100, active: i % 3 === 0, day: `2024-01-${String((i % 28) + 1).padStart(2, '0')}` }
  }
  return rows
}

async function appendOnce(rows, encoders) {
  const dir = mkdtempSync(join(tmpdir(), 'lake-bench-ingest-'))
  try {
    const started = performance.now()
    const result = await appendRows(dir, rows, { encoders, chunkRows: CHUNK_ROWS })
    const ms = performance.now() - started
    if (result.status !== 'committed' || result.metrics.rows !== rows.length) throw new Error(`unexpected result ${JSON.stringify(result.status)}`)
    return { ms, files: result.metrics.files, bytes: result.metrics.bytes }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function startApi() {
  const server = fileURLToPath(new URL('../test/ingest/fixtures/paged-api.mjs', import.meta.url))
  const child = spawn(process.execPath, [server, String(HTTP_PAGES), '50', '0', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(d.toString().trim())))
  return { url: `http://127.0.0.1:${port}`, child }
}

async function httpOnce(api, concurrency) {
  const dir = mkdtempSync(join(tmpdir(), 'lake-bench-http-'))
  try {
    const schema = { kind: 'struct', fields: ['id', 'page'].map((name) => ({ name, type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} })) }
    await DeltaTable.create(dir, { schema })
    const source = new HttpSource({ url: `${api.url}/items`, pagination: { kind: 'page', size: HTTP_PAGE_SIZE }, concurrency })
    const started = performance.now()
    const result = await runIngestJob({ table: dir, appId: 'bench', source, batchLimit: 1000, encoders: 0 })
    if (result.metrics.rows !== HTTP_PAGES * HTTP_PAGE_SIZE) throw new Error(`expected ${HTTP_PAGES * HTTP_PAGE_SIZE} rows, found ${result.metrics.rows}`)
    return performance.now() - started
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

console.log(`machine: ${cores} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
const rows = makeRows()
await appendOnce(rows.slice(0, 100_000), 1) // warm-up: JIT and module loading
console.log(`\nappendRows, ${ROWS.toLocaleString('en')} rows (5 columns), chunks of ${CHUNK_ROWS.toLocaleString('en')} rows, zstd, local disk`)
console.log('workers | time (s) | rows/s    | files | speed-up vs 1 | ideal (N x, capped at cores) | main thread busy')
let base
for (const workers of WORKERS) {
  const elu = performance.eventLoopUtilization()
  const { ms, files } = await appendOnce(rows, workers)
  const busy = performance.eventLoopUtilization(elu).utilization
  base ??= ms
  const ideal = Math.min(workers, cores)
  console.log(`${String(workers).padStart(7)} | ${(ms / 1000).toFixed(2).padStart(8)} | ${Math.round((ROWS * 1000) / ms).toLocaleString('en').padStart(9)} | ${String(files).padStart(5)} | ${(base / ms).toFixed(2).padStart(13)}x | ${`${ideal}x`.padEnd(28)} | ${(busy * 100).toFixed(0)}%`)
}
const inline = await appendOnce(rows, 0)
console.log(`inline (0 workers, encode on the main thread): ${(inline.ms / 1000).toFixed(2)} s, ${Math.round((ROWS * 1000) / inline.ms).toLocaleString('en')} rows/s`)

const api = await startApi()
try {
  await httpOnce(api, 8) // warm-up
  console.log(`\nHTTP ingestion: ${HTTP_PAGES} pages x ${HTTP_PAGE_SIZE} records, 50 ms per page, one batch, no failures`)
  console.log('in flight | time (s) | speed-up vs 1 | ideal (concurrency x)')
  let httpBase
  for (const concurrency of HTTP_CONCURRENCY) {
    const ms = await httpOnce(api, concurrency)
    httpBase ??= ms
    console.log(`${String(concurrency).padStart(9)} | ${(ms / 1000).toFixed(2).padStart(8)} | ${(httpBase / ms).toFixed(1).padStart(13)}x | ${concurrency}x`)
  }
} finally {
  api.child.kill('SIGTERM')
}
