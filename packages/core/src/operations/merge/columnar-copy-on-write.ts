// Copy-on-write for the columnar MERGE executor (docs/row-level-plan.md §5.7): each target file the pass
// marked rows of is read whole as Arrow columns, its other live rows (not matched, not under its old
// deletion vector) are taken by position and written as one new file (kept-columns.ts, as the columnar
// DELETE writes them), and the file is removed. The outcomes handed on are the row route's (target-pass.ts):
// a rewritten file is `removeWhole`, its copies already written.

import type { AddFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import { discardAdds } from '../../files/discard-files.js'
import { uploadDataFile } from '../../files/write-data-files.js'
import { readDeletionVector } from '../../read/read-deletion-vector.js'
import type { DecidedFile } from '../../rewrite/apply-outcomes.js'
import { encodeKeptFile, keptBatch, keptPositions, readFileColumns } from '../../rewrite/kept-columns.js'
import type { KeptLayout } from '../../rewrite/kept-columns.js'

/** The rewritten outcomes, the files holding the copied rows, and how many rows they hold. */
export interface CopiedFiles {
  readonly decided: readonly DecidedFile[]
  readonly adds: readonly AddFile[]
  readonly copied: number
}

/** One marked file rewritten: its new outcome, and the file of its copied rows if any. */
async function rewriteOne(engine: Engine, layout: KeptLayout, decided: DecidedFile, signal: AbortSignal | undefined): Promise<{ decided: DecidedFile; add?: AddFile; copied: number }> {
  const { file, outcome } = decided
  if (outcome.kind !== 'markRows') return { decided, copied: 0 }
  // Stryker disable next-line ObjectLiteral: without the signal here, the file read just after still stops an aborted MERGE
  const deleted = file.deletionVector ? await readDeletionVector(engine.store, file.deletionVector, { signal }) : undefined
  const { chunks, rows } = await readFileColumns(engine, layout, file, signal)
  // Some rows stay: a file whose every live row matched is `removeWhole` already (fileOutcome).
  const positions = keptPositions(rows, deleted, outcome.rowIndexes)
  const add = await uploadDataFile(engine, encodeKeptFile(layout, keptBatch(layout, chunks, positions), {}), signal)
  return { decided: { ...decided, outcome: { kind: 'removeWhole' } }, add, copied: positions.length }
}

/**
 * Rewrites the files of `decided` whose outcome marks rows (the pass's deletion-vector outcome) copy-on-
 * write, one file at a time; the other outcomes are kept.
 * @throws StorageError, ParquetError, DeletionVectorError from the reads and writes (files written are deleted first).
 */
export async function copyMarkedFiles(engine: Engine, layout: KeptLayout, decided: readonly DecidedFile[], signal: AbortSignal | undefined): Promise<CopiedFiles> {
  const out: DecidedFile[] = []
  const adds: AddFile[] = []
  let copied = 0
  try {
    for (const d of decided) {
      const done = await rewriteOne(engine, layout, d, signal)
      out.push(done.decided)
      if (done.add !== undefined) adds.push(done.add)
      copied += done.copied
    }
  } catch (err) {
    await discardAdds(engine, adds)
    throw err
  }
  return { decided: out, adds, copied }
}
