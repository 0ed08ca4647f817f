// Concurrent table creation: two writers race for version 0, and the loser's commit conflicts with
// the winner's protocol and metadata. Recognises that loss and words the error when a redo cannot fit.
//
//   if (isLostCreateRace(err)) throw concurrentCreateError(await loadSnapshot(engine), err, err)

import { LakeError } from '@lake/storage'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { CommitConflictError } from '../../transaction/commit-conflict-error.js'
import { WriteError } from '../../errors.js'

/**
 * True when `err` says a create commit lost the race for version 0 to another create (the winner
 * wrote protocol and metadata, protocol-notes §6 "Creating a table concurrently").
 */
export function isLostCreateRace(err: unknown): err is CommitConflictError {
  return err instanceof CommitConflictError && err.winningVersion === 0 && (err.reason === 'ProtocolChanged' || err.reason === 'MetadataChanged')
}

/**
 * The error of a write whose create lost the race and that cannot be redone against the table the
 * winner created (its mode is `error`, or the rows do not fit the winner's schema or partitioning).
 * Code `TableExists`; the reason the redo was refused is the `cause` (and is quoted in the message).
 */
export function concurrentCreateError(created: Snapshot, lost: CommitConflictError, cause: unknown): WriteError {
  const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause)
  const causeCode = cause instanceof LakeError ? cause.code : undefined
  return new WriteError(
    'TableExists',
    `table ${created.tableUrl} was created concurrently by another writer (it won version 0), and this write cannot go into it: ${why}` +
      `\nHelp: write with the existing table's schema and partitioning (or schemaMode 'merge'), or with mode 'append'/'overwrite' instead of 'error'`,
    { context: { version: created.version, winningVersion: lost.winningVersion, causeCode }, cause },
  )
}
