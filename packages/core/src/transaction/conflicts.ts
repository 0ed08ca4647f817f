// The conflict checker of optimistic concurrency (Delta Spark `ConflictChecker`, protocol-notes §6):
// classifies one winning commit against our transaction. Pure; a conflict is a value, not an exception.

import type { Action, AddFile, Protocol } from '../actions/types.js'
import { summarizeCommit } from './commit-summary.js'
import type { CommitSummary } from './commit-summary.js'
import type { IsolationLevel } from '../protocol/table-config.js'

/** Matches a file against one predicate our transaction read with: partition values and stats JSON. */
export type ReadPredicate = (partitionValues: Readonly<Record<string, string | null>>, stats: string | null | undefined) => boolean

/** What our transaction read and wants to commit. */
export interface TransactionRecord {
  /** The snapshot version the transaction read. */
  readonly readVersion: number
  /** Predicates of the scans the transaction made (a file matching any of them was "read"). */
  readonly readPredicates: readonly ReadPredicate[]
  /** The read predicates' text, for messages. */
  readonly readPredicateText?: string | undefined
  /** Paths (as in the log) of the files the transaction read. */
  readonly readFiles: ReadonlySet<string>
  /** True when the transaction read every file (full overwrite, unfiltered scan). */
  readonly readWholeTable: boolean
  /** App ids whose txn version the transaction read (its own `txn` actions count as read too). */
  readonly readAppIds: ReadonlySet<string>
  /** The actions the transaction wants to commit. */
  readonly actions: readonly Action[]
}

/** A commit that won a version after our read version. */
export interface WinningCommit {
  readonly version: number
  readonly actions: readonly Action[]
}

/** Why a winning commit conflicts with ours (the Delta exception names). */
export type ConflictReason =
  | 'ProtocolChanged'
  | 'MetadataChanged'
  | 'ConcurrentDomainMetadata'
  | 'ConcurrentTransaction'
  | 'ConcurrentAppend'
  | 'ConcurrentDeleteRead'
  | 'ConcurrentDeleteDelete'
  /** A vacuum that ran after our read version deleted files this transaction wrote (set by the commit loop). */
  | 'ConcurrentVacuum'

/** The checker's answer: rebase and retry, or a logical conflict with a message. */
export type ConflictCheck =
  | { readonly status: 'ok' }
  | { readonly status: 'conflict'; readonly reason: ConflictReason; readonly message: string }

/** Options of `checkConflicts`. */
export interface ConflictOptions {
  /** True when lake can still read and write a table with the winner's new protocol; absent ⇒ any protocol change conflicts. */
  readonly isProtocolWritable?: (protocol: Protocol) => boolean
}

/**
 * True when `record` is a blind append: it read nothing and its file actions are all adds
 * (OptimisticTransaction `isBlindAppend`). Written into commitInfo; never conflicts with other appends.
 */
export function isBlindAppend(record: TransactionRecord): boolean {
  const readsNothing = !record.readWholeTable && record.readPredicates.length === 0 && record.readFiles.size === 0
  return readsNothing && record.actions.every((a) => a.kind !== 'remove' && a.kind !== 'cdc')
}

/** Longest read predicate text a conflict message quotes whole. */
const MAX_PREDICATE_TEXT = 200

/** What `ours` read, for a ConcurrentAppend message: the whole table, or its read predicate's text (shortened). */
function readDescription(ours: TransactionRecord): string {
  if (ours.readWholeTable) return ' (the whole table)'
  const text = ours.readPredicateText
  if (text === undefined) return ''
  return ` (read predicate: ${text.length > MAX_PREDICATE_TEXT ? `${text.slice(0, MAX_PREDICATE_TEXT)}...` : text})`
}

