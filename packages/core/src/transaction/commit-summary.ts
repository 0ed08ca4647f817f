// What the conflict checker needs to know about one commit's actions, gathered in one pass.
// Pure.

import type { Action, AddFile, Protocol, RemoveFile } from '../actions/types.js'

/** The parts of a commit that conflict rules look at. */
export interface CommitSummary {
  readonly protocol: Protocol | undefined
  readonly hasMetadata: boolean
  readonly adds: readonly AddFile[]
  readonly removes: readonly RemoveFile[]
  readonly appIds: ReadonlySet<string>
  readonly domains: ReadonlySet<string>
  /** `commitInfo.isBlindAppend === true` (a commit without commitInfo is not a blind append). */
  readonly isBlindAppend: boolean
  /** True when every file action has `dataChange=false` and nothing else changes the table (compaction). */
  readonly isDataChangeFree: boolean
}

/** Summarizes the actions of one commit. */
export function summarizeCommit(actions: readonly Action[]): CommitSummary {
  let protocol: Protocol | undefined
  let hasMetadata = false
  let isBlindAppend = false
  let hasOtherChange = false
  const adds: AddFile[] = []
  const removes: RemoveFile[] = []
  const appIds = new Set<string>()
  const domains = new Set<string>()
  for (const action of actions) {
    switch (action.kind) {
      case 'protocol':
        protocol = action.protocol
        break
      case 'metaData':
        hasMetadata = true
        break
      case 'add':
        adds.push(action.add)
        break
      case 'remove':
        removes.push(action.remove)
        break
      case 'txn':
        appIds.add(action.txn.appId)
        break
      case 'domainMetadata':
        domains.add(action.domainMetadata.domain)
        break
      case 'commitInfo':
        isBlindAppend = action.commitInfo.isBlindAppend === true
        break
      case 'cdc':
      case 'sidecar':
      case 'checkpointMetadata':
        hasOtherChange ||= action.kind === 'cdc'
        break
      default: {
        const unreachable: never = action
        return unreachable
      }
    }
  }
  const isDataChangeFree =
    protocol === undefined && !hasMetadata && !hasOtherChange && adds.every((a) => !a.dataChange) && removes.every((r) => !r.dataChange)
  return { protocol, hasMetadata, adds, removes, appIds, domains, isBlindAppend, isDataChangeFree }
}
