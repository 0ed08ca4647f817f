// Copy-on-write for the columnar MERGE executor (docs/row-level-plan.md §5.7): each target file the pass
// marked rows of is read whole as Arrow columns, its other live rows (not matched, not under its old
// deletion vector) are taken by position and handed to the MERGE's writer, which joins them with the
// other files' and the new rows into files of the target size (columnar-writer.ts `appendBatch`), as the
// row route's rolling writer does; the file is removed. The outcomes handed on are the row route's
// (target-pass.ts): a rewritten file is `removeWhole`, its copies written by the writer.

import type { ArrowRecordBatch } from '@lake/parquet'
import type { Engine } from '../../engine.js'
import { readDeletionVector } from '../../read/read-deletion-vector.js'
import type { DecidedFile } from '../../rewrite/apply-outcomes.js'
import { keptBatch, keptPositions, readFileColumns } from '../../rewrite/kept-columns.js'
import type { KeptLayout } from '../../rewrite/kept-columns.js'

/** The rewritten outcomes, and how many rows were copied. */
export interface CopiedFiles {
  readonly decided: readonly DecidedFile[]
  readonly copied: number
}

/** Where the copied rows go: the MERGE's columnar writer. */
export interface CopyWriter {
  appendBatch(batch: ArrowRecordBatch): Promise<void>
}

/** One marked file rewritten: its new outcome, its copied rows handed to `writer`. */
async function rewriteOne(engine: Engine, layout: KeptLayout, decided: DecidedFile, writer: CopyWriter, signal: AbortSignal | undefined): Promise<{ decided: DecidedFile; copied: number }> {
  const { file, outcome } = decided
  if (outcome.kind !== 'markRows') return { decided, copied: 0 }
  // Stryker disable next-line ObjectLiteral: without the signal here, the file read just after still stops an aborted MERGE
  const deleted = file.deletionVector ? await readDeletionVector(engine.store, file.deletionVector, { signal }) : undefined
  const { chunks, rows } = await readFileColumns(engine, layout, file, signal)
  // Some rows stay: a file whose every live row matched is `removeWhole` already (fileOutcome).
  const positions = keptPositions(rows, deleted, outcome.rowIndexes)
  await writer.appendBatch(keptBatch(layout, chunks, positions))
  return { decided: { ...decided, outcome: { kind: 'removeWhole' } }, copied: positions.length }
}

/**
 * Rewrites the files of `decided` whose outcome marks rows (the pass's deletion-vector outcome) copy-on-
 * write, one file at a time, their copied rows handed to `writer`; the other outcomes are kept.
 * @throws StorageError, ParquetError, DeletionVectorError from the reads and the writer (the caller aborts the writer).
 */
export async function copyMarkedFiles(engine: Engine, layout: KeptLayout, decided: readonly DecidedFile[], writer: CopyWriter, signal: AbortSignal | undefined): Promise<CopiedFiles> {
  const out: DecidedFile[] = []
  let copied = 0
  for (const d of decided) {
    const done = await rewriteOne(engine, layout, d, writer, signal)
    out.push(done.decided)
    copied += done.copied
  }
  return { decided: out, copied }
}
