// The DuckDB yardstick of the ingest benchmarks: `COPY (SELECT * FROM <reader>('file')) TO parquet (zstd)`
// on a fresh in-memory instance (created before the clock starts), wall and CPU milliseconds.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'

/** Times DuckDB's `reader` ('read_json', 'read_csv') of `file` copied to a Parquet file in `dir` (deleted after); `threads` undefined = DuckDB's default. */
export async function duckdbCopy(reader, file, dir, threads) {
  const instance = await DuckDBInstance.create(':memory:', threads === undefined ? {} : { threads: String(threads) })
  const connection = await instance.connect()
  const started = performance.now()
  const cpu = process.cpuUsage()
  await connection.run(`COPY (SELECT * FROM ${reader}('${file}')) TO '${join(dir, 'duck.parquet')}' (FORMAT parquet, COMPRESSION zstd)`)
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  connection.closeSync()
  rmSync(join(dir, 'duck.parquet'), { force: true })
  return { ms, cpu: (used.user + used.system) / 1000 }
}
