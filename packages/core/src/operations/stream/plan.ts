// Planning of a table stream's micro-batches, pure (Spark's DeltaSource rules): which files each
// source commit contributes, which commits stop the stream, and where a batch ends under
// `maxFilesPerTrigger` / `maxBytesPerTrigger` (a file is never split).
//
//   const planner = new BatchPlanner(after, metadata, { ignoreDeletes: true }, { maxFiles: 1000 })
//   for (const c of commits) if (planner.offerCommit(c.version, c.actions) !== 'more') break
//   planner.files // the batch

import type { Action, AddFile, Metadata } from '../../actions/types.js'
import { StreamError } from '../../errors.js'
import { checkReadable } from '../../features/index.js'
import { isBefore } from './plan-offset.js'
import type { StreamPosition } from './plan-offset.js'

/** Default `maxFilesPerTrigger` (Spark's). */
export const DEFAULT_MAX_FILES_PER_TRIGGER = 1000

/** How a stream treats commits that are not appends (Spark's options, same meanings). */
export interface ChangeOptions {
  /** Skip commits that only remove files (DELETE of whole files or partitions). */
  readonly ignoreDeletes?: boolean
  /** Re-emit the files a commit rewrote (UPDATE, MERGE, DELETE within files, overwrite): duplicates. Implies ignoreDeletes. */
  readonly ignoreChanges?: boolean
  /** Skip every commit that removes files, whatever it adds. */
  readonly skipChangeCommits?: boolean
  /** Go on with the new schema when the source schema changes (default: `SchemaChanged` error). */
  readonly allowSchemaChange?: boolean
}

/** Batch size limits; both soft like Spark's: a batch holds at least one file, a file is never split. */
export interface TriggerLimits {
  readonly maxFiles?: number
  readonly maxBytes?: number
}

/** A file a stream emits, at its position. */
export interface SourceFile extends StreamPosition {
  readonly add: AddFile
}

/** What one commit gives the stream. */
export interface CommitFiles {
  readonly files: readonly SourceFile[]
  /** Set when the commit changes the schema or the partition columns (and the change is allowed). */
  readonly metadata?: Metadata
}

/**
 * The files commit `version` contributes to a stream reading with `current` metadata.
 * @throws StreamError `UnsupportedChange` (context version, operation) for a commit removing data without
 * the option that allows it; `SchemaChanged` (context version) for a schema change without `allowSchemaChange`.
 * @throws ProtocolError when the commit's protocol is one lake cannot read.
 */
export function commitFiles(version: number, actions: readonly Action[], current: Metadata, options: ChangeOptions): CommitFiles {
  const adds: AddFile[] = []
  let removes = 0
  let metadata: Metadata | undefined
  let operation = 'UNKNOWN'
  for (const action of actions) {
    if (action.kind === 'add' && action.add.dataChange) adds.push(action.add)
    else if (action.kind === 'remove' && action.remove.dataChange) removes++
    else if (action.kind === 'metaData') metadata = action.metaData
    else if (action.kind === 'protocol') checkReadable(action.protocol, version)
    else if (action.kind === 'commitInfo' && typeof action.commitInfo.operation === 'string') operation = action.commitInfo.operation
  }
  const changed = schemaChangeAt(version, operation, current, metadata, options)
  const emitted = removes === 0 ? adds : changeFiles(version, operation, adds, options)
  const files = emitted.map((add, index) => ({ version, index, isStartingVersion: false, add }))
  return changed === undefined ? { files } : { files, metadata: changed }
}

/**
 * `next` when it changes the schema of `current` and `allowSchemaChange` allows it; undefined when it does not change it.
 * @throws StreamError `SchemaChanged` (context version, operation) for a change that is not allowed.
 */
