// Row-level changes (issue 12, docs/row-level-plan.md §13): MERGE and DELETE on a table of ROWS rows
// in 100 files (default 1,000,000 rows: 10,000 a file), unpartitioned, ids in file order (file k holds
// ids k*R .. (k+1)*R-1), columns `id` long, `p` int (10 values, a plain column), and 6 value columns.
// Cases, each on a fresh copy of the table, each lake case in a child process of its own (so the
// peak RSS, `process.resourceUsage().maxRSS`, is that case's alone):
//   merge-dv / merge-cow: MERGE of ROWS/10 source rows on `target.id = source.id`, updateAll +
//     insertAll: half update every other row of 10 files spread over the table (files 0, 10, ... 90),
//     half are new ids; with deletion vectors (delta.enableDeletionVectors=true) and without.
//   merge-arrow-dv: merge-dv with the same source rows as an apache-arrow Table (columns in the
//     table's Arrow types, built with @lake/parquet's BatchBuilder) instead of row objects.
//   merge-dv-warm / merge-arrow-dv-warm: the same two in a warm process (the child first runs the
//     MERGE untimed on a copy: JS compiled, parquet-wasm compiled and tiered up), a service's steady state.
//   delete-dv / delete-cow: DELETE WHERE id % 100 = 7 (1 % of the rows, in every file).
//   update-cow: UPDATE SET a = a + 1 WHERE id % 100 = 7 without deletion vectors (every file rewritten).
// Yardstick in the same run: DuckDB producing the same result table as one Parquet file (zstd) from
// the base table's files, `COPY (SELECT ... anti join source UNION ALL source) TO ...` for MERGE and
// `COPY (SELECT ... WHERE NOT ...) TO ...` for DELETE, `COPY (SELECT ..., CASE WHEN ... THEN a + 1 ELSE a END, ...)`
// for UPDATE, with 1 and 2 threads: the copy-on-write
// rewrite of the whole table, timed twice: in this process (after other DuckDB queries: warm) and as
// the first COPY of a fresh child process (`--duck-child`; its instance is created before the clock
// starts, as lake's children open the table before theirs). Each lake case is compared like against
// like: a fresh-process case with DuckDB's fresh-process COPY, a warm case with the in-process one.
// Results are checked: lake's scan of the result (after the timed
// operation) and DuckDB's output agree on row count, sum(id) and sum(a) (the updated column).
// Times are wall-clock; CPU seconds (process.cpuUsage: user + system, every thread) are printed too, as
// they depend less on other load on the machine, and (Linux) the main thread's alone (the rest is V8's
// GC and compiler threads and libuv's I/O threads).
// Run: npm run build && node bench/merge.bench.mjs [--rows N]   (default 1,000,000 or LAKE_BENCH_ROWS; N a multiple of 1,000)
// Profile one case: node bench/merge.bench.mjs --base DIR [--dv] (writes the table), then
//   node --cpu-prof bench/merge.bench.mjs --child merge|merge-arrow|delete|update --root DIR --no-check (changes it: copy DIR first to re-run);
//   `--profile FILE.cpuprofile` instead of --cpu-prof profiles the timed operation alone; `--warm` runs the
//   operation once on a copy first (untimed), so the timed one shows a warm process (a service's second MERGE)
//   `--rounds N` (default 5; 0: none) repeats the fresh-process MERGEs with deletion vectors and DuckDB's fresh COPYs,
//   interleaved, and prints their medians (the single runs above move by 10-30 % on a shared VM)
//   `--row-route` (delete and update) sends the operation down the row route (every column decoded into row
//   objects), the route DELETE and UPDATE took before their columnar routes: for before/after pairs on one build
import { DuckDBInstance } from '@duckdb/node-api'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DeltaTable, writeDelta } from '@lake/core'
import { LocalStore } from '@lake/storage'
import { batchBuilderFor } from '@lake/parquet'
import { Table as ArrowTable } from 'apache-arrow'

