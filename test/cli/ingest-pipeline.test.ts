// `lake ingest` end to end through the built binary: the first write is version 0 and holds the
// data on every route, a failed first write leaves nothing at the path, a failed later write no
// orphan files, and the crash/usage cases are one-line errors with the right exit code.

import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, lake, ndjson, tempDir } from './cli-harness.js'

let dir = ''
let cleanup = (): void => undefined
const MKDIR_LOG = fileURLToPath(new URL('./fixtures/mkdir-log.mjs', import.meta.url))
const ROWS = '{"id":1,"day":"a"}\n{"id":2,"day":"b"}\n{"id":3,"day":"a"}\n'

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('pipeline'))
  writeFileSync(join(dir, 'rows.ndjson'), ROWS)
})
afterAll(() => cleanup())

/** Every file (not directory) under `root`, relative; [] when `root` does not exist. */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) return []
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1)).sort()
}

function oneLineError(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /)
  expect(stderr.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1)
}

describe('lake ingest into a new table', () => {
  it.each([
    ['a plain append', [] as string[], undefined],
    ['an --app-id job', ['--app-id', 'first', '--batch-rows', '10'], undefined],
    ['--mode overwrite', ['--mode', 'overwrite'], undefined],
    ['--mode overwrite --replace-where', ['--mode', 'overwrite', '--replace-where', "day = 'a' OR day = 'b'"], undefined],
    ['stdin with --app-id', ['--app-id', 'stdin-job'], ROWS],
  ])('commits one version, 0, holding the rows: %s', async (name, extra, input) => {
    const table = join(dir, `new-${name.replace(/\W+/g, '-')}`)
    const r = await lake(['ingest', input === undefined ? join(dir, 'rows.ndjson') : '-', table, ...extra], input === undefined ? {} : { input })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 0, rows: 3, batches: 1 })
    const history = ndjson((await lake(['history', table, '--format', 'ndjson'])).stdout)
    expect(history.map((h) => [h['version'], h['operation']])).toEqual([[0, 'WRITE']])
    expect(history[0]?.['operationMetrics']).toMatchObject({ numOutputRows: '3' })
    expect(ndjson((await lake(['read', table, '--columns', 'id'])).stdout).map((r) => r['id']).sort()).toEqual([1, 2, 3])
  })
})

describe('a failed first write leaves nothing at the path', () => {
  beforeAll(() => {
    const good = Array.from({ length: 200_000 }, (_, i) => `{"id":${i},"day":"d${i % 3}"}`).join('\n')
    writeFileSync(join(dir, 'bad-last.ndjson'), `${good}\n{"id":"bad","day":"d0"}\n`)
    writeFileSync(join(dir, 'out-of-range.ndjson'), '{"id":1}\n{"id":99999999999999999999999}\n')
    writeFileSync(join(dir, 'long-partition.ndjson'), `{"id":1,"p":"${'x'.repeat(300)}"}\n`)
  })

  it.each([
    ['200,000 good rows then {"id":"bad"}', 'bad-last.ndjson', []],
    ['200,000 good rows then {"id":"bad"}, one --app-id batch', 'bad-last.ndjson', ['--app-id', 'bad-last', '--batch-rows', '300000']],
    ['an out-of-range long', 'out-of-range.ndjson', []],
    ['an out-of-range long with --app-id', 'out-of-range.ndjson', ['--app-id', 'oor']],
    ['an over-long partition value', 'long-partition.ndjson', ['--partition-by', 'p']],
    ['an over-long partition value with --app-id', 'long-partition.ndjson', ['--partition-by', 'p', '--app-id', 'longp']],
    ['an over-long partition value with --mode overwrite', 'long-partition.ndjson', ['--partition-by', 'p', '--mode', 'overwrite']],
  ])('%s', async (name, file, extra) => {
    const table = join(dir, `failed-${name.replace(/\W+/g, '-')}`)
    const r = await lake(['ingest', join(dir, file), table, ...extra])
    expect(r.code).not.toBe(0)
    oneLineError(r.stderr)
    expect(existsSync(table)).toBe(false)
  }, 60_000)

  it('deletes the data files of a failed later write; the table is unchanged', async () => {
    const table = join(dir, 'later')
    expect((await lake(['ingest', join(dir, 'rows.ndjson'), table])).code).toBe(0)
    const before = filesUnder(table)
    const r = await lake(['ingest', join(dir, 'bad-last.ndjson'), table, '--concurrency', '2'])
    expect(r.code).toBe(1)
    expect(filesUnder(table)).toEqual(before)
  }, 60_000)
})