export function schemaChangeAt(version: number, operation: string, current: Metadata, next: Metadata | undefined, options: ChangeOptions): Metadata | undefined {
  if (next === undefined || !schemaChanged(current, next)) return undefined
  if (options.allowSchemaChange === true) return next
  throw new StreamError(
    'SchemaChanged',
    `the source schema changed at version ${version} (${operation}): expected the stream's schema ${current.schemaString} partitioned by [${current.partitionColumns.join(', ')}], found ${next.schemaString} partitioned by [${next.partitionColumns.join(', ')}]; Help: restart with allowSchemaChange (--allow-schema-change) to continue with the new schema`,
    { context: { version, operation } },
  )
}

function changeFiles(version: number, operation: string, adds: readonly AddFile[], options: ChangeOptions): readonly AddFile[] {
  if (options.skipChangeCommits === true) return []
  if (adds.length > 0) {
    if (options.ignoreChanges === true) return adds
    throw new StreamError(
      'UnsupportedChange',
      `source commit ${version} (${operation}) changes existing rows: expected only appends in a stream source, found files removed and rewritten; Help: use skipChangeCommits (--skip-change-commits) to skip such commits, or ignoreChanges to re-emit the rewritten files (duplicates)`,
      { context: { version, operation } },
    )
  }
  if (options.ignoreDeletes === true || options.ignoreChanges === true) return []
  throw new StreamError(
    'UnsupportedChange',
    `source commit ${version} (${operation}) deletes rows: expected only appends in a stream source, found files removed; Help: use ignoreDeletes (--ignore-deletes) or skipChangeCommits (--skip-change-commits) to skip it`,
    { context: { version, operation } },
  )
}

function schemaChanged(a: Metadata, b: Metadata): boolean {
  return a.schemaString !== b.schemaString || a.partitionColumns.join('\u0000') !== b.partitionColumns.join('\u0000')
}

/** The files of the starting snapshot at `version`, in Spark's order: modification time, then path. */
export function startingFiles(files: readonly AddFile[], version: number): SourceFile[] {
  const sorted = [...files].sort((a, b) => a.modificationTime - b.modificationTime || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return sorted.map((add, index) => ({ version, index, isStartingVersion: true, add }))
}

/** Whether an offered commit was taken whole (`more`), filled the batch (`full`), or must start the next batch (`stop`). */
export type Offer = 'more' | 'full' | 'stop'

/**
 * Collects the files of one batch: those after `after`, at most the limits (the file crossing
 * `maxBytes` is included, as in Spark), never across a schema change (such a commit starts the
 * next batch). `metadata` is the schema the batch's files are read with.
 */
export class BatchPlanner {
  readonly files: SourceFile[] = []
  #metadata: Metadata
  #bytes = 0
  readonly #after: StreamPosition | undefined
  readonly #options: ChangeOptions
  readonly #maxFiles: number
  readonly #maxBytes: number

  constructor(after: StreamPosition | undefined, metadata: Metadata, options: ChangeOptions, limits: TriggerLimits) {
    this.#after = after
    this.#metadata = metadata
    this.#options = options
    this.#maxFiles = limits.maxFiles ?? Number.POSITIVE_INFINITY
    this.#maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY
  }

  /** The metadata the batch's files are read with. */
  get metadata(): Metadata {
    return this.#metadata
  }

  /** Offers files in stream order (the starting snapshot's). */
  offerFiles(files: readonly SourceFile[]): Offer {
    for (const file of files) {
      if (this.#after !== undefined && !isBefore(this.#after, file)) continue
      if (!this.#hasRoom()) return 'full'
      this.files.push(file)
      this.#bytes += file.add.size
    }
    return this.#hasRoom() ? 'more' : 'full'
  }

  /** Offers commit `version`. @throws StreamError as `commitFiles` does. */
  offerCommit(version: number, actions: readonly Action[]): Offer {
    const { files, metadata } = commitFiles(version, actions, this.#metadata, this.#options)
    if (metadata !== undefined) {
      if (this.files.length > 0) return 'stop'
      this.#metadata = metadata
    }
    return this.offerFiles(files)
  }

  #hasRoom(): boolean {
    return this.files.length < this.#maxFiles && this.#bytes < this.#maxBytes
  }
}
