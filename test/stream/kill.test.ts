// Exactly-once of `lake stream` under SIGKILL (issue 13): a writer process appends 50 commits to a
// source while `lake stream --interval` copies it to a target and is killed at random points, at
// least 10 times, and restarted. The target ends with every source row exactly once, and its log
// holds one commit per micro-batch, each with txn(queryId, batchId) for batch ids 0..n-1.

import { spawn } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { BIN, lake } from '../cli/cli-harness.js'
import { tempDir } from '../temp-dir.js'

const WRITER = fileURLToPath(new URL('./fixtures/append-writer.mjs', import.meta.url))
const APPENDS = 50
const ROWS = 4

/** How to kill a run: after its `afterBatches`-th progress line plus `delayMs`, or at `deadlineMs` at the latest. */
interface Kill {
  readonly afterBatches: number
  readonly delayMs: number
  readonly deadlineMs: number
}

/** Runs a process to its end, or SIGKILLs it as `kill` says; counts its `batch N:` progress lines. */
function runProcess(args: readonly string[], kill?: Kill): Promise<{ code: number | null; killed: boolean; stderr: string; batches: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
    let stderr = ''
    let batches = 0
    let armed = false
    const fire = (ms: number): ReturnType<typeof setTimeout> => setTimeout(() => child.kill('SIGKILL'), ms)
    const deadline = kill === undefined ? undefined : fire(kill.deadlineMs)
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      batches = (stderr.match(/^batch \d+:/gm) ?? []).length
      if (kill !== undefined && !armed && batches >= kill.afterBatches) {
        armed = true
        fire(kill.delayMs)
      }
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(deadline)
      resolve({ code, killed: signal === 'SIGKILL', stderr, batches })
    })
  })
}

/** Every target commit's txn versions for `appId`, in log order. */
function txnVersions(table: string): { commits: number; txns: number[] } {
  const log = join(table, '_delta_log')
  const commits = readdirSync(log).filter((n) => /^\d{20}\.json$/.test(n)).sort()
  const txns: number[] = []
  for (const name of commits) {
    for (const line of readFileSync(join(log, name), 'utf8').split('\n')) {
      if (line.startsWith('{"txn"')) txns.push((JSON.parse(line) as { txn: { version: number } }).txn.version)
    }
  }
  return { commits: commits.length, txns }
}

describe('lake stream exactly once under SIGKILL', () => {
  it('copies every row once across ≥10 kills while a writer appends 50 commits', async () => {
    const dir = tempDir('lake-stream-kill-')
    const source = join(dir, 'source')
    const target = join(dir, 'target')
    const checkpoint = join(dir, 'ck')
    const created = await lake(['ingest', '-', source], { input: '{"id":0,"s":"seed"}\n' })
    expect(created.code, created.stderr).toBe(0)
    let writing = true
    const writer = runProcess([WRITER, source, String(APPENDS), String(ROWS), '1', '300']).finally(() => (writing = false))
    const args = [BIN, 'stream', source, target, '--checkpoint', checkpoint, '--interval', '20ms', '--max-files', '2']
    let kills = 0
    let batchesSeen = 0
    for (let round = 0; round < 40 && (kills < 10 || writing); round++) {
      // Mostly inside a batch (reading, writing the target, committing), sometimes at start-up.
      const kill = { afterBatches: round % 4 === 3 ? 0 : 1 + Math.floor(Math.random() * 3), delayMs: Math.floor(Math.random() * 60), deadlineMs: 6000 }
      const outcome = await runProcess(args, kill)
      if (!outcome.killed) expect.fail(`lake stream exited with ${outcome.code}: ${outcome.stderr}`)
      kills++
      batchesSeen += outcome.batches
    }
    expect((await writer).code).toBe(0)
    expect(batchesSeen).toBeGreaterThanOrEqual(kills)
    const last = await lake(['stream', source, target, '--checkpoint', checkpoint, '--available-now'])
    expect(last.code, last.stderr).toBe(0)
    expect(kills).toBeGreaterThanOrEqual(10)

    const ids = (await (await DeltaTable.open(target)).toArray()).map((r) => Number(r['id'])).sort((a, b) => a - b)
    expect(ids).toEqual(Array.from({ length: 1 + APPENDS * ROWS }, (_, i) => i))
    const batches = readdirSync(join(checkpoint, 'commits')).filter((n) => /^\d+$/.test(n)).length // not a killed write's temp file
    const { commits, txns } = txnVersions(target)
    expect(commits).toBe(batches)
    expect(txns).toEqual(Array.from({ length: batches }, (_, i) => i))
  }, 120_000)
})
