// examples/core-read.mjs: run after `npm run build` with `node examples/core-read.mjs [table]`
// (by default one of the repository's golden tables, written by Spark)
import { fileURLToPath } from 'node:url'
import { DeltaTable } from '@lake/core'

const uri = process.argv[2] ?? fileURLToPath(new URL('../fixtures/golden/basic-with-inserts-deletes-checkpoint', import.meta.url))
const table = await DeltaTable.open(uri) // or { version: 3 } or { timestamp: '2024-05-01T00:00:00Z' }

console.log('version', table.version, 'protocol', table.protocol)
console.log('columns', table.schema.fields.map((f) => `${f.name}: ${f.type.kind === 'primitive' ? f.type.name : f.type.kind}`))
console.log('partitioned by', table.partitionColumns, 'column mapping', table.snapshot.columnMappingMode)
const { numFiles, numRecords, sizeInBytes } = table.details()
console.log(numFiles, 'files', numRecords, 'rows', sizeInBytes, 'bytes')
for (const file of table.files()) console.log(file.path, file.size, file.deletionVector ? 'with DV' : '')
for (const entry of await table.history({ limit: 5 })) console.log(entry.version, entry.operation)
