// The shapes of the feature registry (kernel's `FeatureInfo`, table_features/mod.rs) and of the
// write checks its records carry. Types only.

import type { StructType } from '@lake/parquet'
import type { Protocol } from '../actions/types.js'

/** What the commit will do, as far as feature checks care. */
export interface WriteIntent {
  /** The commit removes files with `dataChange=true` (overwrite, replaceWhere, delete). */
  readonly removesData: boolean
  /** The commit rewrites rows of existing files (replaceWhere on data columns, update): needs CDC files under CDF. */
  readonly rewritesRows?: boolean
  /** The commit records its row changes in change data files when the table needs them (DELETE, UPDATE, MERGE through a change sink). */
  readonly writesChangeData?: boolean
  /** The commit writes deletion vectors. lake never does yet. */
  readonly writesDeletionVectors?: boolean
  /** The rows it rewrites get their generated columns recomputed (UPDATE): generated columns are then writable. */
  readonly computesGeneratedColumns?: boolean
}

/** The table state the check needs. */
export interface WriteTarget {
  readonly protocol: Protocol
  readonly schema: StructType
  readonly configuration: Readonly<Record<string, string>>
}

/** Options of `canWrite`. */
export interface CanWriteOptions {
  /** True when lake can evaluate this SQL expression row-wise (from `src/expr/`); absent ⇒ none can be. */
  readonly canEvaluate?: (expression: string) => boolean
}

/** `ok`, or the feature that stops the write and why. */
export type WriteCheck = { readonly status: 'ok' } | { readonly status: 'unsupported'; readonly feature: string; readonly message: string }

/** A check of a write: `undefined` when lake may write, else what stops it (a sentence fragment). */
export type WriteRule = (target: WriteTarget, intent: WriteIntent, options: CanWriteOptions, legacyImplied: boolean) => string | undefined

/** What a feature requires of another on the same protocol (PROTOCOL.md: e.g. rowTracking needs domainMetadata). */
export interface FeatureRequirement {
  readonly feature: string
  readonly as: 'supported' | 'enabled' | 'notSupported'
}

/** One table feature, as lake knows it. Every rule about features is derived from these records. */
export interface FeatureInfo {
  /** The protocol's spelling (PROTOCOL.md#Valid Feature Names in Table Features). */
  readonly name: string
  /** `readerWriter` features appear in `readerFeatures` (reader version 3) and `writerFeatures`; `writer` in `writerFeatures` only. */
  readonly kind: 'writer' | 'readerWriter'
  /** Legacy protocol versions that imply it; absent: table-features protocols only (reader 3 / writer 7). */
  readonly legacy?: { readonly reader: number; readonly writer: number }
  /** lake reads tables whose protocol lists it (writer-only features never block reads: always true for them). */
  readonly read: boolean
  /** lake commits to tables that support it: always, never, or a rule that names the problem. */
  readonly write: boolean | WriteRule
  /** Checked whatever the protocol says: a `column` lake would fill wrongly (checked first), or a `table` property forbidding the intent. */
  readonly guard?: { readonly scope: 'column' | 'table'; readonly check: (target: WriteTarget, intent: WriteIntent) => string | undefined }
  /** false: lake cannot write classic (V1) checkpoints to a table supporting it. Absent: it can. */
  readonly checkpoints?: false
  /** lake creates tables, and upgrades protocols, with it. */
  readonly create: boolean
  /** When the feature is in use, so a new table or an upgrade needs it (besides `delta.feature.<name>`). */
  readonly enabledBy?: {
    /** A table property (matched case-insensitively) that turns it on. */
    readonly property?: string
    /** Which values of `property` turn it on; absent: `true` in any case. */
    readonly enables?: (value: string) => boolean
    /** A test of the schema and properties that finds it in use. */
    readonly when?: (schema: StructType, configuration: Readonly<Record<string, string>>) => boolean
  }
  /** Features it needs (or excludes) on the same protocol; checked when lake creates or upgrades a protocol. */
  readonly requires?: readonly FeatureRequirement[]
}
