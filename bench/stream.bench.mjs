// Table streams (issue 13): rows/s of `lake stream --available-now` copying a 1,000,000-row,
// 100-file source into a new table, against the same copy done by `lake read | lake ingest` (the
// yardstick, same run); the per-batch overhead of the checkpoint bookkeeping (offsets/ and commits/
// with put-if-absent, metadata) from iterating 100 one-file batches with and without a checkpoint,
// rows not read, and with minBatchesToRetain 10 for the purge; `lake stream --change-feed` over the
// same source; and `lake stream --max-files 1` (100 target commits) for the cost of a batch in all.
// Run: npm run bench -- stream   (or: node bench/stream.bench.mjs [--quick] after npm run build)
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DeltaTable } from '@lake/core'
import { appendRows } from '@lake/ingest'

const ROWS = 1_000_000
const FILES = 100
/** `--quick`: only the bookkeeping, purge and change-feed measurements (no stream/pipe rounds). */
const QUICK = process.argv.includes('--quick')
const BIN = fileURLToPath(new URL('../packages/cli/bin/lake.js', import.meta.url))

function makeRows() {
  const rows = new Array(ROWS)
  for (let i = 0; i < ROWS; i++) {
    rows[i] = { id: i, name: `customer-${i % 50_000}`, amount: (i % 10_000) / 100, active: i % 3 === 0, day: `2024-01-${String((i % 28) + 1).padStart(2, '0')}` }
  }
  return rows
}

function sh(command) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d.toString()))
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command}: exit ${code}: ${stderr}`))))
  })
}

async function countRows(uri) {
  const table = await DeltaTable.open(uri)
  let n = 0
  for await (const batch of table.scan({ columns: ['id'] })) n += batch.length
  return n
}

async function iterate(source, checkpoint, options = {}) {
  const table = await DeltaTable.open(source)
  const started = performance.now()
  let batches = 0
  for await (const batch of table.stream({ maxFilesPerTrigger: 1, ...options, ...(checkpoint === undefined ? {} : { checkpoint }) })) batches += batch.files.length > 0 ? 1 : 0
  return { ms: performance.now() - started, batches }
}

const dir = mkdtempSync(join(tmpdir(), 'lake-bench-stream-'))
try {
  const source = join(dir, 'source')
  const made = await appendRows(source, makeRows(), { chunkRows: ROWS / FILES, encoders: Math.min(2, availableParallelism()) })
  console.log(`source: ${made.metrics.rows} rows in ${made.metrics.files} files, ${(made.metrics.bytes / 1e6).toFixed(1)} MB; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  const q = (p) => JSON.stringify(p)
  const results = []
  for (let round = 0; round < (QUICK ? 0 : 2); round++) {
    const stream = await sh(`node ${q(BIN)} stream ${q(source)} ${q(join(dir, `s${round}`))} --checkpoint ${q(join(dir, `ck${round}`))} --available-now`)
    const pipe = await sh(`node ${q(BIN)} read ${q(source)} --format ndjson | node ${q(BIN)} ingest - ${q(join(dir, `p${round}`))}`)
    for (const t of [`s${round}`, `p${round}`]) if ((await countRows(join(dir, t))) !== ROWS) throw new Error(`${t}: expected ${ROWS} rows`)
    results.push({ stream, pipe })
    console.log(`round ${round}: lake stream --available-now ${(stream / 1000).toFixed(2)} s (${Math.round(ROWS / (stream / 1000))} rows/s); lake read | lake ingest ${(pipe / 1000).toFixed(2)} s (${Math.round(ROWS / (pipe / 1000))} rows/s); ratio ${(pipe / stream).toFixed(2)}x`)
  }
  const without = await iterate(source, undefined)
  const withCk = await iterate(source, join(dir, 'ck-iter'))
  console.log(`100 one-file batches, rows not read: ${without.ms.toFixed(0)} ms without a checkpoint, ${withCk.ms.toFixed(0)} ms with one: bookkeeping ${((withCk.ms - without.ms) / withCk.batches).toFixed(1)} ms per batch`)
  const purged = await iterate(source, join(dir, 'ck-purge'), { minBatchesToRetain: 10 })
  console.log(`the same with minBatchesToRetain 10 (90 batches purge the entries of one): ${purged.ms.toFixed(0)} ms: purge ${((purged.ms - withCk.ms) / 90).toFixed(1)} ms per batch`)
  const feed = await sh(`node ${q(BIN)} stream ${q(source)} ${q(join(dir, 'feed'))} --checkpoint ${q(join(dir, 'ck-feed'))} --available-now --change-feed`)
  if ((await countRows(join(dir, 'feed'))) !== ROWS) throw new Error(`feed: expected ${ROWS} rows`)
  console.log(`lake stream --available-now --change-feed (the snapshot as inserts, 3 more columns): ${(feed / 1000).toFixed(2)} s (${Math.round(ROWS / (feed / 1000))} rows/s)`)
  if (!QUICK) {
    const perFile = await sh(`node ${q(BIN)} stream ${q(source)} ${q(join(dir, 'one'))} --checkpoint ${q(join(dir, 'ck-one'))} --max-files 1`)
    const best = Math.min(...results.map((r) => r.stream))
    console.log(`lake stream --max-files 1 (100 batches, 100 target commits): ${(perFile / 1000).toFixed(2)} s: ${((perFile - best) / 99).toFixed(0)} ms per extra batch in all`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
