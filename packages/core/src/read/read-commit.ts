// Reading commit files: one `get` per commit, parsed into actions.

import { parseCommit } from '../actions/parse-commit.js'
import type { Action, CommitInfo } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { commitPath } from '../log/log-path.js'

/**
 * Reads and parses commit `version` (`_delta_log/%020d.json`).
 * @throws StorageError `NotFound` when the commit does not exist; ProtocolError `CorruptLog` when malformed.
 */
export async function readCommit(engine: Engine, version: number, signal?: AbortSignal): Promise<Action[]> {
  return parseCommit(await engine.store.get(commitPath(version), { signal }), version)
}

/** The commitInfo of a commit's actions, if it has one. */
export function findCommitInfo(actions: readonly Action[]): CommitInfo | undefined {
  for (const action of actions) if (action.kind === 'commitInfo') return action.commitInfo
  return undefined
}
