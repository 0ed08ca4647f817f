// Opening a large log: a table with 100,000 add actions over 1,000 commits (versions 0..999, 100
// adds each) plus a classic checkpoint at 990, written directly with lake's serializers (tiny fake
// adds: opening never reads data files). Reports time and peak memory to open the latest snapshot
// (checkpoint + 9 commits) and to list its files, and, for contrast, version 989 (no checkpoint at or
// below it: 990 JSON commits replayed). Local file system, and S3 when AWS_ENDPOINT_URL is set.
// Each measurement runs in a fresh process (peak RSS is per process). Run: npm run build && node bench/open-large-log.bench.mjs
// Child mode (used by the bench itself): node bench/open-large-log.bench.mjs measure <url> <version|latest>
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEngine, serializeSchema } from '@lake/core'
import { LAST_CHECKPOINT_PATH, classicCheckpointPath, commitPath, encodeCheckpoint, loadSnapshot, planCheckpoint, serializeCommit } from '@lake/core/internal'
import { mapConcurrent, openStore } from '@lake/storage'

const COMMITS = 1000
const ADDS_PER_COMMIT = 100
const CHECKPOINT_VERSION = 990
const RUNS = 3 // per case; the median time and the largest peak are reported
const UPLOAD_CONCURRENCY = 16
const T0 = 1_700_000_000_000 // ms, modification time of the first file
const SELF = fileURLToPath(import.meta.url)

if (process.argv[2] === 'measure') await measure(process.argv[3], process.argv[4])
else await main()

/** Child: open one version, list its files, print JSON with times (ms) and memory (MB). */
async function measure(url, which) {
  if (url.startsWith('s3://')) await import('@lake/storage-s3')
  const engine = createEngine(await openStore(url))
  const baseRss = process.memoryUsage().rss
  let sampledPeak = baseRss
  const timer = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 5)
  const t0 = performance.now()
  const snapshot = await loadSnapshot(engine, which === 'latest' ? {} : { version: Number(which) })
  const t1 = performance.now()
  let files = 0
  let bytes = 0
  for (const add of snapshot.files()) {
    files++
    bytes += add.size
  }
  const t2 = performance.now()
  clearInterval(timer)
  globalThis.gc?.()
  const mb = (n) => Math.round(n / 1048576)
  const result = {
    version: snapshot.version, checkpoint: snapshot.segment.checkpoint?.version ?? null, commitsRead: snapshot.segment.commits.length,
    files, bytes, openMs: t1 - t0, listMs: t2 - t1,
    baseRssMB: mb(baseRss), peakRssMB: mb(Math.max(sampledPeak, process.resourceUsage().maxRSS * 1024)), heapAfterMB: mb(process.memoryUsage().heapUsed),
  }
  process.stdout.write(JSON.stringify(result) + '\n')
}

function fakeAdd(version, i) {
  const day = `2024-01-${String((i % 28) + 1).padStart(2, '0')}`
  const id = version * ADDS_PER_COMMIT + i
  return {
    path: `date=${day}/part-00000-${randomUUID()}-c000.zstd.parquet`,
    partitionValues: { date: day },
    size: 1000 + (id % 997),
    modificationTime: T0 + version * 1000,
    dataChange: true,
    stats: JSON.stringify({ numRecords: 100, minValues: { id: id * 100, name: 'a' }, maxValues: { id: id * 100 + 99, name: 'z' }, nullCount: { id: 0, name: 3 } }),
  }
}

/** Writes the table: commits 0..999, the checkpoint of 990 and `_last_checkpoint`. */
async function buildTable(store) {
  const protocol = { minReaderVersion: 1, minWriterVersion: 2 }
  const f = (name, type) => ({ name, type: { kind: 'primitive', name: type }, nullable: true, metadata: {} })
  const metadata = {
    id: randomUUID(), format: { provider: 'parquet', options: {} }, partitionColumns: ['date'], configuration: {}, createdTime: T0,
    schemaString: serializeSchema({ kind: 'struct', fields: [f('id', 'long'), f('name', 'string'), f('date', 'string')] }),
  }
  const commits = Array.from({ length: COMMITS }, (_x, v) => Array.from({ length: ADDS_PER_COMMIT }, (_y, i) => fakeAdd(v, i)))
  await mapConcurrent(commits, UPLOAD_CONCURRENCY, async (adds, v) => {
    const info = { kind: 'commitInfo', commitInfo: { timestamp: T0 + v * 1000, operation: 'WRITE', operationParameters: { mode: 'Append' } } }
    const head = v === 0 ? [{ kind: 'protocol', protocol }, { kind: 'metaData', metaData: metadata }] : []
    await store.put(commitPath(v), serializeCommit([info, ...head, ...adds.map((add) => ({ kind: 'add', add }))]))
  })
  const files = commits.slice(0, CHECKPOINT_VERSION + 1).flat()
  const plan = planCheckpoint({ protocol, metadata, files, tombstones: [], txns: [], domainMetadata: [] }, { now: Date.now(), tombstoneRetentionMs: 7 * 86_400_000 })
  const encoded = encodeCheckpoint(plan, CHECKPOINT_VERSION)
  await store.put(classicCheckpointPath(CHECKPOINT_VERSION), encoded.bytes)
  await store.put(LAST_CHECKPOINT_PATH, new TextEncoder().encode(encoded.lastCheckpoint))
  return encoded.bytes.byteLength
}

