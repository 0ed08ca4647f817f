// Finds the source range a committed batch actually covered: run-batch records it in the batch
// commit's commitInfo.userMetadata ({ lakeIngest: { appId, batchId, start, end } }). Reads the log only.

import { findCommitInfo, readCommit } from '@lake/core/internal'
import type { Engine, Snapshot } from '@lake/core'
import { isLakeError } from '@lake/storage'
import type { JsonValue } from '../types.js'

/** Commits read backwards from the snapshot before giving up (the batch is usually the latest commit). */
export const MAX_COMMITS_SCANNED = 100

/** The range a batch commit recorded. */
export interface CommittedRange {
  readonly version: number
  readonly start: JsonValue
  readonly end: JsonValue
}

/**
 * The range recorded by the commit holding `txn { appId, version: batchId }`, searching back from
 * `snapshot.version` over at most `MAX_COMMITS_SCANNED` commits. `undefined` when the commit is not
 * found (log cleaned up, too far back) or carries no range (committed by something other than a job).
 */
export async function findCommittedRange(engine: Engine, snapshot: Snapshot, appId: string, batchId: number, signal?: AbortSignal): Promise<CommittedRange | undefined> {
  const last = Math.max(-1, snapshot.version - MAX_COMMITS_SCANNED)
  for (let version = snapshot.version; version > last; version--) {
    let actions
    try {
      actions = await readCommit(engine, version, signal)
    } catch (err) {
      if (isLakeError(err, 'NotFound')) return undefined
      throw err
    }
    const txn = actions.find((a) => a.kind === 'txn' && a.txn.appId === appId)
    if (txn?.kind !== 'txn') continue
    // Stryker disable next-line ConditionalExpression: an app's txn versions only grow, so older commits cannot hold batchId either
    if (txn.txn.version < batchId) return undefined
    if (txn.txn.version === batchId) return rangeOf(findCommitInfo(actions)?.['userMetadata'], appId, batchId, version)
  }
  return undefined
}

function rangeOf(userMetadata: unknown, appId: string, batchId: number, version: number): CommittedRange | undefined {
  if (typeof userMetadata !== 'string') return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(userMetadata)
    // A block comment: Stryker reads a directive only where it leads a node (here the catch clause).
  } /* Stryker disable next-line BlockStatement: without the return, `parsed` stays undefined and the next check returns undefined */ catch {
    return undefined
  }
  // JSON.parse gives an object, array, string, number, boolean or null: all but null can be indexed.
  const info = (parsed as Readonly<Record<string, unknown>> | null)?.['lakeIngest']
  if (typeof info !== 'object' || info === null) return undefined
  const r = info as Record<string, unknown>
  if (r['appId'] !== appId || r['batchId'] !== batchId || !('start' in r) || !('end' in r)) return undefined
  return { version, start: r['start'] as JsonValue, end: r['end'] as JsonValue }
}
