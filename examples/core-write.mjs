// examples/core-write.mjs: run after `npm run build` with `node examples/core-write.mjs`
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeltaTable, writeDelta } from '@lake/core'

const dir = await mkdtemp(join(tmpdir(), 'lake-example-'))
const uri = join(dir, 'orders')
const schema = { kind: 'struct', fields: [
  { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
  { name: 'day', type: { kind: 'primitive', name: 'date' }, nullable: false, metadata: {} },
  { name: 'total', type: { kind: 'decimal', precision: 12, scale: 2 }, nullable: true, metadata: {} },
] }
await writeDelta(uri, [{ id: 1n, day: '2024-01-01', total: '10.50' }], { mode: 'overwrite', schema, partitionBy: ['day'] })
await writeDelta(uri, [{ id: 2n, day: '2024-01-02', total: '3.00' }], { mode: 'append', txn: { appId: 'orders-job', version: 1 } })
await writeDelta(uri, [{ id: 2n, day: '2024-01-02', total: '3.00' }], { mode: 'append', txn: { appId: 'orders-job', version: 1 } }) // skipped: already in
const table = await DeltaTable.open(uri)
console.log(table.version, await table.toArray({ filter: "day >= DATE '2024-01-02'" }))
console.log(await table.optimize(), await table.vacuum()) // vacuum is a dry run unless { dryRun: false }
console.log((await table.refresh()).details()) // methods that commit leave `table` as it was
await rm(dir, { recursive: true, force: true })