function runChild(url, which) {
  const r = spawnSync(process.execPath, ['--expose-gc', SELF, 'measure', url, which], { encoding: 'utf8', env: process.env })
  if (r.status !== 0) throw new Error(`measure ${which} failed: ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').at(-1))
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

async function target(name, url) {
  const store = await openStore(url)
  const t0 = performance.now()
  const checkpointBytes = await buildTable(store)
  console.log(`${name}: built ${COMMITS} commits x ${ADDS_PER_COMMIT} adds + checkpoint ${CHECKPOINT_VERSION} (${(checkpointBytes / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)}s`)
  const out = []
  for (const which of ['latest', String(CHECKPOINT_VERSION - 1)]) {
    const runs = Array.from({ length: RUNS }, () => runChild(url, which))
    const r = runs[0]
    const open = median(runs.map((x) => x.openMs))
    const list = median(runs.map((x) => x.listMs))
    const peak = Math.max(...runs.map((x) => x.peakRssMB))
    const base = Math.max(...runs.map((x) => x.baseRssMB))
    const how = r.checkpoint === null ? `${r.commitsRead} JSON commits` : `checkpoint ${r.checkpoint} + ${r.commitsRead} commits`
    console.log(
      `  version ${r.version} (${how}): open ${open.toFixed(0)} ms, list ${r.files.toLocaleString('en-US')} files ${list.toFixed(1)} ms, ` +
        `peak RSS ${peak} MB (process base ${base} MB), heap after ${r.heapAfterMB} MB  [median of ${RUNS}]`,
    )
    out.push({ which, version: r.version, open, list, peak, files: r.files })
  }
  return out
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'lake-bench-open-'))
  const summary = []
  try {
    const local = await target('local', join(dir, 'table'))
    summary.push(`local latest ${local[0].open.toFixed(0)} ms open + ${local[0].list.toFixed(0)} ms list, peak ${local[0].peak} MB; JSON-only v${local[1].version} ${local[1].open.toFixed(0)} ms`)
    if (process.env.AWS_ENDPOINT_URL) {
      const { deletePrefix, s3Env } = await s3Helpers()
      const prefix = `lake-bench-open-${Date.now().toString(36)}`
      try {
        const s3 = await target('s3', `s3://${s3Env.bucket}/${prefix}`)
        summary.push(`s3 latest ${s3[0].open.toFixed(0)} ms open + ${s3[0].list.toFixed(0)} ms list, peak ${s3[0].peak} MB; JSON-only v${s3[1].version} ${s3[1].open.toFixed(0)} ms`)
      } finally {
        await deletePrefix(prefix)
      }
    } else {
      console.log('s3: skipped (AWS_ENDPOINT_URL not set)')
    }
    console.log(`SUMMARY open-large-log: ${(COMMITS * ADDS_PER_COMMIT).toLocaleString('en-US')} adds / ${COMMITS} commits: ${summary.join('; ')}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The S3 bucket (created if missing) and a way to delete a prefix, through the S3 store itself. */
async function s3Helpers() {
  const { createS3Store } = await import('@lake/storage-s3')
  const { CreateBucketCommand } = await import('@aws-sdk/client-s3')
  const bucket = process.env.LAKE_S3_TEST_BUCKET || 'lake-test'
  const admin = createS3Store({ bucket, prefix: '', endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION || 'us-east-1' })
  await admin.client.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => {})
  admin.client.destroy()
  return {
    s3Env: { bucket },
    deletePrefix: async (prefix) => {
      const store = createS3Store({ bucket, prefix, endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION || 'us-east-1' })
      const keys = []
      for await (const meta of store.list('')) keys.push(meta.path)
      await store.deleteMany(keys)
      store.client.destroy()
    },
  }
}
