// Parsing of a whole commit file (newline-delimited JSON) into its actions. Pure.

import { parseAction } from './parse-action.js'
import type { Action } from './types.js'

const decoder = new TextDecoder('utf-8', { fatal: false })

/**
 * Parses the bytes of commit `version` (`%020d.json`) into its actions, in file order.
 * Blank lines and unknown action types are skipped.
 * @throws ProtocolError `CorruptLog` naming the version and line of a malformed action.
 */
export function parseCommit(bytes: Uint8Array | string, version: number): Action[] {
  const text = typeof bytes === 'string' ? bytes : decoder.decode(bytes)
  const actions: Action[] = []
  let line = 0
  for (const raw of text.split('\n')) {
    line += 1
    const action = parseAction(raw, { version, line })
    if (action !== undefined) actions.push(action)
  }
  return actions
}
