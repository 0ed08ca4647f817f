// Commit throughput of optimistic concurrency: 1, 2, 4, 8 and 16 writer processes append small
// commits (writeDelta, one row each) to one table, on the local file system and on S3 (when
// AWS_ENDPOINT_URL is set). Prints commits/s, retries per commit, and the ideal next to it:
// ideal(N) = N × single-writer throughput (one writer's commit latency / N). Run: node bench/commit.bench.mjs
// Child mode (used by the bench itself): node bench/commit.bench.mjs writer <url> <id> <commits>
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { writeDelta } from '@lake/core'
import { openStore } from '@lake/storage'

const WRITERS = [1, 2, 4, 8, 16]
const TOTAL_COMMITS = Number(process.env.LAKE_BENCH_COMMITS ?? 160) // per run, split between the writers
const MIN_COMMITS_PER_WRITER = 10
const WRITER_TIMEOUT_MS = 300_000 // ms, a whole run
const SELF = fileURLToPath(import.meta.url)
// LAKE_BENCH_POLICY='{"baseMs":50,"capMs":5000}' compares another retry policy (WriteOptions.commit) with the default.
const COMMIT = process.env.LAKE_BENCH_POLICY ? { commit: JSON.parse(process.env.LAKE_BENCH_POLICY) } : {}

if (process.argv[2] === 'writer') await writer(process.argv.slice(3))
else await main()

/** One writer process: says ready, waits for "go", appends `commits` one-row commits, reports JSON. */
async function writer([url, id, commits]) {
  if (url.startsWith('s3://')) await import('@lake/storage-s3')
  const store = await openStore(url)
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
  process.stdout.write('ready\n')
  while ((await lines.next()).value !== 'go');
  const start = Date.now()
  let attempts = 0
  let maxAttempts = 0
  let failures = 0
  for (let i = 0; i < Number(commits); i++) {
    try {
      const result = await writeDelta(store, [{ writer: Number(id), seq: i }], { mode: 'append', ...COMMIT })
      const n = result.status === 'committed' ? result.attempts : 1
      attempts += n
      maxAttempts = Math.max(maxAttempts, n)
    } catch (err) {
      failures++
      process.stderr.write(`[writer ${id}] ${err?.code}: ${String(err?.message).split('\n')[0]}\n`)
    }
  }
  process.stdout.write(JSON.stringify({ start, end: Date.now(), commits: Number(commits) - failures, attempts, maxAttempts, failures }) + '\n')
  process.exit(0)
}

async function main() {
  const targets = [{ name: 'local', make: localTable }]
  if (process.env.AWS_ENDPOINT_URL) targets.push({ name: 's3', make: await s3Tables() })
  else console.log('(S3 skipped: set AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY to include it)')
  for (const target of targets) {
    const policy = COMMIT.commit === undefined ? 'default retry policy' : `retry policy ${JSON.stringify(COMMIT.commit)}`
    console.log(`\n${target.name}: ${TOTAL_COMMITS} one-row append commits per run (writeDelta), ${policy}`)
    console.log('ideal = N x one writer\'s commits/s; own tables = the same N processes each on its own table (no contention: what the machine allows)')
    console.log('writers | commits/s | ideal/s | ratio | own tables/s | vs own | retries/commit | max attempts | p50 commit ms | failed')
    let single
    for (const n of WRITERS) {
      const shared = await target.make(`w${n}`)
      const r = await runWriters(Array.from({ length: n }, () => shared.url))
      await shared.cleanup()
      const own = await Promise.all(Array.from({ length: n }, (_, i) => target.make(`w${n}-own${i}`)))
      const o = n === 1 ? r : await runWriters(own.map((t) => t.url))
      await Promise.all(own.map((t) => t.cleanup()))
      single ??= r.throughput
      const ideal = single * n
      console.log(
        [String(n).padStart(7), fmt(r.throughput, 9), fmt(ideal, 7), fmt(r.throughput / ideal, 5, 2), fmt(o.throughput, 12), fmt(r.throughput / o.throughput, 6, 2),
          fmt(r.retriesPerCommit, 14, 2), String(r.maxAttempts).padStart(12), fmt(r.latencyMs, 13), String(r.failures).padStart(6)].join(' | '),
      )
    }
  }
}

