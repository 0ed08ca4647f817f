// Turns an error into what the CLI prints on stderr: one line, a hint, and the stack only with
// --debug. Hints key on `LakeError.code`.

import { LakeError } from '@lake/storage'
import { UsageError } from './usage-error.js'

const HINTS: Readonly<Partial<Record<LakeError['code'], string>>> = {
  TableNotFound: 'check the table URI: it must be the directory holding _delta_log/',
  VersionNotFound: "run 'lake history <uri>' to see the versions that exist",
  TimestampOutOfRange: "run 'lake history <uri>' to see commit timestamps",
  CommitConflict: 'another writer changed the table: re-run the command against the new version',
  CommitAttemptsExhausted: 'the table is busy: retry later',
  SafetyCheck: 'read the message: the operation could lose data that is still needed',
  InvalidPredicate: "SQL as in lake's docs/expressions.md: predicates like day = '2024-01-01' AND id > 10, values like upper(name) or price * 1.1",
  UnsupportedFeature: 'the table uses a Delta feature lake does not implement',
  PermissionDenied: 'check credentials (AWS_* environment variables for s3://) and file permissions',
  Unavailable: 'the storage service did not answer: check --endpoint, the network, and retry',
}

/** The lines to print for an error (without trailing newlines). */
export function errorReport(err: unknown, debug: boolean): string[] {
  const message = err instanceof Error ? err.message : String(err)
  const lines = [`error: ${firstLine(message)}`]
  const hint = err instanceof UsageError ? err.hint : err instanceof LakeError ? HINTS[err.code] : undefined
  if (hint !== undefined) lines.push(`hint: ${hint}`)
  if (debug) {
    if (err instanceof Error && err.stack !== undefined) lines.push(err.stack)
    let cause = err instanceof Error ? err.cause : undefined
    while (cause !== undefined) {
      lines.push(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`)
      cause = cause instanceof Error ? cause.cause : undefined
    }
  } else {
    lines.push(...restOf(message))
  }
  return lines
}

/** Error messages may carry a "Help:" line (conflicts); keep it, drop nothing else silently. */
function firstLine(message: string): string {
  return message.split('\n')[0] ?? message
}

function restOf(message: string): string[] {
  return message.split('\n').slice(1).filter((l) => l.trim() !== '')
}