const FILES = 100
const DELETE_PREDICATE = 'id % 100 = 7'
const UPDATE_SPEC = { set: { a: 'a + 1' }, where: DELETE_PREDICATE }
const f = (name, type, nullable = true) => ({ name, type, nullable, metadata: {} })
const p = (name) => ({ kind: 'primitive', name })
const SCHEMA = {
  kind: 'struct',
  fields: [
    f('id', p('long'), false), f('p', p('integer')), f('a', p('long')), f('b', p('integer')), f('x', p('double')),
    f('s', p('string')), f('flag', p('boolean')), f('day', p('date')),
  ],
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const arg = (name) => {
  const i = process.argv.indexOf(name)
  return i < 0 ? undefined : process.argv[i + 1]
}
const ROWS = Number(arg('--rows') ?? process.env.LAKE_BENCH_ROWS ?? 1_000_000)
if (!Number.isInteger(ROWS) || ROWS <= 0 || ROWS % 1000 !== 0) {
  console.error(`--rows: expected a positive multiple of 1,000 (100 files, updates every other row of 10 of them), found ${arg('--rows') ?? process.env.LAKE_BENCH_ROWS}`)
  process.exit(2)
}
const PER_FILE = ROWS / FILES

/** Row `id` of the table (version `gen` 0) or of the MERGE source (gen 1: every value column differs). */
function row(id, gen) {
  const day0 = Date.UTC(2024, 0, 1)
  return {
    id,
    p: id % 10,
    a: (id * 3) % 1000 + gen * 1_000_000,
    b: (id * 7 + gen) % 100_000,
    x: id * 0.5 + gen,
    s: `name-${(id + gen) % 5000}`,
    flag: (id + gen) % 3 === 0,
    day: new Date(day0 + ((id + gen) % 365) * 86_400_000).toISOString().slice(0, 10),
  }
}

/** The MERGE source: ROWS/20 updates (every other row of files 0, 10, ..., 90) then ROWS/20 new ids. */
function sourceRows() {
  const half = ROWS / 20
  const perFile = half / 10
  const out = []
  for (let k = 0; k < 10; k++) for (let j = 0; j < perFile; j++) out.push(row(k * 10 * PER_FILE + 2 * j, 1))
  for (let j = 0; j < half; j++) out.push(row(ROWS + j, 1))
  return out
}

async function writeBase(root, dv) {
  const rows = Array.from({ length: ROWS }, (_, i) => row(i, 0))
  const configuration = dv ? { 'delta.enableDeletionVectors': 'true' } : {}
  await writeDelta(new LocalStore(root), rows, { schema: SCHEMA, maxRowsPerFile: PER_FILE, configuration, compression: 'zstd' })
  const table = await DeltaTable.open(new LocalStore(root))
  if (table.files().length !== FILES) throw new Error(`expected ${FILES} files in the base table, found ${table.files().length}`)
  return table.files().map((a) => join(root, a.path))
}

/** Row count, sum(id) and sum(a) of a table's latest version, read with lake's scan. */
async function checksum(root) {
  const table = await DeltaTable.open(new LocalStore(root))
  let count = 0
  let ids = 0
  let as = 0
  for await (const batch of table.scan()) {
    for (const r of batch) {
      count++
      ids += Number(r.id)
      as += Number(r.a)
    }
  }
  return { count, ids, as, files: table.files().length }
}

/** The MERGE source as an Arrow Table (long columns as bigint, dates as days: the table's Arrow types). */
function sourceTable() {
  const builder = batchBuilderFor(SCHEMA)
  for (const r of sourceRows()) builder.append({ ...r, id: BigInt(r.id), a: BigInt(r.a) })
  return new ArrowTable([builder.finish()])
}

/** With `--profile FILE`: a CPU profile of the timed operation alone (node:inspector), written to FILE when stopped. */
async function startProfile(file) {
  if (file === undefined) return undefined
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(file, JSON.stringify(profile))
      session.disconnect()
    },
  }
}

/**
 * With `--warm`: the same operation first on a copy of the table (untimed, copy deleted), so the timed
 * one runs in a warm process (JIT-compiled JS, parquet-wasm compiled and tiered up), as a service's
 * second MERGE does.
 */
