// `lake stream` and `lake tail` end to end (spawned binary): non-append commits in the source,
// independent streams, one checkpoint shared by two processes, tail's Ctrl-C, usage errors.

import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { BIN, lake } from '../cli/cli-harness.js'
import { tempDir } from '../temp-dir.js'

const lines = (from: number, n: number): string => Array.from({ length: n }, (_, i) => JSON.stringify({ id: from + i, s: `r${from + i}` })).join('\n') + '\n'

/** A source table with `commits` appends of 2 rows (ids 0..2*commits-1), versions 0..commits-1. */
async function source(dir: string, commits: number): Promise<string> {
  const uri = join(dir, 'source')
  for (let i = 0; i < commits; i++) {
    const r = await lake(['ingest', '-', uri], { input: lines(i * 2, 2) })
    expect(r.code, r.stderr).toBe(0)
  }
  return uri
}

async function ids(uri: string): Promise<number[]> {
  return (await (await DeltaTable.open(uri)).toArray()).map((r) => Number(r['id'])).sort((a, b) => a - b)
}

describe('lake stream', () => {
  it('stops at a DELETE with an error naming the version; --skip-change-commits goes on', async () => {
    const dir = tempDir('lake-stream-cli-')
    const src = await source(dir, 2)
    expect((await lake(['delete', src, '--where', 'id = 0'])).code).toBe(0) // v2
    await lake(['ingest', '-', src], { input: lines(10, 1) }) // v3
    const stopped = await lake(['stream', src, join(dir, 't1'), '--checkpoint', join(dir, 'ck1'), '--starting-version', '1'])
    expect(stopped.code).toBe(1)
    expect(stopped.stderr).toMatch(/source commit 2 \(DELETE\)/)
    const skipped = await lake(['stream', src, join(dir, 't2'), '--checkpoint', join(dir, 'ck2'), '--starting-version', '1', '--skip-change-commits'])
    expect(skipped.code, skipped.stderr).toBe(0)
    expect(await ids(join(dir, 't2'))).toEqual([2, 3, 10])
    const changed = await lake(['stream', src, join(dir, 't3'), '--checkpoint', join(dir, 'ck3'), '--starting-version', '0', '--ignore-changes'])
    expect(changed.code, changed.stderr).toBe(0)
    expect(await ids(join(dir, 't3'))).toEqual([0, 1, 1, 2, 3, 10]) // row 1 re-emitted with its rewritten file: a duplicate, as in Spark
  })

  it('two streams from one source into two targets progress independently', async () => {
    const dir = tempDir('lake-stream-cli-')
    const src = await source(dir, 2)
    const run = (n: number): Promise<{ code: number; stderr: string }> => lake(['stream', src, join(dir, `t${n}`), '--checkpoint', join(dir, `ck${n}`), '--max-files', '1'])
    expect((await run(1)).code).toBe(0)
    await lake(['ingest', '-', src], { input: lines(4, 2) })
    expect((await run(2)).code).toBe(0)
    expect((await run(1)).stderr).toMatch(/^batch 2: version 2, 1 files, 2 rows/m)
    expect(await ids(join(dir, 't1'))).toEqual([0, 1, 2, 3, 4, 5])
    expect(await ids(join(dir, 't2'))).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('one checkpoint used by two processes at once commits each batch once', async () => {
    const dir = tempDir('lake-stream-cli-')
    const src = await source(dir, 6)
    const args = ['stream', src, join(dir, 't'), '--checkpoint', join(dir, 'ck'), '--max-files', '1']
    const [a, b] = await Promise.all([lake(args), lake(args)])
    for (const r of [a, b]) expect([0, 4], r.stderr).toContain(r.code) // the loser of a batch race stops with exit 4
    const finish = await lake(args)
    expect(finish.code, finish.stderr).toBe(0)
    expect(await ids(join(dir, 't'))).toEqual(Array.from({ length: 12 }, (_, i) => i))
    const commits = readdirSync(join(dir, 'ck', 'commits')).filter((n) => /^\d+$/.test(n))
    expect(commits.length).toBe(6)
    expect((await (await DeltaTable.open(join(dir, 't'))).history()).length).toBe(6)
  })

  it('refuses a checkpoint of another source, and usage errors exit 2', async () => {
    const dir = tempDir('lake-stream-cli-')
    const src = await source(dir, 1)
    expect((await lake(['stream', src, join(dir, 't'), '--checkpoint', join(dir, 'ck')])).code).toBe(0)
    const other = await source(join(dir, 'o'), 1)
    const refused = await lake(['stream', other, join(dir, 't'), '--checkpoint', join(dir, 'ck')])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/belongs to a stream of table id/)
    expect((await lake(['stream', src, join(dir, 't')])).code).toBe(2)
    expect((await lake(['stream', src, join(dir, 't'), '--checkpoint', join(dir, 'ck'), '--interval', 'soon'])).code).toBe(2)
    const cdf = await lake(['stream', src, join(dir, 't'), '--checkpoint', join(dir, 'ck'), '--change-feed', '--skip-change-commits'])
    expect(cdf.code).toBe(2)
    expect(cdf.stderr).toMatch(/readChangeFeed: expected no skipChangeCommits/)
  })

  it('--change-feed copies the change rows with _change_type, _commit_version and _commit_timestamp', async () => {
    const dir = tempDir('lake-stream-cli-')
    const src = join(dir, 'source')
    await DeltaTable.create(src, { schema: { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} }] }, configuration: { 'delta.enableChangeDataFeed': 'true' } })
    await lake(['ingest', '-', src], { input: '{"id":1}\n{"id":2}\n' }) // v1
    const args = ['stream', src, join(dir, 't'), '--checkpoint', join(dir, 'ck'), '--change-feed', '--starting-version', '1']
    expect((await lake(args)).code).toBe(0)
    expect((await lake(['delete', src, '--where', 'id = 1'])).code).toBe(0) // v2
    const second = await lake(args)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stderr).toMatch(/^batch 1: version 2, /m)
    const rows = await (await DeltaTable.open(join(dir, 't'))).toArray()
    expect(rows.map((r) => `${String(r['_change_type'])}@${Number(r['_commit_version'])}:${Number(r['id'])}`).sort()).toEqual(['delete@2:1', 'insert@1:1', 'insert@1:2'])
    expect(typeof rows[0]?.['_commit_timestamp']).toBe('string')
  })
})

