// examples/ingest.mjs: run after `npm run build` with `node examples/ingest.mjs`
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NdjsonSource, NdjsonDeadLetterSink, runIngestJob } from '@lake/ingest'

const dir = await mkdtemp(join(tmpdir(), 'lake-example-'))
const input = join(dir, 'events.ndjson')
await writeFile(input, '{"id":1,"kind":"click"}\n{"id":2,"kind":"view"}\nnot json\n{"id":3,"kind":"view","country":"DE"}\n')

const job = {
  table: join(dir, 'events'),               // or s3://bucket/events; created by the first batch's commit
  appId: 'events-from-ndjson',              // the job's identity: txn appId + state directory
  source: new NdjsonSource({ path: input }),
  batchLimit: 2,                            // lines per batch (one commit each)
  schemaPolicy: 'evolve',                   // new columns: evolve | freeze | discard
  maxBadRecords: 100,                       // then TooManyBadRecords
  deadLetters: new NdjsonDeadLetterSink(join(dir, 'events.dead.ndjson')),
  onEvent: (e) => { if (e.type === 'batchCommitted') console.log(`batch ${e.batchId}: ${e.rows} rows`) },
}
const result = await runIngestJob(job)
console.log(result.status, result.metrics.rows, 'rows') // metrics: rows, bytes, files, retries, rowsPerSecond, ...
const again = await runIngestJob({ ...job, source: new NdjsonSource({ path: input }) }) // committed batches are skipped
console.log(again.status, again.metrics.rows, 'rows')
await rm(dir, { recursive: true, force: true })
