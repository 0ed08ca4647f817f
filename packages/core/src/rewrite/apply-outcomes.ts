// Applies per-file outcomes (docs/row-level-plan.md §2.4): writes the deletion vectors of all marked
// files into one DV file (old rows ∪ new rows), writes kept rows of rewritten files as new data files,
// and returns what the transaction stages, with the files the operation wrote before (an UPDATE's
// new rows under deletion vectors). Does not commit; on failure deletes all of them.

import type { Row, StructType } from '@lake/parquet'
import type { AddFile, DeletionVectorDescriptor } from '../actions/types.js'
import type { Engine } from '../engine.js'
import type { ColumnMappingMode } from '../schema/column-mapping.js'
import { discardAdds } from '../files/discard-files.js'
import { writeDataFiles } from '../files/write-data-files.js'
import { writeDeletionVectors } from '../files/write-deletion-vectors.js'
import { readDeletionVector } from '../read/read-deletion-vector.js'
import type { FileOutcome } from './file-outcome.js'
import { looseStats } from './loose-stats.js'

/** One file read by the operation and its outcome. */
export interface DecidedFile {
  readonly file: AddFile
  readonly outcome: FileOutcome
  readonly physicalRows: number
}

/** The table layout new data files are written with. */
export interface RewriteTarget {
  readonly schema: StructType
  readonly partitionColumns: readonly string[]
  readonly statsColumnLimit: number
  /** Files, stats and partition values use physical names unless `none`. */
  readonly columnMappingMode: ColumnMappingMode
}

/** What to stage: whole removes, deletion-vector updates (files with their loose stats), new files. */
export interface AppliedOutcomes {
  readonly removes: readonly AddFile[]
  readonly dvUpdates: ReadonlyMap<string, DeletionVectorDescriptor>
  /** The files whose DV changes, as they are in the snapshot. */
  readonly dvFiles: readonly AddFile[]
  /** Their new stats (old ones with `tightBounds:false`), by path. */
  readonly dvStats: ReadonlyMap<string, string>
  readonly adds: readonly AddFile[]
  /** The DV file written, if any (to delete when the commit fails). */
  readonly dvPath: string | undefined
  /** Rows written by copy-on-write rewrites (copied rows, and an UPDATE's replacements in them). */
  readonly copiedRows: number
}

/** Options of `applyOutcomes`. */
export interface ApplyOptions {
  /** Data files already written for the operation (an UPDATE's new rows, a `KeptRowsWriter`'s files): staged, and deleted on failure. */
  readonly written?: readonly AddFile[]
  /** Rows of copy-on-write rewrites already written (`KeptRowsWriter.rows`), counted in `copiedRows`. */
  readonly copiedRows?: number
  readonly signal?: AbortSignal | undefined
}

/**
 * Writes what the outcomes need and returns the staged pieces.
 * @throws DeletionVectorError, StorageError or ParquetError from the writes (written files deleted first).
 */
export async function applyOutcomes(engine: Engine, decided: readonly DecidedFile[], target: RewriteTarget, options: ApplyOptions = {}): Promise<AppliedOutcomes> {
  const { signal, written: already = [] } = options
  const removes = decided.filter((d) => d.outcome.kind === 'removeWhole' || d.outcome.kind === 'rewrite').map((d) => d.file)
  const marked = decided.filter((d) => d.outcome.kind === 'markRows')
  const kept = decided.flatMap((d) => (d.outcome.kind === 'rewrite' && d.outcome.keptRows.length > 0 ? [d.outcome.keptRows] : []))
  const written: { dvPath?: string | undefined; adds: AddFile[] } = { adds: [...already] }
  try {
    const dv = await writeMarked(engine, marked, signal)
    written.dvPath = dv.path
    for (const rows of kept) written.adds.push(...(await writeKept(engine, rows, target, signal)))
    const dvStats = new Map(marked.map((d) => [d.file.path, looseStats(d.file.stats, d.physicalRows)]))
    const copiedRows = kept.reduce((n, rows) => n + rows.length, options.copiedRows ?? 0)
    return { removes, dvUpdates: dv.updates, dvFiles: marked.map((d) => d.file), dvStats, adds: written.adds, dvPath: dv.path, copiedRows }
  } catch (err) {
    await discardWritten(engine, written.adds, written.dvPath)
    throw err
  }
}

/** Deletes files an attempt wrote (best effort: leftovers are orphans vacuum removes). */
export async function discardWritten(engine: Engine, adds: readonly AddFile[], dvPath: string | undefined): Promise<void> {
  await discardAdds(engine, adds)
  if (dvPath === undefined) return
  try {
    await engine.store.delete(dvPath)
  } catch {
    // Best effort, as discardAdds.
  }
}

async function writeMarked(
  engine: Engine,
  marked: readonly DecidedFile[],
  signal: AbortSignal | undefined,
): Promise<{ path: string | undefined; updates: Map<string, DeletionVectorDescriptor> }> {
  if (marked.length === 0) return { path: undefined, updates: new Map() }
  const rowSets: (readonly number[])[] = []
  for (const { file, outcome } of marked) {
    const fresh = outcome.kind === 'markRows' ? outcome.rowIndexes : []
    if (file.deletionVector === undefined || file.deletionVector === null) {
      rowSets.push(fresh)
      continue
    }
    const old = await readDeletionVector(engine.store, file.deletionVector, signal === undefined ? {} : { signal })
    rowSets.push([...old, ...fresh]) // the encoder sorts and dedupes: the union
  }
  const written = await writeDeletionVectors(engine, rowSets, signal === undefined ? {} : { signal })
  const updates = new Map(marked.map((d, i) => [d.file.path, written.descriptors[i] as DeletionVectorDescriptor]))
  return { path: written.path, updates }
}

function writeKept(engine: Engine, rows: readonly Row[], target: RewriteTarget, signal: AbortSignal | undefined): Promise<AddFile[]> {
  return writeDataFiles(engine, rows, { ...target, ...(signal === undefined ? {} : { signal }) })
}

/** Writes the kept rows of each copy-on-write rewrite as its own new files, as soon as they are known. */
export interface KeptRowsWriter {
  write(rows: readonly Row[]): Promise<void>
  /** The files written so far. */
  readonly adds: readonly AddFile[]
  /** The rows written so far. */
  readonly rows: number
  /** Deletes the files written (best effort), for an attempt that failed before `applyOutcomes`. */
  discard(): Promise<void>
}

/** A `KeptRowsWriter` (the `decideFiles` option `writeKeptRows`): one rewritten file's rows in memory at a time. */
export function keptRowsWriter(engine: Engine, target: RewriteTarget, signal: AbortSignal | undefined): KeptRowsWriter {
  const adds: AddFile[] = []
  let rows = 0
  return {
    async write(kept) {
      adds.push(...(await writeKept(engine, kept, target, signal)))
      rows += kept.length
    },
    get adds() {
      return adds
    },
    get rows() {
      return rows
    },
    discard: () => discardAdds(engine, adds),
  }
}
