// End to end: spawns the built `lake` binary for every command and option on a local table,
// including error paths and exit codes (2 usage, 3 not found, 5 safety check, 130 SIGINT) and a
// closed pipe. Commands build on each other's table state, so the tests run in order.

import { spawn } from 'node:child_process'
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, lake, lakeInProcess, ndjson, schemaText, tempDir } from './cli-harness.js'

const COMMANDS = ['history', 'describe', 'schema', 'read', 'files', 'version-at', 'ingest', 'create', 'restore', 'vacuum', 'optimize', 'checkpoint', 'cleanup-log', 'delete', 'update', 'merge', 'stream', 'tail', 'changes']
const SCHEMA = schemaText([['id', 'long', false], ['day', 'string'], ['amount', 'decimal(12,2)']])
const DAY_MS = 86_400_000
const T0 = Date.UTC(2024, 0, 1)

let dir = ''
let cleanup = (): void => undefined
let table = ''

/** Sets each commit's mtime to T0 + version days, so timestamp travel is deterministic. */
function ageCommits(): void {
  const log = join(table, '_delta_log')
  for (const name of readdirSync(log)) {
    const m = /^(\d{20})\.json$/.exec(name)
    if (m !== null) utimesSync(join(log, name), new Date(T0 + Number(m[1]) * DAY_MS), new Date(T0 + Number(m[1]) * DAY_MS))
  }
}

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('e2e'))
  table = join(dir, 'events')
  writeFileSync(join(dir, 'a.ndjson'), ['{"id":1,"day":"2024-01-01","amount":"10.50"}', '{"id":2,"day":"2024-01-02","amount":"7.25"}', '{"id":4,"day":"2024-01-01","amount":null}'].join('\n') + '\n')
})
afterAll(() => cleanup())

describe('lake help', () => {
  it('prints --help with examples and exit codes for every command', async () => {
    for (const command of COMMANDS) {
      const help = await lakeInProcess([command, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout, command).toContain('Examples:')
      expect(help.stdout, command).toContain('130  interrupted')
    }
  })

  it('spawned: --help, --version and an unknown command', async () => {
    const help = await lake(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Exit codes:')
    expect((await lake(['--version'])).stdout.trim()).toBe('0.1.0')
    const unknown = await lake(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("unknown command 'frobnicate'")
  })
})

describe('lake create and ingest', () => {
  it('creates a partitioned table with properties, name and description', async () => {
    const r = await lake(['create', table, '--schema', SCHEMA, '--partition-by', 'day', '--property', 'delta.appendOnly=false', '--property', 'team=data', '--name', 'events', '--description', 'test table'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 0 })
    const d = JSON.parse((await lake(['describe', table])).stdout) as Record<string, unknown>
    expect(d).toMatchObject({ name: 'events', description: 'test table', partitionColumns: ['day'], properties: { 'delta.appendOnly': 'false', team: 'data' } })
  })

  it('refuses to create over an existing table and a bad schema (usage)', async () => {
    expect((await lake(['create', table, '--schema', SCHEMA])).code).toBe(1)
    const bad = await lake(['create', join(dir, 'x'), '--schema', 'no-such-file.json'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^error: --schema/)
  })

  it('ingests NDJSON in batches with an app id, exactly once on rerun', async () => {
    const args = ['ingest', join(dir, 'a.ndjson'), table, '--input-format', 'ndjson', '--mode', 'append', '--batch-rows', '2', '--concurrency', '2', '--app-id', 'job-1']
    const first = await lake(args)
    expect(first.code, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ version: 2, rows: 3, batches: 2, skippedBatches: 0 })
    const again = await lake(args)
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 0, batches: 0, skippedBatches: 2 })
    expect(again.stderr).toContain("nothing new to ingest: skipped 2 committed batches of job 'job-1'")
    expect(existsSync(join(table, '_lake_ingest', 'job-1'))).toBe(true)
  })

  it('ingests CSV from stdin, merging a new column, with exact int64 values', async () => {
    const r = await lake(['ingest', '-', table, '--input-format', 'csv', '--schema-mode', 'merge'], { input: 'id,day,amount,note\n9007199254740993,2024-01-02,1.00,hello\n' })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 3, rows: 1 })
    const schema = ndjson((await lake(['schema', table, '--format', 'ndjson'])).stdout)
    expect(schema.map((c) => c['column'])).toEqual(['id', 'day', 'amount', 'note'])
  })

  it('overwrites one partition with --replace-where', async () => {
    const r = await lake(['ingest', '-', table, '--mode', 'overwrite', '--replace-where', "day = '2024-01-01'"], { input: '{"id":5,"day":"2024-01-01","amount":"1.10"}\n' })
    expect(r.code, r.stderr).toBe(0)
    const out = (await lake(['read', table, '--columns', 'id'])).stdout
    expect(out.trim().split('\n').sort()).toEqual(['{"id":2}', '{"id":5}', '{"id":9007199254740993}'])
  })

  it('commits an overwrite of many batches atomically: a bad row in a later batch leaves the table as it was', async () => {
    const before = (await lake(['read', table, '--columns', 'id'])).stdout
    const versionBefore = JSON.parse((await lake(['describe', table, '--format', 'json'])).stdout).version
    const input = '{"id":6,"day":"2024-01-01","amount":"1.00"}\n{"id":7,"day":"2024-01-02","amount":"1.00"}\n'
    const r = await lake(['ingest', '-', table, '--mode', 'overwrite', '--replace-where', "day = '2024-01-01'", '--batch-rows', '1'], { input })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/replaceWhere/)
    expect((await lake(['read', table, '--columns', 'id'])).stdout).toBe(before)
    expect(JSON.parse((await lake(['describe', table, '--format', 'json'])).stdout).version).toBe(versionBefore)
  })

  it('honours --mode error and --mode ignore on an existing table, and partitions a new one', async () => {
    const error = await lake(['ingest', join(dir, 'a.ndjson'), table, '--mode', 'error'])
    expect(error.code).toBe(1)
    const ignore = await lake(['ingest', join(dir, 'a.ndjson'), table, '--mode', 'ignore'])
    expect(JSON.parse(ignore.stdout)).toMatchObject({ rows: 0, skippedBatches: 1 })
    const other = join(dir, 'other')
    expect((await lake(['ingest', join(dir, 'a.ndjson'), other, '--partition-by', 'day'])).code).toBe(0)
    expect(readdirSync(other).filter((n) => n.startsWith('day='))).toHaveLength(2)
  })

  it('rejects bad ingest options with exit 2', async () => {
    expect((await lake(['ingest', '-', table, '--mode', 'upsert'])).code).toBe(2)
    expect((await lake(['ingest', '-', table, '--batch-rows', '0'])).code).toBe(2)
    expect((await lake(['ingest', '-', table], { input: 'not json\n' })).code).toBe(2)
  })
})

