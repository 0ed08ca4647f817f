// examples/readme.mjs: run after `npm run build` with `node examples/readme.mjs`
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeltaTable, writeDelta } from '@lake/core'
import '@lake/storage-s3' // only for s3:// URIs

const dir = await mkdtemp(join(tmpdir(), 'lake-example-'))
const events = join(dir, 'events') // or 'file:///…', 's3://bucket/prefix'
const schema = { kind: 'struct', fields: [
  { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
  { name: 'date', type: { kind: 'primitive', name: 'date' }, nullable: false, metadata: {} },
  { name: 'amount', type: { kind: 'decimal', precision: 10, scale: 2 }, nullable: true, metadata: {} },
] }

await writeDelta(events, [{ id: 1n, date: '2024-01-01', amount: '9.90' }], { schema, partitionBy: ['date'] })
await writeDelta(events, [{ id: 2n, date: '2024-01-02', amount: '1.00', note: 'new column' }], { mode: 'append', schemaMode: 'merge' })
await writeDelta(events, [{ id: 3n, date: '2024-01-01', amount: '5.00' }], { mode: 'overwrite', replaceWhere: "date = '2024-01-01'" })

const v0 = await DeltaTable.open(events, { version: 0 }) // or { timestamp: '2024-05-01T00:00:00Z' }
for await (const batch of v0.scan({ columns: ['id', 'amount'], filter: 'amount > 1' })) console.log(batch)
const latest = await DeltaTable.open(events)
console.log(await latest.toArray())
console.log((await latest.history({ limit: 5 })).map((entry) => `${entry.version} ${entry.operation}`))
await rm(dir, { recursive: true, force: true })
