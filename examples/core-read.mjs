// examples/core-read.mjs: run after `npm run build` with `node examples/core-read.mjs [table]`
// (by default one of the repository's golden tables, written by Spark)
import { fileURLToPath } from 'node:url'
import { openStore } from '@lake/storage'
import { createEngine, loadSnapshot, readHistory } from '@lake/core'

const table = process.argv[2] ?? fileURLToPath(new URL('../fixtures/golden/basic-with-inserts-deletes-checkpoint', import.meta.url))
const engine = createEngine(await openStore(table))
const snapshot = await loadSnapshot(engine) // or { version: 3 } or { timestamp: '2024-05-01T00:00:00Z' }

console.log('version', snapshot.version, 'protocol', snapshot.protocol)
console.log('columns', snapshot.schema.fields.map((f) => `${f.name}: ${f.type.kind === 'primitive' ? f.type.name : f.type.kind}`))
console.log('partitioned by', snapshot.partitionColumns, 'column mapping', snapshot.columnMappingMode)
for (const file of snapshot.files()) console.log(file.path, file.size, file.deletionVector ? 'with DV' : '')
for (const entry of await readHistory(engine, { limit: 5 })) console.log(entry.version, entry.operation)
