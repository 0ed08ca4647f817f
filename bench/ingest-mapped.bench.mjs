// appendNdjson into a column-mapped table (delta.columnMapping.mode=name: the row encoder writes
// physical names and field ids) against an unmapped one (Arrow column builders): CPU time of one
// append of N NDJSON rows with the inline encoder, in alternating pairs; prints the ratio.
// Run: node bench/ingest-mapped.bench.mjs [rows=200000] [pairs=2]   (after npm run build)
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeltaTable } from '@lake/core'
import { appendNdjson } from '@lake/ingest'

const ROWS = Number(process.argv[2] ?? 200_000)
const PAIRS = Number(process.argv[3] ?? 2)
const f = (name, type) => ({ name, type: { kind: 'primitive', name: type }, nullable: true, metadata: {} })
const schema = { kind: 'struct', fields: [f('id', 'long'), f('name', 'string'), f('x', 'double'), f('day', 'date')] }
const text = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ id: i, name: `n${i % 1000}`, x: i / 7, day: '2024-05-01' })).join('\n') + '\n'
const bytes = new TextEncoder().encode(text)

async function once(mapped) {
  const dir = mkdtempSync(join(tmpdir(), 'lake-bench-mapped-'))
  try {
    await DeltaTable.create(join(dir, 't'), { schema, configuration: mapped ? { 'delta.columnMapping.mode': 'name' } : {} })
    const c0 = process.cpuUsage()
    await appendNdjson(join(dir, 't'), (async function* () { yield bytes })(), { encoders: 0 })
    const c = process.cpuUsage(c0)
    return (c.user + c.system) / 1000
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const plain = []
const mapped = []
for (let i = 0; i < PAIRS; i++) {
  plain.push(await once(false))
  mapped.push(await once(true))
}
const min = (xs) => Math.min(...xs)
console.log(`rows ${ROWS}, load ${loadavg()[0].toFixed(1)}: unmapped CPU ${plain.map(Math.round).join('/')} ms, mapped ${mapped.map(Math.round).join('/')} ms`)
console.log(`mapped/unmapped CPU (best of ${PAIRS}): ${(min(mapped) / min(plain)).toFixed(2)}x`)
