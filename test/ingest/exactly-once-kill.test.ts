// Exactly-once under SIGKILL: a child process ingests 200,000 NDJSON records in 40 batches and is
// killed at random points; resumed runs finish the job; every id is in the table exactly once.

import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { tempDir } from '../temp-dir.js'

const RECORDS = 200_000
const BATCHES = 40
const CHILD = fileURLToPath(new URL('./fixtures/ndjson-job.mjs', import.meta.url))

interface RunOutcome {
  readonly killed: boolean
  readonly stdout: string
}

/** Runs the job; kills it with SIGKILL after `killAfterCommits` commits (plus a random delay), if given. */
function runChild(args: readonly string[], killAfterCommits?: number): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let killed = false
    let commits = 0
    const commitTimes: number[] = []
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      const seen = (stdout.match(/committed/g) ?? []).length
      for (; commits < seen; commits++) commitTimes.push(performance.now())
      if (killAfterCommits !== undefined && !killed && commits >= killAfterCommits) {
        killed = true
        // A random point inside the next batch (reading, encoding, uploading or committing): a delay below this run's
        // time per batch, so a faster job is still killed before it finishes (50 ms before two commits were seen).
        const first = commitTimes[0] ?? 0
        const perBatch = commits >= 2 ? ((commitTimes[commits - 1] ?? first) - first) / (commits - 1) : 50
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * perBatch))
      }
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, stdout })
      else if (code === 0) resolve({ killed: false, stdout })
      else reject(new Error(`child exited with ${code}: ${stderr}`))
    })
  })
}

describe('runIngestJob exactly once', () => {
  it('ingests every record exactly once across SIGKILLs at random points', async () => {
    const dir = tempDir('lake-ingest-kill-')
    const input = join(dir, 'input.ndjson')
    const lines: string[] = []
    for (let id = 0; id < RECORDS; id++) lines.push(JSON.stringify({ id, name: `name-${id}`, score: id % 1000 }))
    writeFileSync(input, lines.join('\n') + '\n')
    const table = join(dir, 'table')
    const args = [table, input, String(RECORDS / BATCHES)]

    let kills = 0
    let committedSoFar = 0
    for (let round = 0; round < 6; round++) {
      const outcome = await runChild(args, committedSoFar + 1 + Math.floor(Math.random() * 4))
      committedSoFar += (outcome.stdout.match(/committed/g) ?? []).length
      if (!outcome.killed) break
      kills++
    }
    const final = await runChild(args)
    expect(final.stdout).toMatch(/done completed 39/)
    expect(kills).toBeGreaterThanOrEqual(3)

    const t = await DeltaTable.open(table)
    const ids = new Uint8Array(RECORDS)
    let rows = 0
    for await (const batch of t.scan({ columns: ['id'] })) {
      for (const row of batch) {
        const id = Number(row['id'])
        ids[id] = (ids[id] ?? 0) + 1
        rows++
      }
    }
    expect(rows).toBe(RECORDS)
    expect(ids.every((n) => n === 1)).toBe(true)
    expect(t.snapshot.txnVersion('kill-test')).toBe(BATCHES - 1)
  })
})
