// `lake ingest` of 1,000,000 CSV rows (the shape of bench/ingest-cli.bench.mjs: id, name, amount,
// active, day, written as CSV with a header) into a new table, against DuckDB's
// COPY (SELECT * FROM read_csv(file)) TO parquet with zstd in the same run (1 thread and default
// threads), best of RUNS each. CPU seconds (user + system, all threads) of the best runs and peak
// RSS from /usr/bin/time: on a shared, loaded machine wall times swing 2-3x, CPU time much less.
// LAKE_CLI=<path to lake.js> measures another build; BEFORE_CLI=<path> adds it, run alternately.
// Run: node bench/ingest-csv.bench.mjs after npm run build
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { duckdbCopy } from './duckdb-copy.mjs'

const ROWS = Number(process.env.ROWS ?? 1_000_000)
const RUNS = Number(process.env.RUNS ?? 2)
const cli = process.env.LAKE_CLI ?? fileURLToPath(new URL('../packages/cli/bin/lake.js', import.meta.url))
const before = process.env.BEFORE_CLI
const dir = mkdtempSync(join(tmpdir(), 'lake-bench-ingest-csv-'))

function writeInput(file) {
  const lines = new Array(ROWS + 1)
  lines[0] = 'id,name,amount,active,day'
  for (let i = 0; i < ROWS; i++) lines[i + 1] = `${i},customer-${i % 50_000},${(i % 10_000) / 100},${i % 3 === 0},2024-01-${String((i % 28) + 1).padStart(2, '0')}`
  writeFileSync(file, `${lines.join('\n')}\n`)
}

function duckdb(file, threads) {
  return duckdbCopy('read_csv', file, dir, threads)
}

/** One `lake ingest` of `file` by the CLI at `bin`: wall and CPU ms, peak RSS in MB. */
function lake(bin, file) {
  const table = join(dir, 'table')
  const started = performance.now()
  const out = execFileSync('/usr/bin/time', ['-o', join(dir, 'cpu'), '-f', '%U %S %M', process.execPath, bin, 'ingest', file, table], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = performance.now() - started
  rmSync(table, { recursive: true, force: true })
  if (!out.includes(`"rows":${ROWS}`)) throw new Error(`unexpected output ${out}`)
  const [user, system, rss] = readFileSync(join(dir, 'cpu'), 'utf8').trim().split(/\s+/).slice(-3).map(Number)
  return { ms, cpu: ((user ?? 0) + (system ?? 0)) * 1000, rss: (rss ?? 0) / 1024 }
}

try {
  const file = join(dir, 'rows.csv')
  writeInput(file)
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${ROWS.toLocaleString('en')} rows; lake = ${cli}${before === undefined ? '' : `; before = ${before}`}`)
  const none = { ms: Infinity, cpu: Infinity, rss: 0 }
  const best = { duck1: none, duck: none, lake: none, before: none }
  const min = (a, b) => (b.ms < a.ms ? { ...b, rss: Math.max(a.rss ?? 0, b.rss ?? 0) } : { ...a, rss: Math.max(a.rss ?? 0, b.rss ?? 0) })
  for (let run = 0; run < RUNS; run++) {
    best.duck1 = min(best.duck1, await duckdb(file, 1))
    best.duck = min(best.duck, await duckdb(file))
    if (before !== undefined) best.before = min(best.before, lake(before, file))
    best.lake = min(best.lake, lake(cli, file))
  }
  const duckBest = best.duck1.ms < best.duck.ms ? best.duck1 : best.duck
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`
  const line = (name, r) => `${name}: ${s(r.ms)} (CPU ${s(r.cpu)}) = ${(r.ms / duckBest.ms).toFixed(1)}x DuckDB best; CPU ${(r.cpu / best.duck1.cpu).toFixed(1)}x DuckDB 1 thread's; peak RSS ${r.rss.toFixed(0)} MB`
  console.log(`DuckDB COPY read_csv zstd: 1 thread ${s(best.duck1.ms)} (CPU ${s(best.duck1.cpu)}), default ${s(best.duck.ms)} (CPU ${s(best.duck.cpu)})`)
  if (before !== undefined) console.log(line('lake ingest (before)', best.before))
  console.log(line('lake ingest', best.lake))
  if (before !== undefined) console.log(`CPU after / before: ${(best.lake.cpu / best.before.cpu).toFixed(2)}; wall after / before: ${(best.lake.ms / best.before.ms).toFixed(2)}`)
  console.log(`load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
