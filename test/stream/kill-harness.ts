// The SIGKILL harness of the stream tests: runs `lake stream` processes and kills them at random
// points (inside a batch, sometimes at start-up) while a writer process changes the source, and
// reads a target's app-transaction versions back from its log.

import { spawn } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { BIN, lake } from '../cli/cli-harness.js'

/** How to kill a run: after its `afterBatches`-th progress line plus `delayMs`, or at `deadlineMs` at the latest. */
interface Kill {
  readonly afterBatches: number
  readonly delayMs: number
  readonly deadlineMs: number
}

/** What a run did. */
export interface Outcome {
  readonly code: number | null
  readonly killed: boolean
  readonly stderr: string
  readonly batches: number
}

/** Runs a process to its end, or SIGKILLs it as `kill` says; counts its `batch N:` progress lines. */
export function runProcess(args: readonly string[], kill?: Kill): Promise<Outcome> {
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

/**
 * Runs `lake stream <args> --interval 20ms` and kills it, at least `minKills` times and while
 * `writing()`, then once more with --available-now to the end; returns the kills.
 */
export async function killAndRestart(args: readonly string[], minKills: number, writing: () => boolean): Promise<number> {
  const interval = [BIN, 'stream', ...args, '--interval', '20ms']
  let kills = 0
  let batchesSeen = 0
  for (let round = 0; round < 40 && (kills < minKills || writing()); round++) {
    // Mostly inside a batch (reading, writing the target, committing), sometimes at start-up.
    const kill = { afterBatches: round % 4 === 3 ? 0 : 1 + Math.floor(Math.random() * 3), delayMs: Math.floor(Math.random() * 60), deadlineMs: 6000 }
    const outcome = await runProcess(interval, kill)
    if (!outcome.killed) expect.fail(`lake stream exited with ${outcome.code}: ${outcome.stderr}`)
    kills++
    batchesSeen += outcome.batches
  }
  expect(batchesSeen).toBeGreaterThanOrEqual(kills)
  const last = await lake(['stream', ...args, '--available-now'])
  expect(last.code, last.stderr).toBe(0)
  return kills
}

/** Every target commit's txn versions, in log order. */
export function txnVersions(table: string): { commits: number; txns: number[] } {
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

/** The number of batches a checkpoint committed: its highest `commits/<id>` + 1 (older entries may be purged). */
export function committedBatches(checkpoint: string): number {
  const ids = readdirSync(join(checkpoint, 'commits')).filter((n) => /^\d+$/.test(n)).map(Number) // not a killed write's temp file
  return Math.max(-1, ...ids) + 1
}
