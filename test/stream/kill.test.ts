// Exactly-once of `lake stream` under SIGKILL (issue 13): a writer process changes a source while
// `lake stream --interval` copies it to a target and is killed at random points and restarted.
// Appends: ≥10 kills over 50 commits; the target ends with every source row exactly once, and its
// log holds one commit per micro-batch, each with txn(queryId, batchId) for batch ids 0..n-1.
// --change-feed over appends, DELETEs and UPDATEs: the target ends with every change row once.

import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import type { Row } from '@lake/core'
import { lake } from '../cli/cli-harness.js'
import { tempDir } from '../temp-dir.js'
import { committedBatches, killAndRestart, runProcess, txnVersions } from './kill-harness.js'

const APPEND_WRITER = fileURLToPath(new URL('./fixtures/append-writer.mjs', import.meta.url))
const CHANGE_WRITER = fileURLToPath(new URL('./fixtures/change-writer.mjs', import.meta.url))

describe('lake stream exactly once under SIGKILL', () => {
  it('copies every row once across ≥10 kills while a writer appends 50 commits', async () => {
    const appends = 50
    const rows = 4
    const dir = tempDir('lake-stream-kill-')
    const source = join(dir, 'source')
    const target = join(dir, 'target')
    const checkpoint = join(dir, 'ck')
    const created = await lake(['ingest', '-', source], { input: '{"id":0,"s":"seed"}\n' })
    expect(created.code, created.stderr).toBe(0)
    let writing = true
    const writer = runProcess([APPEND_WRITER, source, String(appends), String(rows), '1', '300']).finally(() => (writing = false))
    const kills = await killAndRestart([source, target, '--checkpoint', checkpoint, '--max-files', '2'], 10, () => writing)
    expect((await writer).code).toBe(0)
    expect(kills).toBeGreaterThanOrEqual(10)

    const ids = (await (await DeltaTable.open(target)).toArray()).map((r) => Number(r['id'])).sort((a, b) => a - b)
    expect(ids).toEqual(Array.from({ length: 1 + appends * rows }, (_, i) => i))
    const batches = committedBatches(checkpoint)
    const { commits, txns } = txnVersions(target)
    expect(commits).toBe(batches)
    expect(txns).toEqual(Array.from({ length: batches }, (_, i) => i))
  }, 120_000)

  it('--change-feed copies every change row once across kills while a writer appends, deletes and updates', async () => {
    const dir = tempDir('lake-stream-kill-cdf-')
    const source = join(dir, 'source')
    const target = join(dir, 'target')
    const checkpoint = join(dir, 'ck')
    await DeltaTable.create(source, {
      schema: { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} }, { name: 'v', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} }] },
      configuration: { 'delta.enableChangeDataFeed': 'true' },
    })
    let writing = true
    const writer = runProcess([CHANGE_WRITER, source, '24', '300']).finally(() => (writing = false))
    const kills = await killAndRestart([source, target, '--checkpoint', checkpoint, '--max-files', '2', '--change-feed', '--starting-version', '0'], 6, () => writing)
    const written = await writer
    expect(written.code, written.stderr).toBe(0)
    expect(kills).toBeGreaterThanOrEqual(6)

    const key = (r: Row): string => `${String(r['_change_type'])}|${Number(r['_commit_version'])}|${Number(r['id'])}|${Number(r['v'])}|${String(r['_commit_timestamp'])}`
    const feed = await (await DeltaTable.open(source)).changes({ startingVersion: 0 }).toArray()
    const copied = await (await DeltaTable.open(target)).toArray()
    expect(copied.map(key).sort()).toEqual(feed.map(key).sort())
    expect(new Set(feed.map((r) => r['_change_type']))).toEqual(new Set(['insert', 'delete', 'update_preimage', 'update_postimage']))
    const { commits, txns } = txnVersions(target)
    expect(commits).toBe(txns.length)
    expect(new Set(txns).size).toBe(txns.length)
  }, 120_000)
})
