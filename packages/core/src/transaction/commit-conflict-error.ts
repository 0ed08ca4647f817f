// The error a commit ends with when a concurrent commit logically conflicts with it: names the
// winning version, the reason, and (on a `Help:` line) what to do.

import { LakeError } from '@lake/storage'
import type { ConflictReason } from './conflicts.js'

const HELP: Readonly<Record<ConflictReason, string>> = {
  ProtocolChanged: 'reload the table and retry; if the new protocol needs a feature lake does not implement, write with a newer engine',
  MetadataChanged: 'reload the table (its schema or properties changed) and retry the write against the new metadata',
  ConcurrentDomainMetadata: 'another writer changed the same domain; reload the table and retry',
  ConcurrentTransaction: 'another writer committed for the same app id; make sure only one instance of the job runs, then re-check its txn version',
  ConcurrentAppend: 're-run the operation on the latest version; to avoid this, make concurrent writers touch disjoint partitions or narrow the predicate',
  ConcurrentDeleteRead: 'a file this transaction read was removed; re-run the operation on the latest version',
  ConcurrentDeleteDelete: 'a file this transaction removes was already removed; re-run the operation on the latest version',
  ConcurrentVacuum: 're-run the write (nothing was committed); vacuum with a retention longer than the longest-running write so it never deletes files a writer has not committed yet',
}

/** A logical commit conflict (code `CommitConflict`, not retryable as is: the operation must be re-planned). */
export class CommitConflictError extends LakeError {
  declare readonly code: 'CommitConflict'
  readonly reason: ConflictReason
  readonly winningVersion: number
  /** The checker's message alone (without the reason prefix and the help line). */
  readonly detail: string

  /**
   * @param reason - the conflict classification from `checkConflicts`
   * @param winningVersion - the version of the concurrent commit that conflicts
   * @param detail - the checker's message
   * @param options - `path`: the file the conflict is about (a file deleted by a concurrent vacuum);
   *   `replans`: how many times the operation was re-planned before it gave up (row-level operations)
   */
  constructor(
    reason: ConflictReason,
    winningVersion: number,
    detail: string,
    options: { readVersion?: number; path?: string; replans?: number; cause?: unknown } = {},
  ) {
    const extra = { ...(options.path === undefined ? {} : { path: options.path }), ...(options.replans === undefined ? {} : { replans: options.replans }) }
    super('CommitConflict', `commit conflict (${reason}): ${detail}\nHelp: ${HELP[reason]}`, {
      context: { reason, winningVersion, readVersion: options.readVersion, ...extra },
      cause: options.cause,
    })
    this.reason = reason
    this.winningVersion = winningVersion
    this.detail = detail
  }
}
