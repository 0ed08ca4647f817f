// The columnar path (issue 14), all ratios in one run against DuckDB:
// 1. encoders on the same 1M rows: hyparquet-writer (encodeParquet) vs parquet-wasm (encodeParquetWasm,
//    rows -> Arrow columns -> arrow-rs), and parquet-wasm from a ready Arrow batch (encodeArrowBatch);
// 2. writeDelta of a 1M-row Arrow table vs DuckDB `COPY t TO ... (FORMAT parquet, COMPRESSION zstd)`
//    from a DuckDB table, 1 thread and default threads;
// 3. table.toArrow() vs DuckDB reading the same data files (`SELECT * FROM read_parquet([...])`,
//    materialised in DuckDB's columnar result: @duckdb/node-api has no Arrow export), and the row
//    scan (table.toArray()) on the same table.
// writeDelta encodes the table's files on the codec's encoder threads (one file per core for 1M rows);
// CPU is the process's CPU time (all threads) of the best run, a load-independent second measure.
// Run: npm run build && node --expose-gc bench/arrow.bench.mjs   (LAKE_BENCH_ROWS to change the count)
import { DuckDBInstance } from '@duckdb/node-api'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeltaTable, writeDelta } from '@lake/core'
import { encodeArrowBatch, encodeParquet, encodeParquetWasm, rowsToArrowBatch } from '@lake/parquet'
import { LocalStore } from '@lake/storage'
import * as arrow from 'apache-arrow'
import { BASE, makeRows, SCHEMA } from './arrow-data.mjs'

const ROWS = Number(process.env.LAKE_BENCH_ROWS ?? 1_000_000)
const REPS = 2
const DUCK_SQL = `SELECT i AS id, CAST((i * 7) % 100000 AS INTEGER) AS n, i * 0.5 AS x, 'name-' || (i % 5000) AS s, i % 3 = 0 AS flag,
  to_timestamp(${BASE} + i) AS ts, CAST(DATE '2024-01-01' + CAST(i % 365 AS INTEGER) AS DATE) AS dt,
  CAST(CAST(i % 100000 AS DECIMAL(18,0)) / 100 AS DECIMAL(18,2)) AS amount, CASE WHEN i % 10 = 0 THEN NULL ELSE 'note ' || i END AS note
  FROM range(${ROWS}) r(i)`

const cpuSeconds = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}
/** Process CPU seconds (all threads) of the best run of each measurement, by label. */
const cpuOf = new Map()

/** Best of REPS runs of `fn` (seconds); the process CPU time of that run is kept under `label`. */
async function best(fn, label) {
  let min = Infinity
  for (let r = 0; r < REPS; r++) {
    globalThis.gc?.()
    const start = performance.now()
    const cpu = cpuSeconds()
    await fn(r)
    const wall = (performance.now() - start) / 1000
    if (wall < min && label !== undefined) cpuOf.set(label, cpuSeconds() - cpu)
    min = Math.min(min, wall)
  }
  return min
}

const fmt = (s) => `${s.toFixed(2)} s`
const dir = mkdtempSync(join(tmpdir(), 'lake-bench-arrow-'))
try {
  const rows = makeRows(ROWS)
  const batch = rowsToArrowBatch(rows, SCHEMA).batch
  const table = new arrow.Table([batch])
  console.log(`arrow benchmark: ${ROWS.toLocaleString('en-US')} rows x 9 columns, zstd, best of ${REPS}`)
  const db = await DuckDBInstance.create(':memory:')
  const con = await db.connect()
  await con.run("SET TimeZone = 'UTC'")
  await con.run(`CREATE TABLE t AS ${DUCK_SQL}`)
  const duckCopy = async (threads) => {
    await con.run(`SET threads = ${threads}`)
    return best((r) => con.run(`COPY t TO '${join(dir, `duck-${threads}-${r}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`), `duck${threads}`)
  }
  const duck1 = await duckCopy(1)
  const duck2 = await duckCopy(2)
  const duckBest = Math.min(duck1, duck2)
  const hyparquet = await best(() => encodeParquet(rows, SCHEMA))
  const wasmRows = await best(() => encodeParquetWasm(rows, SCHEMA))
  const wasmBatch = await best(() => encodeArrowBatch(batch, SCHEMA), 'encodeArrowBatch')
  const write = await best((r) => writeDelta(new LocalStore(join(dir, `lake-${r}`)), table), 'writeDelta')
  const lake = await DeltaTable.open(new LocalStore(join(dir, 'lake-0')))
  const files = lake.files().map((a) => `'${join(dir, 'lake-0', a.path)}'`).join(', ')
  await con.run('RESET threads')
  const duckRead = await best(() => con.runAndReadAll(`SELECT * FROM read_parquet([${files}])`))
  const toArrow = await best(() => lake.toArrow())
  const rowScan = await best(() => lake.toArray())
  console.log(`  DuckDB COPY zstd: 1 thread ${fmt(duck1)} (CPU ${fmt(cpuOf.get('duck1'))}), 2 threads ${fmt(duck2)} (CPU ${fmt(cpuOf.get('duck2'))})`)
  console.log(`  encodeParquet (hyparquet-writer) from rows     ${fmt(hyparquet)} = ${(hyparquet / duck1).toFixed(1)}x DuckDB-1t`)
  console.log(`  encodeParquetWasm (parquet-wasm) from rows     ${fmt(wasmRows)} = ${(wasmRows / duck1).toFixed(1)}x DuckDB-1t`)
  console.log(`  encodeArrowBatch (parquet-wasm) from Arrow     ${fmt(wasmBatch)} = ${(wasmBatch / duck1).toFixed(1)}x DuckDB-1t (CPU ${fmt(cpuOf.get('encodeArrowBatch'))})`)
  console.log(`  writeDelta(Arrow table)                        ${fmt(write)} = ${(write / duckBest).toFixed(2)}x DuckDB best (${(write / duck1).toFixed(1)}x 1t; CPU ${fmt(cpuOf.get('writeDelta'))} on ${lake.files().length} files, ${(lake.files().reduce((n, f) => n + f.size, 0) / 1e6).toFixed(1)} MB)`)
  console.log(`  DuckDB read_parquet -> result (default threads) ${fmt(duckRead)}`)
  console.log(`  table.toArrow()                                ${fmt(toArrow)} = ${(toArrow / duckRead).toFixed(1)}x DuckDB`)
  console.log(`  table.toArray() (row scan)                     ${fmt(rowScan)} = ${(rowScan / duckRead).toFixed(1)}x DuckDB`)
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`)
  con.closeSync()
  db.closeSync()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
