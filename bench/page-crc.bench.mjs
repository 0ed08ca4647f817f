// What page CRCs cost, measured directly (whole-bench times on this shared machine are noise-dominated):
// 1. the columnar write: parquet-wasm's writeParquet of the 1M-row Arrow batch (encodeArrowBatch's
//    writer properties) vs addPageCrcs of its output;
// 2. the row write: encodeParquet (hyparquet-writer) of the same rows vs addPageCrcs of its output;
// 3. the Arrow read: parquet-wasm's readParquet of the file vs checkPageCrcs before it.
// Best of REPS per line (wall and CPU time), all in one process. Run: npm run build && node --expose-gc bench/page-crc.bench.mjs
import { parquetMetadata } from 'hyparquet'
import * as arrow from 'apache-arrow'
import { encodeParquet, rowsToArrowBatch } from '@lake/parquet'
import { parquetWasm } from '../packages/parquet/dist/arrow/wasm-writer.js'
import { addPageCrcs } from '../packages/parquet/dist/page-crc/add-page-crcs.js'
import { checkPageCrcs } from '../packages/parquet/dist/page-crc/page-crc.js'
import { makeRows, SCHEMA } from './arrow-data.mjs'

const ROWS = Number(process.env.LAKE_BENCH_ROWS ?? 1_000_000)
const REPS = 5
const WARMUP = 3

/**
 * Best of REPS runs of `fn` after WARMUP unmeasured ones (a process writing files calls these again and
 * again; the first calls run cold code): wall and CPU (user + system) milliseconds, each the minimum
 * over the runs, and the last result. On a loaded machine the CPU time is the steadier measure.
 */
function best(fn, reps = REPS, warmup = WARMUP) {
  for (let r = 0; r < warmup; r++) fn()
  let wall = Infinity
  let cpu = Infinity
  let result
  for (let r = 0; r < reps; r++) {
    globalThis.gc?.()
    const start = performance.now()
    const usage = process.cpuUsage()
    result = fn()
    const used = process.cpuUsage(usage)
    cpu = Math.min(cpu, (used.user + used.system) / 1000)
    wall = Math.min(wall, performance.now() - start)
  }
  return { wall, cpu, result }
}

/** encodeArrowBatch's parquet-wasm call without the CRCs (see packages/parquet/src/arrow/wasm-writer.ts). */
function wasmWrite(ipc) {
  const wasm = parquetWasm()
  const properties = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.ZSTD).setMaxRowGroupSize(128 * 1024).setDictionaryEnabled(false).build()
  return wasm.writeParquet(wasm.Table.fromIPCStream(ipc), properties)
}

const line = (what, base, extra) => {
  const pct = (key) => ((100 * extra[key]) / base[key]).toFixed(1)
  console.log(`  ${what.padEnd(44)} wall ${base.wall.toFixed(1)} ms + CRCs ${extra.wall.toFixed(1)} ms = ${pct('wall')}%;` +
    ` CPU ${base.cpu.toFixed(1)} ms + ${extra.cpu.toFixed(1)} ms = ${pct('cpu')}%`)
}

const rows = makeRows(ROWS)
const batch = rowsToArrowBatch(rows, SCHEMA).batch
const ipc = arrow.tableToIPC(new arrow.Table([batch]), 'stream')
console.log(`page CRC cost: ${ROWS.toLocaleString('en-US')} rows x 9 columns, zstd, best of ${REPS} after ${WARMUP} warm-up runs`)
const wasm = best(() => wasmWrite(ipc))
const wasmCrc = best(() => addPageCrcs(wasm.result))
const file = wasmCrc.result
console.log(`  parquet-wasm file: ${(file.length / 1e6).toFixed(1)} MB (${file.length - wasm.result.length} bytes of CRC fields)`)
line('write: parquet-wasm writeParquet', wasm, wasmCrc)
const rowsWrite = best(() => encodeParquet(rows, SCHEMA), 1, 0)
line('write: encodeParquet (rows, incl. its CRCs)', rowsWrite, best(() => addPageCrcs(rowsWrite.result.bytes)))
const metadata = parquetMetadata(file.slice().buffer)
const decode = best(() => parquetWasm().readParquet(file).intoIPCStream())
line('read: parquet-wasm readParquet', decode, best(() => checkPageCrcs(file, metadata)))
