// RESTORE planning (Spark RestoreTableCommand): the actions that make the live file set, metadata
// and protocol of the latest version equal to those of a target version. Pure.

import type { Action, AddFile, Metadata, Protocol } from '../../actions/types.js'
import { fileKey } from '../../replay/file-key.js'
import { removeOf } from '../../actions/remove-of.js'

/** A table version as restore sees it. */
export interface RestoreState {
  readonly version: number
  readonly files: readonly AddFile[]
  readonly metadata: Metadata
  readonly protocol: Protocol
}

/** Spark's RESTORE metrics. */
export interface RestoreMetrics {
  readonly tableSizeAfterRestore: number
  readonly numOfFilesAfterRestore: number
  readonly numRemovedFiles: number
  readonly numRestoredFiles: number
  readonly removedFilesSize: number
  readonly restoredFilesSize: number
}

/** The actions of the restore commit (without commitInfo), the files it re-adds, and its metrics. */
export interface RestorePlan {
  readonly actions: readonly Action[]
  readonly restored: readonly AddFile[]
  readonly metrics: RestoreMetrics
}

/**
 * Plans a restore of `current` to `target`: re-adds (dataChange=true) files live in the target but
 * not now, removes files live now but not in the target, writes the target's metadata when it
 * differs, and a protocol when the target needs more than the current one (a restore never
 * downgrades the protocol, as in Spark). Files are matched by path and deletion vector.
 */
export function planRestore(current: RestoreState, target: RestoreState, now: number): RestorePlan {
  const currentKeys = new Set(current.files.map(fileKey))
  const targetKeys = new Set(target.files.map(fileKey))
  const restored = target.files.filter((f) => !currentKeys.has(fileKey(f))).map((f) => ({ ...f, dataChange: true }))
  const removed = current.files.filter((f) => !targetKeys.has(fileKey(f)))
  const protocol = mergedProtocol(current.protocol, target.protocol)
  const actions: Action[] = [
    ...(protocol === undefined ? [] : [{ kind: 'protocol' as const, protocol }]),
    ...(sameJson(current.metadata, target.metadata) ? [] : [{ kind: 'metaData' as const, metaData: target.metadata }]),
    ...removed.map((f) => ({ kind: 'remove' as const, remove: removeOf(f, now) })),
    ...restored.map((add) => ({ kind: 'add' as const, add })),
  ]
  const sum = (files: readonly AddFile[]): number => files.reduce((n, f) => n + f.size, 0)
  return {
    actions,
    restored,
    metrics: {
      tableSizeAfterRestore: sum(target.files),
      numOfFilesAfterRestore: target.files.length,
      numRemovedFiles: removed.length,
      numRestoredFiles: restored.length,
      removedFilesSize: sum(removed),
      restoredFilesSize: sum(restored),
    },
  }
}

/** The protocol satisfying both, or `undefined` when `current` already covers `target`. */
function mergedProtocol(current: Protocol, target: Protocol): Protocol | undefined {
  const reader = union(current.readerFeatures, target.readerFeatures)
  const writer = union(current.writerFeatures, target.writerFeatures)
  const merged: Protocol = {
    minReaderVersion: Math.max(current.minReaderVersion, target.minReaderVersion),
    minWriterVersion: Math.max(current.minWriterVersion, target.minWriterVersion),
    ...(reader === undefined ? {} : { readerFeatures: reader }),
    ...(writer === undefined ? {} : { writerFeatures: writer }),
  }
  return sameJson(merged, current) ? undefined : merged
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] | undefined {
  if (a === undefined && b === undefined) return undefined
  return [...new Set([...(a ?? []), ...(b ?? [])])]
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
