// Scan throughput: reading every row of a table written by lake (8 columns: long, int, double, string,
// boolean, timestamp, date, decimal(18,2); one zstd data file) with `DeltaTable.scan`, against reading
// the same Parquet file with hyparquet alone (`parquetReadObjects`, its default value types) and with
// DuckDB (`read_parquet` into a native table, and into JS values) in the same run. Prints rows/s, the
// median of RUNS runs per reader and the ratios; checks that lake read back every row it wrote.
// Run: npm run build && node --expose-gc bench/scan.bench.mjs   (LAKE_BENCH_ROWS to change the count)
import { DuckDBInstance } from '@duckdb/node-api'
import { parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeltaTable, writeDelta } from '@lake/core'
import { LocalStore } from '@lake/storage'

const ROWS = Number(process.env.LAKE_BENCH_ROWS ?? 500_000)
const RUNS = 3 // per reader; the median is reported
const BASE_SECONDS = 1_700_000_000 // s, epoch of row 0's timestamp
const f = (name, type, nullable = true) => ({ name, type, nullable, metadata: {} })
const p = (name) => ({ kind: 'primitive', name })
const SCHEMA = {
  kind: 'struct',
  fields: [
    f('id', p('long'), false), f('n', p('integer')), f('x', p('double')), f('s', p('string')), f('flag', p('boolean')),
    f('ts', p('timestamp')), f('dt', p('date')), f('amount', { kind: 'decimal', precision: 18, scale: 2 }),
  ],
}

function makeRows(count) {
  const day0 = Date.UTC(2024, 0, 1)
  return Array.from({ length: count }, (_x, i) => ({
    id: i,
    n: i % 10 === 0 ? null : (i * 7) % 100_000,
    x: i * 0.5,
    s: `name-${i % 5000}`,
    flag: i % 3 === 0,
    ts: new Date((BASE_SECONDS + i) * 1000),
    dt: new Date(day0 + (i % 365) * 86_400_000).toISOString().slice(0, 10),
    amount: `${Math.floor((i % 100_000) / 100)}.${String(i % 100).padStart(2, '0')}`,
  }))
}

async function time(fn) {
  const runs = []
  let result
  for (let r = 0; r < RUNS; r++) {
    globalThis.gc?.()
    const start = performance.now()
    result = await fn()
    runs.push((performance.now() - start) / 1000)
  }
  return { seconds: [...runs].sort((a, b) => a - b)[Math.floor(RUNS / 2)], runs, result }
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const dir = mkdtempSync(join(tmpdir(), 'lake-bench-scan-'))
try {
  const store = new LocalStore(join(dir, 'table'))
  await writeDelta(store, makeRows(ROWS), { schema: SCHEMA })
  const table = await DeltaTable.open(store)
  const files = table.files().map((a) => join(store.root, decodeURIComponent(a.path)))
  console.log(`scan benchmark: ${fmt(ROWS)} rows x 8 columns, ${files.length} zstd data file(s) written by lake writeDelta`)

  const lake = await time(async () => {
    let rows = 0
    for await (const batch of table.scan()) rows += batch.length
    return rows
  })
  const hyparquet = await time(async () => {
    let rows = 0
    for (const path of files) {
      const bytes = readFileSync(path)
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
      rows += (await parquetReadObjects({ file: buffer, compressors })).length
    }
    return rows
  })
  const db = await DuckDBInstance.create(':memory:')
  const con = await db.connect()
  await con.run('SET threads = 1')
  const list = `[${files.map((x) => `'${x}'`).join(', ')}]`
  const duckNative = await time(async () => {
    await con.run(`CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM read_parquet(${list})`)
    return Number((await con.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0])
  })
  const duckJs = await time(async () => (await con.runAndReadAll(`SELECT * FROM read_parquet(${list})`)).getRows().length)
  con.closeSync()
  db.closeSync()

  const line = (name, r) =>
    `  ${name.padEnd(34)} ${fmt(r.seconds, 2).padStart(6)}s ${fmt(ROWS / r.seconds).padStart(11)} rows/s  ` +
    `(runs ${r.runs.map((x) => fmt(x, 2)).join(', ')})  ratio lake/this ${fmt(lake.seconds / r.seconds, 1)}x`
  console.log(line('lake DeltaTable.scan', lake))
  console.log(line('hyparquet parquetReadObjects', hyparquet))
  console.log(line('DuckDB read_parquet -> table, 1t', duckNative))
  console.log(line('DuckDB read_parquet -> JS values', duckJs))
  const counts = [lake, hyparquet, duckNative, duckJs].map((r) => r.result)
  if (counts.some((c) => c !== ROWS)) {
    console.log(`  row counts differ: ${counts.join(', ')} (expected ${ROWS})`)
    process.exitCode = 1
  }
  console.log(`  peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB`)
  console.log(
    `SUMMARY scan: ${fmt(ROWS)} rows: lake ${fmt(ROWS / lake.seconds)} rows/s = ${fmt(lake.seconds / hyparquet.seconds, 1)}x hyparquet, ` +
      `${fmt(lake.seconds / duckNative.seconds, 1)}x DuckDB-1t native, ${fmt(lake.seconds / duckJs.seconds, 1)}x DuckDB to JS`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
