// One chunk of `lake ingest` NDJSON (the shape of bench/ingest-cli.bench.mjs: id, name, amount,
// active, day; 100,000 rows by default) through `encodeLines` in this thread, as an encoder worker
// runs it: parse + column builders + Arrow + parquet-wasm + page CRCs. Prints the CPU milliseconds of
// each of RUNS runs (after WARMUP) and the best and median. Profile with `node --cpu-prof`.
// Run: node bench/ingest-chunk.bench.mjs after npm run build. INGEST_DIST=<dir of packages/ingest/dist>
// measures another build; SPLIT=1 prints each run's user and system CPU.
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROWS = Number(process.env.ROWS ?? 100_000)
const RUNS = Number(process.env.RUNS ?? 10)
const WARMUP = Number(process.env.WARMUP ?? 3)
const dist = process.env.INGEST_DIST ?? fileURLToPath(new URL('../packages/ingest/dist/', import.meta.url))
const { encodeLines, NdjsonSource } = await import(pathToFileURL(`${dist}/index.js`).href)

function text(rows) {
  const lines = new Array(rows)
  for (let i = 0; i < rows; i++) {
    lines[i] = JSON.stringify({ id: i, name: `customer-${i % 50_000}`, amount: (i % 10_000) / 100, active: i % 3 === 0, day: `2024-01-${String((i % 28) + 1).padStart(2, '0')}` })
  }
  return `${lines.join('\n')}\n`
}

const input = Buffer.from(text(ROWS))
const source = new NdjsonSource({ open: async function* () { yield input }, id: 'bench' })
const schema = await source.schema()
const task = () => {
  const bytes = new Uint8Array(input.length)
  bytes.set(input)
  return { kind: 'lines', bytes, firstLine: 1, firstRow: 0, atStart: true, schema, partitionColumns: [], compression: 'zstd' }
}

const times = []
for (let run = 0; run < WARMUP + RUNS; run++) {
  const t = task()
  const cpu = process.cpuUsage()
  const result = encodeLines(t)
  const used = process.cpuUsage(cpu)
  if (result.status !== 'encoded' || result.files[0].numRecords !== ROWS) throw new Error(`unexpected result ${JSON.stringify(result).slice(0, 300)}`)
  if (run >= WARMUP) times.push((used.user + used.system) / 1000)
  if (process.env.SPLIT) console.log("user", used.user / 1000, "sys", used.system / 1000)
}
times.sort((a, b) => a - b)
console.log(`schema ${schema.fields.map((f) => `${f.name}:${f.type.name ?? f.type.kind}`).join(', ')}; ${ROWS.toLocaleString('en')} rows, ${(input.length / 1e6).toFixed(1)} MB`)
console.log(`encodeLines CPU ms: best ${times[0].toFixed(1)}, median ${times[Math.floor(times.length / 2)].toFixed(1)} (runs ${times.map((t) => t.toFixed(0)).join(' ')})`)