describe('lake inspection', () => {
  beforeAll(() => ageCommits())

  it('history: newest first, --limit, table columns', async () => {
    const all = ndjson((await lake(['history', table])).stdout)
    expect(all.map((e) => e['version'])).toEqual([4, 3, 2, 1, 0])
    expect(all[0]).toMatchObject({ operation: 'WRITE', operationParameters: expect.objectContaining({ mode: 'Overwrite' }) })
    const limited = await lake(['history', table, '--limit', '2', '--format', 'table'])
    expect(limited.stdout.split('\n')[0]).toMatch(/^version\s+timestamp\s+operation\s+parameters\s+readVersion\s+isBlindAppend\s+rowsAdded\s+rowsRemoved\s+filesAdded\s+filesRemoved\s+engine$/)
    expect(limited.stdout.trim().split('\n')).toHaveLength(4)
  })

  it('describe at --version and --timestamp (resolution on stderr)', async () => {
    const v1 = JSON.parse((await lake(['describe', table, '--version', '1'])).stdout) as Record<string, unknown>
    expect(v1).toMatchObject({ version: 1, numFiles: 2, numRecords: 2, minReaderVersion: 1 })
    const byTime = await lake(['describe', table, '--timestamp', '2024-01-02T12:00:00Z', '--format', 'csv'])
    expect(byTime.stderr).toContain('resolved to version 1')
    expect(byTime.stdout.split('\n')[0]).toContain('format,id,name')
  })

  it('schema as a tree, Delta JSON and CSV', async () => {
    expect((await lake(['schema', table, '--format', 'table'])).stdout).toContain(' |-- amount: decimal(12,2) (nullable = true)')
    expect(JSON.parse((await lake(['schema', table, '--version', '0'])).stdout)).toEqual(JSON.parse(SCHEMA))
    expect((await lake(['schema', table, '--format', 'csv'])).stdout.split('\n')[0]).toBe('column,type,nullable,partition,comment')
  })

  it('read: exact values, --columns, --where, --limit, --version, --timestamp, csv', async () => {
    const v2 = await lake(['read', table, '--version', '2', '--columns', 'ID,amount', '--where', 'id > 1', '--batch-rows', '1'])
    expect(v2.stdout.trim().split('\n').sort()).toEqual(['{"id":2,"amount":"7.25"}', '{"id":4,"amount":null}'])
    const limited = ndjson((await lake(['read', table, '--limit', '1'])).stdout)
    expect(limited).toHaveLength(1)
    const csv = await lake(['read', table, '--timestamp', '2024-01-01', '--format', 'csv'])
    expect(csv.stderr).toContain('resolved to version 0')
    expect(csv.stdout).toBe('id,day,amount\n')
    const json = await lake(['read', table, '--version', '1', '--format', 'json', '--columns', 'id'])
    expect(json.stdout).toMatch(/^\[\n\{"id":\d\},\n\{"id":\d\}\n\]\n$/)
    expect((JSON.parse(json.stdout) as { id: number }[]).map((r) => r.id).sort()).toEqual([1, 2])
  })

  it('files: paths, partition values, sizes and counts', async () => {
    const files = ndjson((await lake(['files', table, '--version', '3'])).stdout)
    expect(files).toHaveLength(4)
    expect(files[0]).toMatchObject({ partitionValues: { day: expect.any(String) }, size: expect.any(Number), numRecords: expect.any(Number), deletedRows: 0 })
  })

  it('version-at: dates, ISO with zones and epoch ms; out of range is exit 3', async () => {
    expect(JSON.parse((await lake(['version-at', table, '2024-01-03'])).stdout)).toMatchObject({ version: 2, requested: '2024-01-03T00:00:00.000Z' })
    expect(JSON.parse((await lake(['version-at', table, '2024-01-02T01:00:00+02:00'])).stdout)).toMatchObject({ version: 0 })
    expect(JSON.parse((await lake(['version-at', table, String(T0 + DAY_MS)])).stdout)).toMatchObject({ version: 1 })
    const early = await lake(['version-at', table, '2023-01-01'])
    expect(early.code).toBe(3)
    expect(early.stderr).toMatch(/^error: no version .*\nhint: /)
  })
})

