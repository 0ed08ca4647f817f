// Start-up cost of `lake` commands (issue 14): CPU seconds (user + system, all threads, from
// /usr/bin/time) and wall time of `lake --version`, `lake history <golden table>`, `lake read` of it
// and `lake ingest` of a one-line NDJSON file into a new table, median of RUNS each; plus the number
// of modules each command's main thread loads (test/cli/fixtures/module-log-hooks.mjs) and whether
// apache-arrow / parquet-wasm are among them. `lake ingest`'s encoder workers are counted apart:
// the modules one worker entry loads (imported in a fresh process with the same hook).
// LAKE_CLI=<path to lake.js> measures another build (before/after), LAKE_WORKER=<encode-worker.js> its worker
// (default: the bundle the worker pool starts, encode-worker.bundle.js, when it exists).
// Run: node bench/startup.bench.mjs after npm run build
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const RUNS = Number(process.env.RUNS ?? 5)
const cli = process.env.LAKE_CLI ?? fileURLToPath(new URL('../packages/cli/bin/lake.js', import.meta.url))
const bundledWorker = fileURLToPath(new URL('../packages/ingest/dist/encode/encode-worker.bundle.js', import.meta.url))
const worker = process.env.LAKE_WORKER ?? (existsSync(bundledWorker) ? bundledWorker : fileURLToPath(new URL('../packages/ingest/dist/encode/encode-worker.js', import.meta.url)))
const hooks = fileURLToPath(new URL('../test/cli/fixtures/module-log-hooks.mjs', import.meta.url))
const golden = fileURLToPath(new URL('../fixtures/golden/basic-with-inserts-updates', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'lake-bench-startup-'))
const one = join(dir, 'one.ndjson')
writeFileSync(one, '{"id":1,"name":"a","amount":1.5,"active":true,"day":"2024-01-01"}\n')

const COMMANDS = {
  '--version': () => ['--version'],
  history: () => ['history', golden],
  read: () => ['read', golden],
  'ingest (one line)': () => ['ingest', one, join(dir, 'table')],
}

function timed(args) {
  const out = join(dir, 'time')
  execFileSync('/usr/bin/time', ['-o', out, '-f', '%U %S %e', process.execPath, cli, ...args], { stdio: 'ignore' })
  const [user, system, wall] = readFileSync(out, 'utf8').trim().split('\n').at(-1).split(/\s+/).map(Number)
  rmSync(join(dir, 'table'), { recursive: true, force: true })
  return { cpu: user + system, wall }
}

function modules(argv) {
  const log = join(dir, 'modules.txt')
  rmSync(log, { force: true })
  execFileSync(process.execPath, ['--import', hooks, ...argv], { stdio: 'ignore', env: { ...process.env, LAKE_MODULE_LOG: log } })
  rmSync(join(dir, 'table'), { recursive: true, force: true })
  const urls = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))]
  const heavy = ['apache-arrow', 'parquet-wasm'].filter((name) => urls.some((u) => u.includes(`/node_modules/${name}/`)))
  return `${urls.length} modules${heavy.length > 0 ? ` (incl. ${heavy.join(', ')})` : ''}`
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

try {
  console.log(`lake start-up, median of ${RUNS} runs, ${cli}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  console.log('| command | CPU s | wall s | main-thread modules |')
  console.log('|---|---|---|---|')
  for (const [name, args] of Object.entries(COMMANDS)) {
    const runs = Array.from({ length: RUNS }, () => timed(args()))
    const cpu = median(runs.map((r) => r.cpu))
    const wall = median(runs.map((r) => r.wall))
    console.log(`| \`lake ${name}\` | ${cpu.toFixed(2)} | ${wall.toFixed(2)} | ${modules([cli, ...args()])} |`)
  }
  const workerRuns = Array.from({ length: RUNS }, () => {
    const out = join(dir, 'time')
    execFileSync('/usr/bin/time', ['-o', out, '-f', '%U %S %e', process.execPath, '--input-type=module', '-e', `await import(${JSON.stringify(worker)})`], { stdio: 'ignore' })
    const [user, system] = readFileSync(out, 'utf8').trim().split('\n').at(-1).split(/\s+/).map(Number)
    return user + system
  })
  console.log(`| encoder worker entry (import alone, process included) | ${median(workerRuns).toFixed(2)} | | ${modules(['--input-type=module', '-e', `await import(${JSON.stringify(worker)})`])} |`)
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