async function warmUp(kind, root, source) {
  const copy = `${root}-warm`
  cpSync(root, copy, { recursive: true })
  try {
    const table = await DeltaTable.open(new LocalStore(copy))
    if (kind === 'delete') await table.delete(DELETE_PREDICATE)
    else if (kind === 'update') await table.update(UPDATE_SPEC)
    else await table.merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
}

/** CPU seconds of this process's main thread (Linux: /proc/self/task/PID/stat, utime + stime in ticks of 10 ms); undefined elsewhere. */
function mainThreadCpu() {
  const stat = `/proc/self/task/${process.pid}/stat`
  if (!existsSync(stat)) return undefined
  const fields = readFileSync(stat, 'utf8').replace(/^.*\) /, '').split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** A child process: run one case on the table at `root`, print one JSON line. */
async function child(kind, root) {
  const table = await DeltaTable.open(new LocalStore(root))
  const source = kind === 'merge' ? sourceRows() : kind === 'merge-arrow' ? sourceTable() : undefined
  if ((kind === 'delete' || kind === 'update') && process.argv.includes('--row-route')) (await import('../packages/core/dist/rewrite/columnar-match.js')).columnarRoute.columnar = false
  if (process.argv.includes('--warm')) await warmUp(kind, root, source)
  globalThis.gc?.()
  const profiler = await startProfile(arg('--profile'))
  const before = process.resourceUsage().maxRSS
  const cpu = process.cpuUsage()
  const mainCpu = mainThreadCpu()
  const start = performance.now()
  const result = kind === 'delete'
    ? await table.delete(DELETE_PREDICATE)
    : kind === 'update'
      ? await table.update(UPDATE_SPEC)
      : await table.merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
  const seconds = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  const mainCpuSeconds = mainCpu === undefined ? undefined : (mainThreadCpu() ?? 0) - mainCpu
  await profiler?.stop()
  const cpuSeconds = (used.user + used.system) / 1e6
  const maxRSS = process.resourceUsage().maxRSS
  const check = process.argv.includes('--no-check') ? undefined : await checksum(root)
  console.log(JSON.stringify({ seconds, cpuSeconds, mainCpuSeconds, maxRSS, rssBefore: before, metrics: result.metrics, check }))
}

function runChild(kind, root, extra = []) {
  const script = fileURLToPath(import.meta.url)
  const r = spawnSync(process.execPath, ['--expose-gc', script, '--child', kind, '--root', root, '--rows', String(ROWS), ...extra], { encoding: 'utf8', maxBuffer: 64 << 20 })
  if (r.status !== 0) throw new Error(`case ${kind} on ${root} failed (exit ${r.status}):\n${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').at(-1))
}

const list = (files) => `[${files.map((x) => `'${x}'`).join(', ')}]`
const COLS = 'id, p, a, b, x, s, flag, day'

async function duck(con, sql, out, threads) {
  await con.run(`SET threads = ${threads}`)
  const cpu = process.cpuUsage()
  const start = performance.now()
  await con.run(`COPY (${sql}) TO '${out}' (FORMAT parquet, COMPRESSION zstd)`)
  const seconds = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  const cpuSeconds = (used.user + used.system) / 1e6
  const r = await con.runAndReadAll(`SELECT count(*), sum(id), sum(a) FROM read_parquet('${out}')`)
  const [count, ids, as] = r.getRows()[0].map(Number)
  return { seconds, cpuSeconds, check: { count, ids, as } }
}

/** `duck` in a child process of its own: a fresh DuckDB (its first query in the process), as lake's fresh cases. */
function duckChild(dir, sql, threads) {
  const sqlFile = join(dir, 'duck-child.sql')
  writeFileSync(sqlFile, sql)
  const script = fileURLToPath(import.meta.url)
  const r = spawnSync(process.execPath, [script, '--duck-child', sqlFile, '--threads', String(threads), '--out', join(dir, `duck-fresh-${threads}.parquet`)], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`DuckDB child failed: ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').at(-1))
}

/** A child process: one `duck` COPY of the SQL in `sqlFile` on a fresh instance; prints its JSON line. */
async function duckChildMain() {
  const db = await DuckDBInstance.create(':memory:')
  const con = await db.connect()
  const result = await duck(con, readFileSync(arg('--duck-child'), 'utf8'), arg('--out'), Number(arg('--threads')))
  con.closeSync()
  db.closeSync()
  console.log(JSON.stringify(result))
}

/** DuckDB's full rewrites (MERGE and DELETE results from the base files), 1 and 2 threads. */
async function yardsticks(dir, baseFiles) {
  const db = await DuckDBInstance.create(':memory:')
  const con = await db.connect()
  const sourceFile = join(dir, 'source.parquet')
  const tmp = join(dir, 'source-table')
  await writeDelta(new LocalStore(tmp), sourceRows(), { schema: SCHEMA, compression: 'zstd' })
  const srcFiles = (await DeltaTable.open(new LocalStore(tmp))).files().map((a) => join(tmp, a.path))
  await con.run(`COPY (SELECT ${COLS} FROM read_parquet(${list(srcFiles)})) TO '${sourceFile}' (FORMAT parquet)`)
  const target = `read_parquet(${list(baseFiles)})`
  const mergeSql = `SELECT ${COLS} FROM ${target} t ANTI JOIN read_parquet('${sourceFile}') s ON t.id = s.id UNION ALL SELECT ${COLS} FROM read_parquet('${sourceFile}')`
  const deleteSql = `SELECT ${COLS} FROM ${target} WHERE NOT (${DELETE_PREDICATE})`
  const updateSql = `SELECT id, p, CASE WHEN ${DELETE_PREDICATE} THEN a + 1 ELSE a END AS a, b, x, s, flag, day FROM ${target}`
  const yard = {}
  for (const [kind, sql] of [['merge', mergeSql], ['delete', deleteSql], ['update', updateSql]]) {
    yard[kind] = { sql, t1: await duck(con, sql, join(dir, `duck-${kind}-1.parquet`), 1), t2: await duck(con, sql, join(dir, `duck-${kind}-2.parquet`), 2) }
    // The same COPY in a fresh process (instance created before the clock starts), as lake's fresh-process cases run.
    yard[kind].fresh1 = duckChild(dir, sql, 1)
    yard[kind].fresh2 = duckChild(dir, sql, 2)
  }
  con.closeSync()
  db.closeSync()
  return yard
}

/** One lake case on a fresh copy of the base table, in a child process; prints its line, returns its summary. */
function lakeCase(dir, kind, mode, d, warm = false) {
  const root = join(dir, `${kind}-${mode}`)
  cpSync(join(dir, `base-${mode}`), root, { recursive: true })
  const r = runChild(kind, root, warm ? ['--warm'] : [])
  rmSync(root, { recursive: true, force: true })
  // Like against like: a fresh-process case against DuckDB's first COPY in a fresh process, a warm one against DuckDB's in-process COPY.
  const y1 = warm ? d.t1 : d.fresh1
  const y2 = warm ? d.t2 : d.fresh2
  const same = r.check.count === d.t1.check.count && r.check.ids === d.t1.check.ids && r.check.as === d.t1.check.as
  if (!same) process.exitCode = 1
  const m = r.metrics
  const name = `lake ${mode === 'dv' ? 'deletion vectors' : 'copy-on-write'}${kind === 'merge-arrow' ? ', Arrow' : ''}${warm ? ', warm' : ''}`
  console.log(
    `  ${name.padEnd(23)} ${fmt(r.seconds, 2).padStart(7)}s = ${fmt(r.seconds / y1.seconds, 1)}x DuckDB-1t, ${fmt(r.seconds / y2.seconds, 1)}x DuckDB-2t${warm ? '' : ' (fresh)'};` +
      ` CPU ${fmt(r.cpuSeconds, 2)}s = ${fmt(r.cpuSeconds / y1.cpuSeconds, 1)}x DuckDB-1t's${r.mainCpuSeconds === undefined ? '' : ` (main thread ${fmt(r.mainCpuSeconds, 2)}s)`};` +
      ` peak RSS ${fmt(r.maxRSS / 1024)} MB; files +${m.numTargetFilesAdded ?? m.numAddedFiles} -${m.numTargetFilesRemoved ?? m.numRemovedFiles},` +
      ` DVs +${m.numTargetDeletionVectorsAdded ?? m.numDeletionVectorsAdded ?? 0}; scan ${m.scanTimeMs} ms, rewrite ${m.rewriteTimeMs} ms;` +
      ` result ${same ? 'equals' : 'DIFFERS FROM'} DuckDB's (${fmt(r.check.count)} rows, sum(id) ${r.check.ids}, sum(a) ${r.check.as})`,
  )
  return `${kind}-${mode}${warm ? '-warm' : ''} ${fmt(r.seconds, 2)}s = ${fmt(r.seconds / y1.seconds, 1)}x/${fmt(r.seconds / y2.seconds, 1)}x DuckDB${warm ? '' : ' fresh'} 1t/2t (CPU ${fmt(r.cpuSeconds, 2)}s = ${fmt(r.cpuSeconds / y1.cpuSeconds, 1)}x), ${fmt(r.maxRSS / 1024)} MB`
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]

/**
 * `--rounds N` (default 5): the fresh-process MERGEs with deletion vectors (rows, Arrow) and DuckDB's fresh-process COPY
 * (1 and 2 threads), interleaved N times, as medians: one run of each moves by 10-30 % on a shared VM.
 */
function freshRounds(dir, sql, rounds) {
  const times = { rows: [], arrow: [], duck1: [], duck2: [] }
  for (let i = 0; i < rounds; i++) {
    for (const [key, kind] of [['rows', 'merge'], ['arrow', 'merge-arrow']]) {
      const root = join(dir, `round-${kind}`)
      cpSync(join(dir, 'base-dv'), root, { recursive: true })
      times[key].push(runChild(kind, root, ['--no-check']).seconds)
      rmSync(root, { recursive: true, force: true })
    }
    times.duck1.push(duckChild(dir, sql, 1).seconds)
    times.duck2.push(duckChild(dir, sql, 2).seconds)
  }
  const [rows, arrow, d1, d2] = [times.rows, times.arrow, times.duck1, times.duck2].map(median)
  const ratios = (x) => `${fmt(x / d1, 2)}x / ${fmt(x / d2, 2)}x`
  console.log(`  fresh processes, ${rounds} interleaved rounds, medians: DuckDB ${fmt(d1, 2)}s (1 thread), ${fmt(d2, 2)}s (2 threads); lake deletion vectors, rows ${fmt(rows, 2)}s = ${ratios(rows)}, Arrow ${fmt(arrow, 2)}s = ${ratios(arrow)} DuckDB-1t / DuckDB-2t`)
  return `merge-dv fresh medians of ${rounds}: rows ${fmt(rows, 2)}s = ${ratios(rows)}, Arrow ${fmt(arrow, 2)}s = ${ratios(arrow)} DuckDB 1t/2t`
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'lake-bench-merge-'))
  try {
    console.log(`merge benchmark: ${fmt(ROWS)} rows in ${FILES} files (${fmt(PER_FILE)} rows each), unpartitioned, id long, p int, 6 value columns`)
    console.log(`  MERGE source ${fmt(ROWS / 10)} rows (${fmt(ROWS / 20)} updates over 10 files, ${fmt(ROWS / 20)} inserts); DELETE WHERE ${DELETE_PREDICATE}; UPDATE SET a = a + 1 WHERE ${DELETE_PREDICATE}`)
    const t = performance.now()
    const baseFiles = await writeBase(join(dir, 'base-cow'), false)
    await writeBase(join(dir, 'base-dv'), true)
    console.log(`  wrote the two base tables in ${fmt((performance.now() - t) / 1000, 1)}s (untimed)`)
    const yard = await yardsticks(dir, baseFiles)
    const summary = []
    for (const kind of ['merge', 'delete', 'update']) {
      const d = yard[kind]
      console.log(`${kind.toUpperCase()}:`)
      console.log(`  DuckDB full rewrite     ${fmt(d.t1.seconds, 2).padStart(7)}s (1 thread, CPU ${fmt(d.t1.cpuSeconds, 2)}s)  ${fmt(d.t2.seconds, 2).padStart(7)}s (2 threads, CPU ${fmt(d.t2.cpuSeconds, 2)}s)  rows ${fmt(d.t1.check.count)}`)
      console.log(`  DuckDB, fresh process   ${fmt(d.fresh1.seconds, 2).padStart(7)}s (1 thread, CPU ${fmt(d.fresh1.cpuSeconds, 2)}s)  ${fmt(d.fresh2.seconds, 2).padStart(7)}s (2 threads, CPU ${fmt(d.fresh2.cpuSeconds, 2)}s)  (the yardstick of lake's fresh-process cases)`)
      // UPDATE: copy-on-write only (with deletion vectors it writes 1 % of the rows, no rewrite to compare).
      for (const mode of kind === 'update' ? ['cow'] : ['dv', 'cow']) summary.push(lakeCase(dir, kind, mode, d))
      if (kind !== 'merge') continue
      summary.push(lakeCase(dir, 'merge-arrow', 'dv', d))
      // The same MERGEs in a warm process (after one untimed MERGE on a copy): a service's steady state.
      for (const warm of ['merge', 'merge-arrow']) summary.push(lakeCase(dir, warm, 'dv', d, true))
      const rounds = Number(arg('--rounds') ?? 5)
      if (rounds > 0) summary.push(freshRounds(dir, d.sql, rounds))
    }
    console.log(`SUMMARY merge: ${fmt(ROWS)} rows: ${summary.join('; ')}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (arg('--base') !== undefined) await writeBase(arg('--base'), process.argv.includes('--dv'))
else if (arg('--child') !== undefined) await child(arg('--child'), arg('--root'))
else if (arg('--duck-child') !== undefined) await duckChildMain()
else await main()
