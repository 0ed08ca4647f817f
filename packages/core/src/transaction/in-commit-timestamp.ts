// In-commit timestamps across a rebase (PROTOCOL.md#In-Commit Timestamps, protocol-notes §6 step 8):
// a commit's ICT must exceed its predecessor's. Pure; the clock reading is passed in.

import type { Action } from '../actions/types.js'

/**
 * The in-commit timestamp for our commit placed after `previous` (the actions of the commit
 * just before ours): `max(now, previous.inCommitTimestamp + 1)`. Without a previous ICT, `now`.
 */
export function nextInCommitTimestamp(now: number, previous: readonly Action[] | undefined): number {
  const info = previous?.find((a) => a.kind === 'commitInfo')
  const ict = info?.kind === 'commitInfo' ? info.commitInfo.inCommitTimestamp : undefined
  return typeof ict === 'number' && ict >= now ? ict + 1 : now
}
