// Memory of row-level changes against the table's size (issue 12 "Memory": peak memory must not grow
// with the table's size). Tables of SIZES rows (default 250,000, 1,000,000 and 2,000,000) in files of
// 10,000 rows each (25, 100 and 200 files), unpartitioned, ids in file order, the columns of
// bench/merge.bench.mjs (`id` long, `p` int, 6 value columns). On every size, each case on a fresh
// copy of the table, in a child process of its own (peak RSS = `process.resourceUsage().maxRSS` of
// that child):
//   merge-dv / merge-cow: the same MERGE at every size, 100,000 source rows on `target.id = source.id`,
//     updateAll + insertAll: 50,000 update every other row of files 0..9 (present at every size),
//     50,000 are new ids; with deletion vectors (delta.enableDeletionVectors=true) and without.
//   delete-dv / delete-cow: DELETE WHERE id % 100 = 7 (1 % of the rows, in every file).
// Each child also reports its RSS after opening the table (node, the snapshot, and for MERGE the
// generated source rows) and the operation's metrics; the bench checks the row counts in them.
// Prints peak RSS per size per case and the ratio of each size's peak to the smallest size's.
// Run: npm run build && node bench/merge-memory.bench.mjs [--sizes 250000,1000000,2000000]
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DeltaTable, writeDelta } from '@lake/core'
import { LocalStore } from '@lake/storage'

const PER_FILE = 10_000
const UPDATE_FILES = 10
const HALF = 50_000
const NEW_IDS = 1_000_000_000
const DELETE_PREDICATE = 'id % 100 = 7'
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
const mb = (kb) => fmt(kb / 1024)
const arg = (name) => {
  const i = process.argv.indexOf(name)
  return i < 0 ? undefined : process.argv[i + 1]
}

/** Row `id` of the table (gen 0) or of the MERGE source (gen 1: every value column differs). */
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

/** The MERGE source, the same at every size: every other row of files 0..9, then 50,000 new ids. */
function sourceRows() {
  const perFile = HALF / UPDATE_FILES
  const out = []
  for (let k = 0; k < UPDATE_FILES; k++) for (let j = 0; j < perFile; j++) out.push(row(k * PER_FILE + 2 * j, 1))
  for (let j = 0; j < HALF; j++) out.push(row(NEW_IDS + j, 1))
  return out
}

function* baseRows(size) {
  for (let i = 0; i < size; i++) yield row(i, 0)
}

async function writeBase(root, size, dv) {
  const configuration = dv ? { 'delta.enableDeletionVectors': 'true' } : {}
  await writeDelta(new LocalStore(root), baseRows(size), { schema: SCHEMA, maxRowsPerFile: PER_FILE, configuration, compression: 'zstd' })
  const files = (await DeltaTable.open(new LocalStore(root))).files().length
  if (files !== size / PER_FILE) throw new Error(`expected ${size / PER_FILE} files in the base table, found ${files}`)
}

/** A child process: run one case on the table at `root`, print one JSON line. */
async function child(kind, root) {
  const table = await DeltaTable.open(new LocalStore(root))
  const source = kind === 'merge' ? sourceRows() : undefined
  globalThis.gc?.()
  const rssOpen = process.memoryUsage().rss
  const start = performance.now()
  const result = kind === 'merge'
    ? await table.merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    : await table.delete(DELETE_PREDICATE)
  const seconds = (performance.now() - start) / 1000
  console.log(JSON.stringify({ seconds, maxRSS: process.resourceUsage().maxRSS, rssOpenKb: rssOpen / 1024, metrics: result.metrics }))
}

function runChild(kind, root) {
  const script = fileURLToPath(import.meta.url)
  const r = spawnSync(process.execPath, ['--expose-gc', script, '--child', kind, '--root', root], { encoding: 'utf8', maxBuffer: 64 << 20 })
  if (r.status !== 0) throw new Error(`case ${kind} on ${root} failed (exit ${r.status}):\n${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').at(-1))
}

/** Whether the metrics show the expected rows changed (the same MERGE at every size; 1 % deleted). */
function checked(kind, size, m) {
  if (kind === 'merge') return m.numTargetRowsUpdated === HALF && m.numTargetRowsInserted === HALF
  return m.numDeletedRows === size / 100
}

function runCase(dir, size, kind, mode) {
  const root = join(dir, `${kind}-${mode}-${size}`)
  cpSync(join(dir, `base-${mode}-${size}`), root, { recursive: true })
  try {
    const r = runChild(kind, root)
    const ok = checked(kind, size, r.metrics)
    if (!ok) process.exitCode = 1
    const m = r.metrics
    console.log(
      `  ${`${kind}-${mode}`.padEnd(11)} ${fmt(size).padStart(9)} rows: peak RSS ${mb(r.maxRSS).padStart(5)} MB (after open ${mb(r.rssOpenKb)} MB),` +
        ` ${fmt(r.seconds, 2)}s, files +${m.numTargetFilesAdded ?? m.numAddedFiles} -${m.numTargetFilesRemoved ?? m.numRemovedFiles},` +
        ` DVs +${m.numTargetDeletionVectorsAdded ?? m.numDeletionVectorsAdded ?? 0}; rows ${ok ? 'as expected' : 'NOT AS EXPECTED'}`,
    )
    return r
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

async function main() {
  const sizes = (arg('--sizes') ?? '250000,1000000,2000000').split(',').map(Number)
  if (sizes.some((s) => !Number.isInteger(s) || s < UPDATE_FILES * PER_FILE || s % PER_FILE !== 0)) {
    console.error(`--sizes: expected multiples of ${fmt(PER_FILE)} of at least ${fmt(UPDATE_FILES * PER_FILE)}, found ${arg('--sizes')}`)
    process.exit(2)
  }
  const dir = mkdtempSync(join(tmpdir(), 'lake-bench-merge-memory-'))
  try {
    console.log(`merge memory benchmark: tables of ${sizes.map((s) => fmt(s)).join(' / ')} rows in files of ${fmt(PER_FILE)} rows; MERGE of ${fmt(2 * HALF)} source rows, DELETE WHERE ${DELETE_PREDICATE}`)
    const peaks = {}
    for (const size of sizes) {
      const t = performance.now()
      for (const mode of ['dv', 'cow']) await writeBase(join(dir, `base-${mode}-${size}`), size, mode === 'dv')
      console.log(`${fmt(size)} rows (${size / PER_FILE} files; base tables written in ${fmt((performance.now() - t) / 1000, 1)}s, untimed):`)
      for (const kind of ['merge', 'delete']) {
        for (const mode of ['dv', 'cow']) (peaks[`${kind}-${mode}`] ??= []).push(runCase(dir, size, kind, mode).maxRSS)
      }
      for (const mode of ['dv', 'cow']) rmSync(join(dir, `base-${mode}-${size}`), { recursive: true, force: true })
    }
    const line = Object.entries(peaks).map(([name, kb]) => `${name} ${kb.map(mb).join(' / ')} MB (x${kb.map((k) => fmt(k / kb[0], 2)).join(' / x')})`)
    console.log(`SUMMARY merge-memory: peak RSS at ${sizes.map((s) => fmt(s)).join(' / ')} rows (ratio to the smallest): ${line.join('; ')}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (arg('--child') !== undefined) await child(arg('--child'), arg('--root'))
else await main()