describe('lake maintenance', () => {
  it('restore --version and --timestamp commit RESTORE with Spark metrics', async () => {
    const r = await lake(['restore', table, '--version', '2'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 5, restoredVersion: 2, num_of_files_after_restore: 3, num_restored_files: expect.any(Number), table_size_after_restore: expect.any(Number) })
    expect(ndjson((await lake(['read', table])).stdout)).toHaveLength(3)
    const byTime = await lake(['restore', table, '--timestamp', '2024-01-04T06:00:00Z'])
    expect(JSON.parse(byTime.stdout)).toMatchObject({ restoredVersion: 3 })
    expect((await lake(['restore', table])).code).toBe(2)
  })

  it('optimize compacts per partition with --where and --target-size, and reports nothing to do', async () => {
    const some = await lake(['optimize', table, '--where', "day = '2024-01-02'", '--target-size', '64MiB'])
    expect(some.code, some.stderr).toBe(0)
    expect(JSON.parse(some.stdout)).toMatchObject({ numFilesAdded: 1, partitionsOptimized: 1 })
    const rest = JSON.parse((await lake(['optimize', table])).stdout) as Record<string, unknown>
    expect(rest['partitionsOptimized']).toBeLessThanOrEqual(1)
    expect(JSON.parse((await lake(['optimize', table])).stdout)).toMatchObject({ version: null, numFilesAdded: 0 })
    expect((await lake(['optimize', table, '--where', 'id > 1'])).code).toBe(2)
    expect((await lake(['optimize', table, '--target-size', 'huge'])).code).toBe(2)
  })

  it('vacuum: dry run by default, retention guard (exit 5), --force --execute deletes', async () => {
    const dry = await lake(['vacuum', table])
    expect(dry.code).toBe(0)
    expect(dry.stderr).toContain('dry run')
    const refused = await lake(['vacuum', table, '--retention-hours', '0'])
    expect(refused.code).toBe(5)
    expect(refused.stderr).toMatch(/^error: vacuum retention of 0 hours/)
    const listed = ndjson((await lake(['vacuum', table, '--retention-hours', '0', '--force', '--dry-run'])).stdout)
    expect(listed.length).toBeGreaterThan(0)
    expect(listed.every((f) => !String(f['path']).startsWith('_delta_log'))).toBe(true)
    expect((await lake(['vacuum', table, '--dry-run', '--execute'])).code).toBe(2)
    const done = await lake(['vacuum', table, '--retention-hours', '0', '--force', '--execute', '--format', 'csv'])
    expect(done.stderr).toContain(`deleted ${listed.length} files`)
    for (const f of listed) expect(existsSync(join(table, String(f['path'])))).toBe(false)
    expect(ndjson((await lake(['read', table])).stdout).length).toBeGreaterThan(0)
  })

  it('restore of a vacuumed version is refused with exit 5', async () => {
    const r = await lake(['restore', table, '--version', '1'])
    expect(r.code).toBe(5)
    expect(r.stderr).toContain('no longer exist')
  })

  it('checkpoint, then cleanup-log removes expired commits before it', async () => {
    const cp = await lake(['checkpoint', table])
    expect(cp.code, cp.stderr).toBe(0)
    const info = JSON.parse(cp.stdout) as { version: number; path: string }
    expect(existsSync(join(table, info.path))).toBe(true)
    ageCommits()
    const dry = await lake(['cleanup-log', table, '--dry-run'])
    expect(ndjson(dry.stdout).length).toBe(info.version)
    expect(existsSync(join(table, '_delta_log', `${'0'.repeat(20)}.json`))).toBe(true)
    const done = await lake(['cleanup-log', table, '--format', 'table'])
    expect(done.stderr).toContain(`log now starts at checkpoint ${info.version}`)
    expect(existsSync(join(table, '_delta_log', `${'0'.repeat(20)}.json`))).toBe(false)
    expect((await lake(['read', table, '--version', '0'])).code).toBe(3)
    expect((await lake(['read', table])).code).toBe(0)
  })
})