/** Creates the tables (version 0) and runs one writer per entry of `urls` from a common "go"; returns the aggregate. */
async function runWriters(urls) {
  const n = urls.length
  for (const url of new Set(urls)) await writeDelta(url, [{ writer: -1, seq: 0 }], { mode: 'error' })
  const perWriter = Math.max(MIN_COMMITS_PER_WRITER, Math.round(TOTAL_COMMITS / n))
  const children = urls.map((url, id) => startWriter(url, id, perWriter))
  const timeout = setTimeout(() => {
    for (const c of children) c.child.kill('SIGKILL')
    console.error('commit bench: writers timed out')
    process.exit(1)
  }, WRITER_TIMEOUT_MS)
  await Promise.all(children.map((c) => c.next()))
  for (const c of children) c.child.stdin.write('go\n')
  const results = await Promise.all(children.map(async (c) => JSON.parse(await c.next())))
  clearTimeout(timeout)
  const commits = results.reduce((s, r) => s + r.commits, 0)
  const attempts = results.reduce((s, r) => s + r.attempts, 0)
  const wallMs = Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start))
  const perCommitMs = results.map((r) => (r.end - r.start) / Math.max(1, r.commits)).sort((a, b) => a - b)
  return {
    throughput: (commits / wallMs) * 1000,
    retriesPerCommit: (attempts - commits) / Math.max(1, commits),
    latencyMs: perCommitMs[Math.floor(perCommitMs.length / 2)],
    maxAttempts: Math.max(...results.map((r) => r.maxAttempts)),
    failures: results.reduce((s, r) => s + r.failures, 0),
  }
}

function startWriter(url, id, commits) {
  const child = spawn(process.execPath, [SELF, 'writer', url, String(id), String(commits)], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  // A writer exits 0 right after printing its result; the 'exit' event can beat that line through readline
  // (seen under load), so only a failure (non-zero code or a signal) ends the wait early.
  const exited = new Promise((_, reject) =>
    child.once('exit', (code, signal) => {
      if (code !== 0) reject(new Error(`writer ${id} exited with ${code ?? signal}`))
    }),
  )
  exited.catch(() => {})
  return { child, next: () => Promise.race([lines.next().then((r) => r.value ?? ''), exited]) }
}

function localTable(_label) {
  const dir = mkdtempSync(join(tmpdir(), 'lake-commit-bench-'))
  return { url: dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
}

/** A factory of fresh S3 tables under one run prefix of the test bucket (created when missing). */
async function s3Tables() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const { createS3Store } = await import('@lake/storage-s3')
  const { CreateBucketCommand } = await import('@aws-sdk/client-s3')
  const bucket = process.env.LAKE_S3_TEST_BUCKET || 'lake-test'
  const admin = createS3Store({ bucket, prefix: '', endpoint: process.env.AWS_ENDPOINT_URL })
  await admin.client.send(new CreateBucketCommand({ Bucket: bucket })).catch((err) => {
    if (err?.name !== 'BucketAlreadyOwnedByYou' && err?.name !== 'BucketAlreadyExists') throw err
  })
  const run = `lake-commit-bench-${Date.now().toString(36)}`
  return (label) => {
    const prefix = `${run}/${label}`
    return {
      url: `s3://${bucket}/${prefix}`,
      cleanup: async () => {
        const store = createS3Store({ bucket, prefix, endpoint: process.env.AWS_ENDPOINT_URL })
        const keys = []
        for await (const meta of store.list('')) keys.push(meta.path)
        await store.deleteMany(keys)
        store.client.destroy()
      },
    }
  }
}

function fmt(x, width, digits = 1) {
  return x.toFixed(digits).padStart(width)
}