describe('lake stream projection and complete mode', () => {
  it('--columns, --where and --mode complete: the target is replaced by everything streamed so far each batch', async () => {
    const dir = tempDir('lake-stream-cli-')
    const src = await source(dir, 2)
    const target = join(dir, 't')
    const run = await lake(['stream', src, target, '--checkpoint', join(dir, 'ck'), '--columns', 'id', '--where', 'id >= 1', '--mode', 'complete', '--max-files', '1'])
    expect(run.code, run.stderr).toBe(0)
    const table = await DeltaTable.open(target)
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id'])
    expect(await ids(target)).toEqual([1, 2, 3])
    expect((await table.history()).map((h) => h.operation)).toEqual(['WRITE', 'WRITE'])
  })
})

describe('lake tail', () => {
  it('prints rows as they are committed and exits 130 quietly on Ctrl-C', async () => {
    const dir = tempDir('lake-tail-')
    const src = await source(dir, 1)
    const child = spawn(process.execPath, [BIN, 'tail', src, '--interval', '50ms'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const printed = new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()).includes('"id":11') ? resolve() : undefined)))
    await new Promise((r) => setTimeout(r, 1500))
    await lake(['ingest', '-', src], { input: lines(10, 2) })
    await printed
    child.kill('SIGINT')
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    expect(code).toBe(130)
    expect(stderr).toBe('')
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([{ id: 10, s: 'r10' }, { id: 11, s: 'r11' }])
  })

  it('--from-version prints the commits from that version', async () => {
    const dir = tempDir('lake-tail-')
    const src = await source(dir, 3)
    const child = spawn(process.execPath, [BIN, 'tail', src, '--from-version', '1', '--columns', 'id'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()).includes('"id":5') ? resolve() : undefined)))
    child.kill('SIGINT')
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(130)
    expect(stdout).toBe(['{"id":2}', '{"id":3}', '{"id":4}', '{"id":5}', ''].join('\n'))
  })

  it('--change-feed prints the change rows, in --format csv', async () => {
    const dir = tempDir('lake-tail-')
    const src = join(dir, 'source')
    await DeltaTable.create(src, { schema: { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} }] }, configuration: { 'delta.enableChangeDataFeed': 'true' } })
    await lake(['ingest', '-', src], { input: '{"id":7}\n' }) // v1
    expect((await lake(['delete', src, '--where', 'id = 7'])).code).toBe(0) // v2
    const child = spawn(process.execPath, [BIN, 'tail', src, '--from-version', '1', '--change-feed', '--columns', 'id,_change_type,_commit_version', '--format', 'csv'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()).includes('delete') ? resolve() : undefined)))
    child.kill('SIGINT')
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(130)
    expect(stdout.trim().split('\n')).toEqual(['id,_change_type,_commit_version', '7,insert,1', '7,delete,2'])
  })
})