/**
 * Classifies `winner` against `ours`, in Delta's order (protocol-notes §6):
 * 1. protocol: the winner changed it and we change it too, or we cannot write the new one ⇒ `ProtocolChanged`;
 * 2. metadata: any winner `metaData` ⇒ `MetadataChanged` (delta-rs; no allow-list of benign changes);
 * 3. domain metadata: a domain both commits write ⇒ `ConcurrentDomainMetadata`;
 * 4. app txn: the winner wrote a `txn` for an app id we read or write ⇒ `ConcurrentTransaction`;
 * 5. added files: the winner's `dataChange` adds, minus its blind-append adds under
 *    WriteSerializable when we change no metadata, that match a read predicate (or any, when we
 *    read the whole table) ⇒ `ConcurrentAppend`. Skipped when our commit changes no data (compaction:
 *    Spark downgrades it to SnapshotIsolation). A path the winner removes and re-adds (a new
 *    deletion vector: the same file with fewer rows) is not an append; its remove is checked next;
 * 6. double delete: a path both commits remove (any `dataChange`, so compaction is caught here) ⇒
 *    `ConcurrentDeleteDelete`. Checked before 7 (Spark checks 7 first): it is the more precise
 *    reason, and the one that matters for deletion vectors (two DELETEs marking rows of one file
 *    would each re-add it with a vector lacking the other's rows);
 * 7. deleted vs read: the winner removed (`dataChange=true`) a file we read, or anything when we
 *    read the whole table ⇒ `ConcurrentDeleteRead`. Removes with `dataChange=false` (compaction)
 *    are checked leniently, as in delta-rs: they rearrange rows without changing them (a DML that
 *    only read a compacted file commits; one that changes it is caught by 6).
 * A transaction without actions (a commit of commitInfo only, like VACUUM START/END) stops after 1.
 *
 * replaceWhere decision: a replaceWhere is not a blind append (it reads its predicate and removes
 * what matches), so under WriteSerializable a concurrent blind append into the replaced range does
 * not conflict (legal serial order: replace, then append; the appended rows stay) — Spark's
 * behaviour. Under Serializable it conflicts (`ConcurrentAppend`). Two replaceWheres on
 * overlapping ranges always conflict; on disjoint partitions they both commit.
 */
export function checkConflicts(
  ours: TransactionRecord,
  winner: WinningCommit,
  isolation: IsolationLevel,
  options: ConflictOptions = {},
): ConflictCheck {
  const theirs = summarizeCommit(winner.actions)
  const mine = summarizeCommit(ours.actions)
  const at = `concurrent commit at version ${winner.version} (this transaction read version ${ours.readVersion})`
  const conflict = (reason: ConflictReason, what: string): ConflictCheck => ({ status: 'conflict', reason, message: `${at} ${what}` })

  if (theirs.protocol !== undefined) {
    if (mine.protocol !== undefined) return conflict('ProtocolChanged', 'changed the protocol, and so does this transaction')
    if (options.isProtocolWritable?.(theirs.protocol) !== true) {
      return conflict('ProtocolChanged', `changed the protocol to ${describeProtocol(theirs.protocol)}`)
    }
  }
  // A commit of commitInfo only (VACUUM START/END) changes no table state: only a protocol change stops it.
  if (ours.actions.length === 0) return { status: 'ok' }
  if (theirs.hasMetadata) return conflict('MetadataChanged', 'changed the table metadata (schema, partitioning or properties)')
  const domain = [...theirs.domains].find((d) => mine.domains.has(d))
  if (domain !== undefined) return conflict('ConcurrentDomainMetadata', `also changed domain metadata '${domain}'`)
  const appId = [...theirs.appIds].find((id) => ours.readAppIds.has(id) || mine.appIds.has(id))
  if (appId !== undefined) return conflict('ConcurrentTransaction', `committed a transaction for app id '${appId}' too`)
  const added = addedFileReadByUs(ours, mine, theirs, isolation)
  if (added !== undefined) return conflict('ConcurrentAppend', `added file '${added.path}', which matches what this transaction read${readDescription(ours)}`)
  const ourRemoves = new Set(mine.removes.map((r) => r.path))
  const doubleDelete = theirs.removes.find((r) => ourRemoves.has(r.path))
  if (doubleDelete !== undefined) return conflict('ConcurrentDeleteDelete', `removed file '${doubleDelete.path}', which this transaction removes too`)
  const deletedRead = theirs.removes.find((r) => r.dataChange && (ours.readWholeTable || ours.readFiles.has(r.path)))
  if (deletedRead !== undefined) return conflict('ConcurrentDeleteRead', `removed file '${deletedRead.path}', which this transaction read`)
  return { status: 'ok' }
}

function addedFileReadByUs(ours: TransactionRecord, mine: CommitSummary, theirs: CommitSummary, isolation: IsolationLevel): AddFile | undefined {
  if (mine.isDataChangeFree) return undefined
  const skipBlindAppends = isolation === 'WriteSerializable' && !mine.hasMetadata
  if (skipBlindAppends && theirs.isBlindAppend) return undefined
  // A file the winner removes and re-adds in one commit got a new deletion vector: no new rows, and
  // the remove is checked below (DeleteDelete, DeleteRead).
  const reAdded = new Set(theirs.removes.map((r) => r.path))
  return theirs.adds.find(
    (a) => a.dataChange && !reAdded.has(a.path) && (ours.readWholeTable || ours.readPredicates.some((matches) => matches(a.partitionValues, a.stats))),
  )
}

function describeProtocol(p: Protocol): string {
  const features = [...(p.readerFeatures ?? []), ...(p.writerFeatures ?? [])]
  return `(${p.minReaderVersion},${p.minWriterVersion})${features.length > 0 ? ` [${[...new Set(features)].join(', ')}]` : ''}`
}
