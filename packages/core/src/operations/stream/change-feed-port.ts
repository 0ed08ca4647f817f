// What a change-feed stream (`readChangeFeed`) needs of the change data feed reader of
// operations/changes/, which an operation may not import: the facade (table/stream-table.ts)
// passes it, as it passes `writeDelta` to the sinks. The types mirror that reader's.
//
//   new TableStream(engine, { readChangeFeed: true }, writeSink, { commitSources, read: readChangesPlan, fields: CHANGE_METADATA_FIELDS })

import type { Row, StructField } from '@lake/parquet'
import type { Action, AddCDCFile, AddFile, Metadata, Protocol, RemoveFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'

/** Where change rows come from, for one version (the reader's `ChangeSource`). */
export type FeedSource =
  | { readonly kind: 'cdc'; readonly version: number; readonly timestamp: number; readonly file: AddCDCFile }
  | { readonly kind: 'insert'; readonly version: number; readonly timestamp: number; readonly file: AddFile }
  | { readonly kind: 'delete'; readonly version: number; readonly timestamp: number; readonly file: RemoveFile }
  | { readonly kind: 'deletionVectorDiff'; readonly version: number; readonly timestamp: number; readonly add: AddFile; readonly remove: RemoveFile }

/** A planned range of change sources, read with the metadata and protocol in effect at its end (the reader's `ChangesPlan`). */
export interface FeedPlan {
  readonly start: number
  readonly end: number
  readonly metadata: Metadata
  readonly protocol: Protocol
  readonly sources: readonly FeedSource[]
}

/** One commit with its commit timestamp (epoch ms). */
export interface FeedCommit {
  readonly version: number
  readonly timestamp: number
  readonly actions: readonly Action[]
}

/** The change data feed reader a change-feed stream uses. */
export interface ChangeFeedPort {
  /** The change sources of one commit: its `cdc` files, else added files as inserts, removed as deletes, DV updates as their difference. */
  readonly commitSources: (commit: FeedCommit) => readonly FeedSource[]
  /** The change rows of a plan, with the change columns, projected and filtered. */
  readonly read: (engine: Engine, plan: FeedPlan, options: { readonly columns?: readonly string[]; readonly filter?: string; readonly signal?: AbortSignal }) => AsyncIterable<Row[]>
  /** The columns the feed adds: `_change_type`, `_commit_version`, `_commit_timestamp`. */
  readonly fields: readonly StructField[]
}
