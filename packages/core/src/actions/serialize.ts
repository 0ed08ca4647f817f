// Serialization of actions to the commit-file form: one `{"<kind>":{...}}` JSON object per line.
// The inverse of `parseAction`/`parseCommit`; unknown fields kept on the values are written back.

import type { Action } from './types.js'

const encoder = new TextEncoder()

/** One action as its commit-file JSON line (without the newline). */
export function serializeAction(action: Action): string {
  return JSON.stringify({ [action.kind]: actionBody(action) })
}

/**
 * A whole commit file: each action on its own line, in the given order, newline-terminated.
 * Writers put `commitInfo` first (required with in-commit timestamps).
 */
export function serializeCommit(actions: readonly Action[]): Uint8Array {
  return encoder.encode(actions.map((a) => serializeAction(a) + '\n').join(''))
}

function actionBody(action: Action): unknown {
  switch (action.kind) {
    case 'protocol':
      return action.protocol
    case 'metaData':
      return action.metaData
    case 'add':
      return action.add
    case 'remove':
      return action.remove
    case 'cdc':
      return action.cdc
    case 'txn':
      return action.txn
    case 'commitInfo':
      return action.commitInfo
    case 'domainMetadata':
      return action.domainMetadata
    case 'sidecar':
      return action.sidecar
    case 'checkpointMetadata':
      return action.checkpointMetadata
    default: {
      const unreachable: never = action
      return unreachable
    }
  }
}
