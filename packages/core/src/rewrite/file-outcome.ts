// What a row-level operation does to one data file it read (docs/row-level-plan.md §2.2). Pure.

import type { Row } from '@lake/parquet'

/**
 * `untouched`: no row affected. `removeWhole`: every live row affected and nothing to keep (no DV, no
 * copy, as Spark does). `markRows`: the physical row indexes to add to the file's deletion vector.
 * `rewrite`: the rows the new file holds (copy-on-write: copied rows, and an UPDATE's new rows).
 */
export type FileOutcome =
  | { readonly kind: 'untouched' }
  | { readonly kind: 'removeWhole' }
  | { readonly kind: 'markRows'; readonly rowIndexes: readonly number[] }
  | { readonly kind: 'rewrite'; readonly keptRows: readonly Row[] }

/** How affected rows leave a file: deletion vectors or copy-on-write. */
export type RewriteMode = 'deletionVectors' | 'copyOnWrite'

/** What a file read for the operation held: its live rows and which of them are affected. */
export interface FileReadResult {
  readonly liveRows: number
  /** Physical row indexes of the affected rows. */
  readonly affected: readonly number[]
  /** The rows a copy-on-write rewrite writes (unaffected rows, and replacements); empty with deletion vectors. */
  readonly keptRows: readonly Row[]
}

/** Decides the outcome of one file from what its read found. */
export function fileOutcome(read: FileReadResult, mode: RewriteMode): FileOutcome {
  if (read.affected.length === 0) return { kind: 'untouched' }
  if (read.affected.length >= read.liveRows && read.keptRows.length === 0) return { kind: 'removeWhole' }
  return mode === 'deletionVectors' ? { kind: 'markRows', rowIndexes: read.affected } : { kind: 'rewrite', keptRows: read.keptRows }
}
