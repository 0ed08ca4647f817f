// The CLI's exit codes (documented in --help and the README) and the mapping from errors to them.
// Callers branch on `LakeError.code`, never on message text.

import { LakeError } from '@lake/storage'

/** Stable exit codes of `lake`. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  safety: 5,
  interrupted: 130,
} as const

/** The exit code values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** The exit-code section of `--help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    ok
  1    error
  2    usage (bad option, argument, predicate or timestamp)
  3    table, version or timestamp not found (or outside retained history)
  4    commit conflict after retries
  5    refused by a safety check (vacuum retention, restore of vacuumed files)
  130  interrupted (SIGINT)`

const BY_CODE: Readonly<Partial<Record<LakeError['code'], ExitCode>>> = {
  TableNotFound: EXIT.notFound,
  VersionNotFound: EXIT.notFound,
  TimestampOutOfRange: EXIT.notFound,
  CommitConflict: EXIT.conflict,
  CommitAttemptsExhausted: EXIT.conflict,
  SafetyCheck: EXIT.safety,
  InvalidArgument: EXIT.usage,
  InvalidPredicate: EXIT.usage,
  Aborted: EXIT.interrupted,
}

/** The exit code for an error a command threw. */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof LakeError) return BY_CODE[err.code] ?? EXIT.error
  return EXIT.error
}

/** Thrown by a command that stopped because the user interrupted it (Ctrl-C): exit 130 without a message. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted')
    this.name = 'Interrupted'
  }
}
