// `lake ingest` runs its encoders in worker threads; Node refuses a Worker whose explicit execArgv
// holds V8 or per-process flags, so the pool must let its workers inherit what `node` was given.

import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, lake, tempDir } from './cli-harness.js'

const { dir, cleanup } = tempDir('node-flags')
afterAll(cleanup)

describe('lake under node flags', () => {
  it('ingests through its encoder workers when node is given V8 and per-process flags', async () => {
    const input = join(dir, 'rows.ndjson')
    writeFileSync(input, Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: i, name: `n${i}` })).join('\n'))
    const table = join(dir, 'table')
    const run = spawnSync(process.execPath, ['--max-semi-space-size=32', '--v8-pool-size=2', '--stack-trace-limit=20', BIN, 'ingest', input, table, '--format', 'json'], { encoding: 'utf8' })
    expect(run.stderr).toBe('ingested 1000 rows in 1 commit\n')
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ version: 0, rows: 1000 })
    const read = await lake(['read', table, '--format', 'json'])
    const ids = (JSON.parse(read.stdout) as { id: number }[]).map((r) => r.id).sort((a, b) => a - b)
    expect(ids).toEqual(Array.from({ length: 1000 }, (_, i) => i))
  })
})
