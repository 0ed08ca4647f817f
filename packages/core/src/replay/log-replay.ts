// Log replay (PROTOCOL.md#Action Reconciliation): folds a checkpoint and then commits in ascending
// version order into table state. Pure and synchronous: no I/O, no clock.

import type {
  Action,
  AddFile,
  CommitInfo,
  DomainMetadata,
  Metadata,
  Protocol,
  RemoveFile,
  Txn,
} from '../actions/types.js'
import { ProtocolError } from '../errors.js'
import { fileKey } from './file-key.js'

/** The reconciled state of a table at one version. */
export interface ReplayState {
  readonly protocol: Protocol
  readonly metadata: Metadata
  /** Live files by logical key. */
  readonly files: ReadonlyMap<string, AddFile>
  /** Tombstones (removes not re-added) by logical key, kept for VACUUM. */
  readonly tombstones: ReadonlyMap<string, RemoveFile>
  /** Latest `txn` per appId. */
  readonly appTransactions: ReadonlyMap<string, Txn>
  /** Latest non-removed domain metadata per domain. */
  readonly domainMetadata: ReadonlyMap<string, DomainMetadata>
  /** The commitInfo of the last commit applied (undefined when it had none, or only a checkpoint was read). */
  readonly commitInfo?: CommitInfo
}

/**
 * Accumulates actions in version order. Within one commit (or the checkpoint) actions are a set:
 * removes apply before adds, so the outcome never depends on line order.
 */
export class LogReplay {
  #protocol: Protocol | undefined
  #metadata: Metadata | undefined
  #commitInfo: CommitInfo | undefined
  #lastVersion = -1
  // Stryker disable next-line BooleanLiteral: only read once a version was applied, which sets it
  #inCheckpoint = false
  readonly #files = new Map<string, AddFile>()
  readonly #tombstones = new Map<string, RemoveFile>()
  readonly #txns = new Map<string, Txn>()
  readonly #domains = new Map<string, DomainMetadata>()

  /**
   * Applies the actions of a checkpoint at `version` (must come first). May be called once per
   * batch of the same checkpoint: a checkpoint is already reconciled, so batches commute.
   * @throws ProtocolError `CorruptLog` when applied after a commit.
   */
  applyCheckpoint(version: number, actions: Iterable<Action>): void {
    if (this.#lastVersion >= 0 && !(this.#inCheckpoint && version === this.#lastVersion)) {
      throw new ProtocolError('CorruptLog', `checkpoint ${version} applied after version ${this.#lastVersion}: expected it first`)
    }
    this.#apply(actions)
    this.#commitInfo = undefined
    this.#lastVersion = version
    this.#inCheckpoint = true
  }

  /**
   * Applies the actions of commit `version`, which must be the next version.
   * @throws ProtocolError `CorruptLog` when versions are not ascending and contiguous.
   */
  applyCommit(version: number, actions: Iterable<Action>): void {
    if (this.#lastVersion >= 0 && version !== this.#lastVersion + 1) {
      throw new ProtocolError('CorruptLog', `commit ${version} applied after version ${this.#lastVersion}: expected ${this.#lastVersion + 1}`, {
        context: { version },
      })
    }
    this.#commitInfo = undefined
    this.#apply(actions)
    this.#lastVersion = version
    this.#inCheckpoint = false
  }

  /**
   * The state after everything applied so far.
   * @throws ProtocolError `CorruptLog` when no protocol or no metadata was seen.
   */
  state(): ReplayState {
    const protocol = this.#protocol
    const metadata = this.#metadata
    if (protocol === undefined || metadata === undefined) {
      const missing = protocol === undefined ? 'protocol' : 'metaData'
      throw new ProtocolError('CorruptLog', `log replay to version ${this.#lastVersion}: expected a ${missing} action, found none`, {
        context: { version: this.#lastVersion },
      })
    }
    const state: ReplayState = {
      protocol,
      metadata,
      files: this.#files,
      tombstones: this.#tombstones,
      appTransactions: this.#txns,
      domainMetadata: this.#domains,
    }
    return this.#commitInfo === undefined ? state : { ...state, commitInfo: this.#commitInfo }
  }

  #apply(actions: Iterable<Action>): void {
    const adds: AddFile[] = []
    for (const action of actions) {
      switch (action.kind) {
        case 'add':
          adds.push(action.add)
          break
        case 'remove': {
          const key = fileKey(action.remove)
          this.#files.delete(key)
          this.#tombstones.set(key, action.remove)
          break
        }
        case 'protocol':
          this.#protocol = action.protocol
          break
        case 'metaData':
          this.#metadata = action.metaData
          break
        case 'txn':
          this.#txns.set(action.txn.appId, action.txn)
          break
        case 'domainMetadata':
          if (action.domainMetadata.removed) this.#domains.delete(action.domainMetadata.domain)
          else this.#domains.set(action.domainMetadata.domain, action.domainMetadata)
          break
        case 'commitInfo':
          this.#commitInfo = action.commitInfo
          break
        case 'cdc':
        case 'sidecar':
        case 'checkpointMetadata':
          break
        // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustive switch, no other kind type-checks
        default: {
          const unreachable: never = action
          return unreachable
        }
      }
    }
    for (const add of adds) {
      const key = fileKey(add)
      this.#files.set(key, add)
      this.#tombstones.delete(key)
    }
  }
}

/**
 * Replays a checkpoint (optional) and commits into the state at the last version. Convenience over
 * `LogReplay` for values already in memory.
 */
export function replay(
  checkpoint: { readonly version: number; readonly actions: Iterable<Action> } | undefined,
  commits: Iterable<{ readonly version: number; readonly actions: Iterable<Action> }>,
): ReplayState {
  const log = new LogReplay()
  if (checkpoint !== undefined) log.applyCheckpoint(checkpoint.version, checkpoint.actions)
  for (const commit of commits) log.applyCommit(commit.version, commit.actions)
  return log.state()
}
