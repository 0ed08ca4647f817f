// Reads the candidate files of a row-level operation one by one and decides each file's outcome
// (docs/row-level-plan.md §2.2-2.3). Shared by DELETE and UPDATE: they differ only in the
// `RowChange` applied to each live row. Replacement rows (deletion-vector mode) leave after each
// file through `writeNewRows` (a rolling writer), and kept rows of copy-on-write rewrites through
// `writeKeptRows`, so memory holds one file's rows at a time.

import type { Row } from '@lake/parquet'
import { statsNumRecords } from '../actions/row-count.js'
import type { AddFile } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { InvalidArgumentError } from '../errors.js'
import { planScan } from '../scan/plan-scan.js'
import { compileFileReader } from '../scan/read-scan-file.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import type { DecidedFile, RewriteTarget } from './apply-outcomes.js'
import { fileOutcome } from './file-outcome.js'
import type { RewriteMode } from './file-outcome.js'
import { readAffected } from './read-affected.js'
import type { RowChange } from './read-affected.js'

/** The outcome of every file read, with the row counts metrics need. */
export interface DecidedFiles {
  readonly files: readonly DecidedFile[]
  /** Rows that left their file (deleted or replaced). */
  readonly affectedRows: number
  /** Unchanged rows copied by copy-on-write rewrites. */
  readonly copiedRows: number
}

/** Receives the replacement rows of one file (deletion-vector mode), e.g. `RollingFileWriter.write`. */
export type NewRowsSink = (rows: readonly Row[]) => Promise<void>

/** Options of `decideFiles`. */
export interface DecideOptions {
  readonly signal?: AbortSignal | undefined
  readonly writeNewRows?: NewRowsSink
  /** Called after each file is decided (e.g. `ChangeSink.flush`, writing that file's changes). */
  readonly afterFile?: () => Promise<void>
  /**
   * Receives the kept rows of each copy-on-write rewrite as soon as its file is decided (e.g.
   * `KeptRowsWriter.write`); the file's outcome then holds no rows. Absent: outcomes keep them.
   */
  readonly writeKeptRows?: NewRowsSink
  /**
   * Says false for a file with certainly no affected row (e.g. `mayMatch` of rewrite/columnar-match.ts,
   * which reads only the predicate's columns): that file is `untouched` without being read row by row.
   */
  readonly mayAffect?: (file: AddFile) => Promise<boolean>
}

/**
 * Reads each of `files` with row indexes, applies `change` to every live row and decides the file's
 * outcome; replacement rows go to `writeNewRows` after each file (an error when there is none).
 * @throws as `readAffected`, and what `writeNewRows` throws.
 */
export async function decideFiles(
  engine: Engine,
  snapshot: Pick<Snapshot, 'schema' | 'partitionColumns' | 'columnMappingMode'>,
  files: readonly AddFile[],
  change: RowChange,
  mode: RewriteMode,
  options: DecideOptions = {},
): Promise<DecidedFiles> {
  const { signal, writeNewRows, afterFile, writeKeptRows, mayAffect } = options
  const decided: DecidedFile[] = []
  let affectedRows = 0
  let copiedRows = 0
  if (files.length === 0) return { files: decided, affectedRows, copiedRows }
  const source = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode, files: (): AddFile[] => [] }
  const reader = compileFileReader(planScan(source))
  for (const file of files) {
    if (mayAffect !== undefined && !(await mayAffect(file))) {
      decided.push({ file, outcome: { kind: 'untouched' }, physicalRows: statsNumRecords(file.stats) ?? 0 })
      continue
    }
    const read = await readAffected(engine, reader, file, change, mode, signal)
    const outcome = fileOutcome(read, mode)
    affectedRows += read.affected.length
    if (read.newRows.length > 0) {
      if (writeNewRows === undefined) throw new InvalidArgumentError(`decideFiles: expected a writer for ${read.newRows.length} new rows, found none`)
      await writeNewRows(read.newRows)
    }
    if (outcome.kind === 'rewrite') copiedRows += read.unchangedRows
    if (outcome.kind === 'rewrite' && writeKeptRows !== undefined) await writeKeptRows(outcome.keptRows)
    const held = outcome.kind === 'rewrite' && writeKeptRows !== undefined ? { kind: 'rewrite' as const, keptRows: [] } : outcome
    decided.push({ file, outcome: held, physicalRows: read.physicalRows })
    await afterFile?.()
  }
  return { files: decided, affectedRows, copiedRows }
}

/** The layout new data files of `snapshot`'s table are written with. */
export function rewriteTarget(snapshot: Pick<Snapshot, 'schema' | 'partitionColumns' | 'config' | 'columnMappingMode'>): RewriteTarget {
  return { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, statsColumnLimit: snapshot.config.statsColumnLimit, columnMappingMode: snapshot.columnMappingMode }
}
