// Child node processes for the multi-process tests of @lake/core (real processes, as the project
// requires for concurrency): line-by-line talk over stdin/stdout, every wait bounded so a hung child
// fails the test instead of hanging it, stderr kept for the failure message.

import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'

/** Bound of one wait on a child (a line, its exit). */
export const CHILD_TIMEOUT_MS = 120_000 // ms

/** A running `node <script> <args>`. */
export interface NodeChild {
  readonly process: ChildProcessWithoutNullStreams
  /** The next stdout line; rejects when the child exits first or after `timeoutMs`. */
  line(timeoutMs?: number): Promise<string>
  send(line: string): void
  /** The exit code (or signal) once the child has exited. */
  exited(timeoutMs?: number): Promise<string>
  /** What the child wrote to stderr so far. */
  stderr(): string
}

/** Starts `node script ...args` (environment: `env`, default this process's). */
export function spawnNode(script: string, args: readonly string[], label = script, env: NodeJS.ProcessEnv = process.env): NodeChild {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  // 'close', not 'exit': it fires once stdout is drained, so a last line printed before exiting is read first.
  const exit = new Promise<string>((resolve) => child.once('close', (code, signal) => resolve(signal ?? String(code))))
  const line = (timeoutMs = CHILD_TIMEOUT_MS): Promise<string> =>
    bounded(
      Promise.race([
        lines.next().then((r) => (r.done === true ? Promise.reject(new Error(`${label}: stdout ended; stderr: ${stderr}`)) : r.value)),
        exit.then((how) => Promise.reject(new Error(`${label} exited (${how}) before printing a line; stderr: ${stderr}`))),
      ]),
      timeoutMs,
      `${label}: a line`,
    )
  return {
    process: child,
    line,
    send: (text) => child.stdin.write(`${text}\n`),
    exited: (timeoutMs = CHILD_TIMEOUT_MS) => bounded(exit, timeoutMs, `${label}: exit`),
    stderr: () => stderr,
  }
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
