// `lake ingest` of 1,000,000 NDJSON rows (the appendRows shape of bench/ingest.bench.mjs: id, name,
// amount, active, day) into a new table, against DuckDB's COPY (SELECT * FROM read_json(file)) TO
// parquet with zstd in the same run (1 thread and default threads), best of RUNS each. Peak RSS of
// each lake run from /usr/bin/time. CPU seconds (user + system, all threads) of the best runs too:
// on a shared, loaded machine wall times swing 2-3x, CPU time much less.
// Per thread (Linux: /proc/<pid>/task sampled every 20 ms): the CPU of the main thread, of the busiest
// other threads (the encoder workers) and of the rest (V8's compiler and GC helpers, libuv), against
// the wall time: a thread busy far less than the wall time waited.
// LAKE_CLI=<path to lake.js> measures another build (before/after).
// Run: node bench/ingest-cli.bench.mjs after npm run build
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { duckdbCopy } from './duckdb-copy.mjs'

const ROWS = Number(process.env.ROWS ?? 1_000_000)
const RUNS = Number(process.env.RUNS ?? 2)
const cli = process.env.LAKE_CLI ?? fileURLToPath(new URL('../packages/cli/bin/lake.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'lake-bench-ingest-cli-'))

function writeInput(file) {
  const lines = new Array(ROWS)
  for (let i = 0; i < ROWS; i++) {
    lines[i] = JSON.stringify({ id: i, name: `customer-${i % 50_000}`, amount: (i % 10_000) / 100, active: i % 3 === 0, day: `2024-01-${String((i % 28) + 1).padStart(2, '0')}` })
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
}

function duckdb(file, threads) {
  return duckdbCopy('read_json', file, dir, threads)
}

/** user + system CPU ms of each thread of process `pid` now (Linux), by thread id. */
function threadCpu(pid, into) {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      into.set(tid, (Number(fields[11]) + Number(fields[12])) * 10)
    }
  } catch {
    // the process or a thread ended between the listing and the read
  }
}

async function lake(file) {
  const table = join(dir, 'table')
  const started = performance.now()
  const child = spawn('/usr/bin/time', ['-o', join(dir, 'cpu'), '-f', '%U %S', process.execPath, cli, 'ingest', file, table], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  const threads = new Map()
  let node
  const sampler = setInterval(() => {
    node ??= readChild(child.pid)
    if (node !== undefined) threadCpu(node, threads)
  }, 20)
  const code = await new Promise((resolve) => child.on('close', resolve))
  clearInterval(sampler)
  const ms = performance.now() - started
  rmSync(table, { recursive: true, force: true })
  if (code !== 0 || !out.includes(`"rows":${ROWS}`)) throw new Error(`unexpected output ${out}`)
  const [user, system] = readFileSync(join(dir, 'cpu'), 'utf8').trim().split(/\s+/).slice(-2).map(Number)
  return { ms, cpu: ((user ?? 0) + (system ?? 0)) * 1000, threads: node === undefined ? undefined : split(threads, node) }
}

/** The node process /usr/bin/time started (its only child), once it exists. */
function readChild(pid) {
  const path = `/proc/${pid}/task/${pid}/children`
  if (!existsSync(path)) return undefined
  return readFileSync(path, 'utf8').trim().split(/\s+/).find(Boolean)
}

/** Main thread, the busiest other threads (one encoder per core), the rest. */
function split(threads, main) {
  const others = [...threads].filter(([tid]) => tid !== main).map(([, ms]) => ms).sort((a, b) => b - a)
  const workers = others.slice(0, availableParallelism())
  return { main: threads.get(main) ?? 0, workers, rest: others.slice(workers.length).reduce((a, b) => a + b, 0) }
}

function lakeRss(file) {
  const table = join(dir, 'table')
  try {
    execFileSync('/usr/bin/time', ['-o', join(dir, 'rss'), '-f', '%M', process.execPath, cli, 'ingest', file, table], { stdio: 'ignore' })
    return Number(execFileSync('cat', [join(dir, 'rss')], { encoding: 'utf8' }).trim()) / 1024
  } finally {
    rmSync(table, { recursive: true, force: true })
  }
}

try {
  const file = join(dir, 'rows.ndjson')
  writeInput(file)
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${ROWS.toLocaleString('en')} rows; lake = ${cli}`)
  const none = { ms: Infinity, cpu: Infinity }
  const best = { duck1: none, duck: none, lake: none }
  const min = (a, b) => (b.ms < a.ms ? b : a)
  for (let run = 0; run < RUNS; run++) {
    best.duck1 = min(best.duck1, await duckdb(file, 1))
    best.duck = min(best.duck, await duckdb(file))
    best.lake = min(best.lake, await lake(file))
  }
  const rss = lakeRss(file)
  const duckBest = min(best.duck1, best.duck)
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`
  console.log(`DuckDB COPY read_json zstd: 1 thread ${s(best.duck1.ms)} (CPU ${s(best.duck1.cpu)}), default ${s(best.duck.ms)} (CPU ${s(best.duck.cpu)})`)
  console.log(`lake ingest: ${s(best.lake.ms)} (CPU ${s(best.lake.cpu)}) = ${(best.lake.ms / duckBest.ms).toFixed(1)}x DuckDB best; CPU ${(best.lake.cpu / best.duck1.cpu).toFixed(1)}x DuckDB 1 thread's; peak RSS ${rss.toFixed(0)} MB`)
  const t = best.lake.threads
  if (t !== undefined) console.log(`lake ingest threads (CPU, sampled every 20 ms; wall ${s(best.lake.ms)}): main ${s(t.main)}, busiest others (encoder workers) ${t.workers.map(s).join(', ')}, the rest (V8 compiler/GC helpers, libuv) ${s(t.rest)}`)
  console.log(`load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