describe('lake errors and signals', () => {
  it('exits 3 for a missing table or version, 2 for usage errors, with one line and a hint', async () => {
    const missing = await lake(['history', join(dir, 'nope')])
    expect(missing.code).toBe(3)
    expect(missing.stderr.trim().split('\n')).toHaveLength(2)
    expect((await lake(['read', table, '--version', '99'])).code).toBe(3)
    expect((await lake(['read', table, '--version', '1', '--timestamp', '2024-01-01'])).code).toBe(2)
    expect((await lake(['read', table, '--version', 'x'])).code).toBe(2)
    expect((await lake(['read', table, '--timestamp', 'soon'])).code).toBe(2)
    expect((await lake(['read', table, '--where', 'id >'])).code).toBe(2)
    expect((await lake(['read', table, '--format', 'xml'])).code).toBe(2)
    expect((await lake(['read'])).code).toBe(2)
  })

  it('prints a stack trace only with --debug', async () => {
    const plain = await lake(['read', table, '--version', '99'])
    expect(plain.stderr).not.toMatch(/\n\s+at /)
    const debug = await lake(['read', table, '--version', '99', '--debug'])
    expect(debug.stderr).toMatch(/\n\s+at /)
  })

  it('exits quietly when the reader closes the pipe', async () => {
    const big = join(dir, 'big')
    const rows = Array.from({ length: 50_000 }, (_, i) => `{"id":${i},"s":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}`).join('\n')
    expect((await lake(['ingest', '-', big], { input: rows })).code).toBe(0)
    const script = `node ${JSON.stringify(BIN)} read ${JSON.stringify(big)} | head -n 1; echo "status=\${PIPESTATUS[0]}" >&2`
    const result = await new Promise<{ out: string; err: string }>((resolve) => {
      const child = spawn('bash', ['-c', script])
      let out = ''
      let err = ''
      child.stdout.on('data', (c: Buffer) => (out += c.toString()))
      child.stderr.on('data', (c: Buffer) => (err += c.toString()))
      child.on('close', () => resolve({ out, err }))
    })
    expect(result.out).toBe('{"id":0,"s":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}\n')
    expect(result.err.trim()).toBe('status=0')
  })

  it('exits 130 on SIGINT during an ingest', async () => {
    const target = join(dir, 'interrupted')
    const input = join(dir, 'many.ndjson')
    writeFileSync(input, Array.from({ length: 2_000 }, (_, i) => `{"id":${i}}`).join('\n'))
    const child = spawn(process.execPath, [BIN, 'ingest', input, target, '--batch-rows', '1', '--app-id', 'sigint'])
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    // Wait for the first commit: the process is then running its command (signal handler installed).
    const first = join(target, '_delta_log', `${'0'.repeat(20)}.json`)
    for (let i = 0; i < 400 && !existsSync(first); i++) await new Promise((r) => setTimeout(r, 25))
    expect(existsSync(first)).toBe(true)
    child.kill('SIGINT')
    expect(await closed).toBe(130)
    expect(stderr).toContain('interrupted')
  })
})