describe('lake ingest crashes and hangs become one-line errors', () => {
  it.each([[[]], [['--app-id', 'missing']]])('a missing input file exits 2 and creates nothing (%o)', async (extra) => {
    const table = join(dir, 'never')
    const r = await lake(['ingest', join(dir, 'nonexistent.ndjson'), table, ...extra])
    expect(r.code).toBe(2)
    oneLineError(r.stderr)
    expect(r.stderr).toContain(`input file '${join(dir, 'nonexistent.ndjson')}': expected a readable file, found no such file`)
    expect(existsSync(table)).toBe(false)
  })

  it.each([[[]], [['--app-id', 'empty']], [['--mode', 'overwrite']]])('refuses empty input for a new table as a usage error, creating nothing (%o)', async (extra) => {
    const table = join(dir, 'empty-new')
    const r = await lake(['ingest', '-', table, ...extra], { input: '' })
    expect(r.code).toBe(2)
    oneLineError(r.stderr)
    expect(r.stderr).toContain('stdin: expected records to create table')
    expect(existsSync(table)).toBe(false)
  })

  it('validates --concurrency (1..64) and ingests with the maximum', async () => {
    for (const bad of ['0', '65', '100000', '1e3']) {
      const r = await lake(['ingest', join(dir, 'rows.ndjson'), join(dir, 'conc-bad'), '--concurrency', bad])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`--concurrency: expected an integer from 1 to 64, found '${bad}'`)
    }
    const ok = await lake(['ingest', join(dir, 'rows.ndjson'), join(dir, 'conc-max'), '--concurrency', '64'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(existsSync(join(dir, 'conc-bad'))).toBe(false)
  })

  it('fails fast where the table root cannot be created (/proc): a few plain mkdirs, no retry loop', async () => {
    // Node's own recursive mkdir loops forever under /proc (a parent that refuses new entries with
    // ENOENT); the store creates one level at a time, each at most twice (packages/storage/test).
    const log = join(dir, 'proc-mkdir.log')
    writeFileSync(log, '')
    const r = await lake(['ingest', join(dir, 'rows.ndjson'), '/proc/lake-no-table'], { env: { LAKE_MKDIR_LOG: log, NODE_OPTIONS: `--import=${MKDIR_LOG}` } })
    expect(r.code).toBe(1)
    oneLineError(r.stderr)
    expect(r.stderr).toContain("error: mkdir '/proc/lake-no-table': expected to create the directory in its existing parent, found the file system refuses new entries there")
    expect(existsSync('/proc/lake-no-table')).toBe(false)
    const calls = readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as [string, { recursive?: boolean } | null])
    expect(calls.length).toBeGreaterThan(0)
    expect(calls.filter(([, options]) => options?.recursive === true)).toEqual([])
    const attempts = new Map<string, number>()
    for (const [path] of calls) attempts.set(path, (attempts.get(path) ?? 0) + 1)
    expect(Math.max(...attempts.values())).toBeLessThanOrEqual(2)
  }, 60_000)
})

describe('lake ingest messages', () => {
  it.each(['.', '..', 'a/b', ''])('refuses --app-id %j as a usage error', async (appId) => {
    const table = join(dir, 'app-id')
    const r = await lake(['ingest', join(dir, 'rows.ndjson'), table, '--app-id', appId])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--app-id: expected 1-128 characters')
    expect(existsSync(table)).toBe(false)
  })

  it('says the input differs when a job is rerun over changed input', async () => {
    const input = join(dir, 'changing.ndjson')
    const table = join(dir, 'changing')
    writeFileSync(input, ROWS)
    expect((await lake(['ingest', input, table, '--app-id', 'nightly', '--batch-rows', '1'])).code).toBe(0)
    writeFileSync(input, `${ROWS}{"id":4,"day":"c"}\n`)
    const r = await lake(['ingest', input, table, '--app-id', 'nightly', '--batch-rows', '1'])
    expect(r.code).toBe(1)
    oneLineError(r.stderr)
    expect(r.stderr).toContain("input differs from the one job 'nightly' started with")
  })

  it('refuses --partition-by that differs from an existing table on every append route, writing nothing', async () => {
    const table = join(dir, 'parts')
    expect((await lake(['ingest', join(dir, 'rows.ndjson'), table, '--partition-by', 'day'])).code).toBe(0)
    const before = filesUnder(table)
    for (const extra of [[], ['--app-id', 'parts-job']]) {
      const r = await lake(['ingest', join(dir, 'rows.ndjson'), table, '--partition-by', 'id', ...extra])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('expected partitionBy ["day"]')
    }
    expect(filesUnder(table)).toEqual(before)
  })

  it('refuses a table with an unknown writer feature before writing any data file', async () => {
    const table = join(dir, 'unknown-feature')
    expect((await lake(['ingest', join(dir, 'rows.ndjson'), table])).code).toBe(0)
    const protocol = { protocol: { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['madeUpWriterFeature'] } }
    writeFileSync(join(table, '_delta_log', `${'1'.padStart(20, '0')}.json`), `${JSON.stringify(protocol)}\n`)
    const before = filesUnder(table)
    for (const extra of [[], ['--app-id', 'feature-job'], ['--mode', 'overwrite']]) {
      const r = await lake(['ingest', join(dir, 'rows.ndjson'), table, ...extra])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('madeUpWriterFeature')
    }
    expect(filesUnder(table)).toEqual(before)
  })
})

describe('lake ingest from stdin', () => {
  it('ends on SIGINT while waiting for stdin (exit 130), removing its spooled copy and creating nothing', async () => {
    const tmp = join(dir, 'sigint-tmp')
    mkdirSync(tmp)
    const table = join(dir, 'sigint-stdin')
    const child = spawn(process.execPath, [BIN, 'ingest', '-', table], { env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    child.stdin.write('{"id":1}\n') // stdin stays open: the read waits for more
    // The spool directory exists once the command runs (its signal handler is installed).
    for (let i = 0; i < 400 && readdirSync(tmp).length === 0; i++) await new Promise((r) => setTimeout(r, 25))
    expect(readdirSync(tmp)).toHaveLength(1)
    child.kill('SIGINT')
    expect(await closed).toBe(130)
    expect(stderr).toContain('interrupted')
    expect(readdirSync(tmp)).toEqual([])
    expect(existsSync(table)).toBe(false)
    child.stdin.destroy()
  })
})
