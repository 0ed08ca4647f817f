// Planning of a change-feed stream's micro-batches, pure (Spark's readChangeFeed streaming): the
// starting snapshot's files are `insert` rows (split across batches by file, like the files of a
// plain stream), then each source commit gives its change sources (its `cdc` files, else its added
// files as inserts, removed files as deletes, deletion-vector updates as their difference). A commit
// is never split across batches: a batch takes whole commits while it has room, so the commit that
// crosses `maxFilesPerTrigger`/`maxBytesPerTrigger` is included and ends it.
//
//   const planner = new ChangeBatchPlanner(after, { metadata, protocol }, {}, { maxFiles: 1000 }, commitSources)
//   for (const c of commits) if (planner.offerCommit(c) !== 'more') break
//   planner.sources // the batch's change sources; planner.end its end position

import type { Metadata, Protocol } from '../../actions/types.js'
import { ChangeDataError } from '../../errors.js'
import { checkReadable } from '../../features/index.js'
import { parseTableConfig } from '../../protocol/table-config.js'
import type { FeedCommit, FeedSource } from './change-feed-port.js'
import { END_INDEX, isBefore } from './plan-offset.js'
import type { StreamPosition } from './plan-offset.js'
import { schemaChangeAt } from './plan.js'
import type { ChangeOptions, Offer, SourceFile, TriggerLimits } from './plan.js'

/** The table state a batch starts from. */
export interface ChangeTableState {
  readonly metadata: Metadata
  readonly protocol: Protocol
}

/** Collects the change sources of one change-feed batch after `after`. */
export class ChangeBatchPlanner {
  readonly sources: FeedSource[] = []
  #state: ChangeTableState
  #end: StreamPosition | undefined
  #files = 0
  #bytes = 0
  readonly #after: StreamPosition
  readonly #options: ChangeOptions
  readonly #maxFiles: number
  readonly #maxBytes: number
  readonly #sourcesOf: (commit: FeedCommit) => readonly FeedSource[]

  /** `sourcesOf` is the feed reader's `commitSources`. */
  constructor(after: StreamPosition, state: ChangeTableState, options: ChangeOptions, limits: TriggerLimits, sourcesOf: (commit: FeedCommit) => readonly FeedSource[]) {
    this.#after = after
    this.#sourcesOf = sourcesOf
    this.#state = state
    this.#options = options
    this.#maxFiles = limits.maxFiles ?? Number.POSITIVE_INFINITY
    this.#maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY
  }

  /** The metadata and protocol the batch is read with (in effect at its end). */
  get state(): ChangeTableState {
    return this.#state
  }

  /** The batch's end position; undefined while nothing was taken. */
  get end(): StreamPosition | undefined {
    return this.#end
  }

  /** Offers the starting snapshot's files (in stream order) as inserts at the snapshot's version and `timestamp`. */
  offerSnapshot(files: readonly SourceFile[], timestamp: number): Offer {
    for (const file of files) {
      if (!isBefore(this.#after, file)) continue
      if (!this.#hasRoom()) return 'full'
      this.sources.push({ kind: 'insert', version: file.version, timestamp, file: file.add })
      this.#take(file.add.size)
      this.#end = file
    }
    return this.#hasRoom() ? 'more' : 'full'
  }

  /**
   * Offers a commit after the snapshot: taken whole (`more`/`full`), or left for the next batch (`stop`:
   * the batch is full, or the commit changes the schema of a batch that already has rows).
   * @throws StreamError `SchemaChanged` without `allowSchemaChange`; ChangeDataError `ChangeDataNotRecorded`
   *   (context version, operation) for a commit that removes files without the change data feed;
   *   ProtocolError for a protocol lake cannot read.
   */
  offerCommit(commit: FeedCommit): Offer {
    const { version, actions } = commit
    let { metadata, protocol } = this.#state
    let operation = 'UNKNOWN'
    for (const action of actions) {
      if (action.kind === 'metaData') metadata = action.metaData
      else if (action.kind === 'protocol') protocol = action.protocol
      else if (action.kind === 'commitInfo' && typeof action.commitInfo.operation === 'string') operation = action.commitInfo.operation
    }
    if (!this.#hasRoom()) return 'stop'
    checkReadable(protocol, version)
    const changed = schemaChangeAt(version, operation, this.#state.metadata, metadata, this.#options)
    if (changed !== undefined && this.sources.length > 0) return 'stop'
    const sources = this.#sourcesOf(commit)
    if (!parseTableConfig(metadata.configuration).enableChangeDataFeed && sources.some((s) => s.kind === 'delete' || s.kind === 'deletionVectorDiff')) {
      throw new ChangeDataError(
        'ChangeDataNotRecorded',
        `change data feed stream: source commit ${version} (${operation}) removes files but was committed without the change data feed: expected delta.enableChangeDataFeed=true for every commit that changes existing rows, found it off; Help: stream without readChangeFeed (with skipChangeCommits), or start after version ${version}`,
        { context: { version, start: version, end: version, operation } },
      )
    }
    this.#state = { metadata, protocol }
    for (const source of sources) {
      this.sources.push(source)
      this.#take(source.kind === 'deletionVectorDiff' ? source.add.size : (source.file.size ?? 0))
    }
    this.#end = { version, index: END_INDEX, isStartingVersion: false }
    return this.#hasRoom() ? 'more' : 'full'
  }

  #take(bytes: number): void {
    this.#files++
    this.#bytes += bytes
  }

  #hasRoom(): boolean {
    return this.#files < this.#maxFiles && this.#bytes < this.#maxBytes
  }
}
