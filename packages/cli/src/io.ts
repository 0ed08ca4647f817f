// The streams and environment a CLI run uses. `run` takes them as a value so tests run the CLI in
// process with in-memory streams; bin.ts passes the real process streams.

import type { Readable, Writable } from 'node:stream'

/** Where a run reads and writes, and what it knows about its terminal. */
export interface CliIO {
  readonly stdout: Writable
  readonly stderr: Writable
  readonly stdin: Readable
  /** Environment variables (`NO_COLOR`, `AWS_*`). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** stdout is a terminal: default to aligned tables. */
  readonly stdoutIsTTY: boolean
  /** stderr is a terminal: progress bars are drawn. */
  readonly stderrIsTTY: boolean
  /** Aborted on SIGINT; commands stop and the run exits 130. */
  readonly signal?: AbortSignal
  /** The current time in epoch ms (tests pass a fixed clock). */
  readonly now?: () => number
}

/** The process's own streams and environment. */
export function processIO(signal?: AbortSignal): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    ...(signal === undefined ? {} : { signal }),
  }
}
