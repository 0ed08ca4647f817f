// examples/core-stream.mjs: run after `npm run build` with `node examples/core-stream.mjs`
// A table as a stream: a copy that picks up only new commits, exactly once, and the change data feed
// as a stream (Spark's readStream with readChangeFeed).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeltaTable, streamTable } from '@lake/core'

const dir = mkdtempSync(join(tmpdir(), 'lake-stream-example-'))
try {
  const events = join(dir, 'events')
  const schema = { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} }] }
  await DeltaTable.create(events, { schema, configuration: { 'delta.enableChangeDataFeed': 'true' } })
  await (await DeltaTable.open(events)).write([{ id: 1n }, { id: 2n }]) // version 1

  // One target commit per micro-batch; progress lives in the checkpoint, so a rerun copies only what is new.
  const copy = () => streamTable(events, { checkpoint: join(dir, 'copy-checkpoint') }).then((s) => s.writeTo(join(dir, 'copy')))
  console.log('first run', await copy())
  await (await DeltaTable.open(events)).write([{ id: 3n }]) // version 2
  console.log('second run', await copy())

  // The change data feed, batch by batch: every change with _change_type, _commit_version, _commit_timestamp.
  await (await DeltaTable.open(events)).delete('id = 1') // version 3
  const feed = (await DeltaTable.open(events)).stream({ readChangeFeed: true, startingVersion: 1, columns: ['id', '_change_type', '_commit_version'], maxFilesPerTrigger: 2 })
  for await (const batch of feed) console.log('batch', batch.batchId, await batch.toArray())
} finally {
  rmSync(dir, { recursive: true, force: true })
}
