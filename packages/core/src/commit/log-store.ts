// LogStore: commit atomicity over an ObjectStore. A commit is `putIfAbsent(_delta_log/%020d.json)`;
// losing the race is data (`conflict`), not an exception (PROTOCOL.md#Creation of New Log Entries).

import { isLakeError } from '@lake/storage'
import type { Action } from '../actions/types.js'
import { parseCommit } from '../actions/parse-commit.js'
import type { Engine } from '../engine.js'
import { commitPath } from '../log/log-path.js'

/** The outcome of one commit attempt. */
export type CommitAttempt = { readonly status: 'committed'; readonly version: number } | { readonly status: 'conflict'; readonly version: number }

/**
 * Writes the commit file of `version` if no commit exists at that version.
 * Guarantees (from the store's `putIfAbsent`): atomic visibility (readers see the whole file or
 * none), mutual exclusion (of concurrent writers of one version exactly one gets `committed`).
 * @throws StorageError for I/O failures other than losing the race.
 */
export async function writeCommit(engine: Engine, version: number, bytes: Uint8Array, signal?: AbortSignal): Promise<CommitAttempt> {
  try {
    await engine.store.putIfAbsent(commitPath(version), bytes, { signal })
    return { status: 'committed', version }
  } catch (err) {
    if (isLakeError(err, 'AlreadyExists')) return { status: 'conflict', version }
    throw err
  }
}

/**
 * The actions of commit `version`, or `undefined` when that commit does not exist (yet).
 * @throws ProtocolError `CorruptLog` when the file does not parse.
 */
export async function readCommitIfExists(engine: Engine, version: number, signal?: AbortSignal): Promise<Action[] | undefined> {
  try {
    return parseCommit(await engine.store.get(commitPath(version), { signal }), version)
  } catch (err) {
    if (isLakeError(err, 'NotFound')) return undefined
    throw err
  }
}
