// Copy-on-write without row objects for the rows that stay (docs/row-level-plan.md §3, §4): each
// candidate file's predicate columns are read and matched (columnar-match.ts, several files ahead); a
// file with matching rows is read whole as Arrow columns, and the rows of its rewrite are taken by
// position (kept-columns.ts) — for an UPDATE, or a DELETE recording change data, after the affected
// rows alone went through the operation's `RowChange` (changed-rows.ts). Outcomes, counts and files
// are the row route's (decide-files.ts): untouched, removed whole, or rewritten with the same rows in
// the same order, partition values and stats. A file whose operands fail on the columnar evaluator
// (an ExpressionError) is read row by row instead, as decideColumnar does. Loaded with `import()`
// (copy-on-write-route.ts): it loads Arrow code.

import type { AddFile } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { discardAdds } from '../files/discard-files.js'
import { uploadDataFile } from '../files/write-data-files.js'
import { parsePartitionValues } from '../partition/index.js'
import { planScan } from '../scan/plan-scan.js'
import { readAhead } from '../scan/read-ahead.js'
import { compileFileReader } from '../scan/read-scan-file.js'
import type { FileReader } from '../scan/read-scan-file.js'
import { DEFAULT_SCAN_CONCURRENCY } from '../scan/scan.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import type { DecidedFile } from './apply-outcomes.js'
import { changedFile } from './changed-rows.js'
import type { ChangedFile } from './changed-rows.js'
import { matchFile } from './columnar-match.js'
import type { ColumnarMatcher, Matched } from './columnar-match.js'
import type { DecidedFiles, NewRowsSink } from './decide-files.js'
import { fileOutcome } from './file-outcome.js'
import { encodeKeptFile, keptBatch, keptPositions, readFileColumns } from './kept-columns.js'
import type { KeptLayout } from './kept-columns.js'
import { readAffected } from './read-affected.js'
import type { RowChange } from './read-affected.js'

/** Options of a columnar copy-on-write rewrite. */
export interface CopyOnWriteOptions {
  readonly signal?: AbortSignal | undefined
  /**
   * The operation's change of one live row (DELETE: `deleteWhere`, UPDATE: `updateChange`): applied to
   * the rows the predicate matched when `changesRows`, and to every row of a file the row route decides.
   */
  readonly change: RowChange
  /** True when the matched rows must go through `change` (UPDATE; DELETE recording change data); false: they leave. */
  readonly changesRows: boolean
  /** Receives the kept rows of a file the row route decides (e.g. `KeptRowsWriter.write`). */
  readonly writeKeptRows: NewRowsSink
  /** Called after each file is decided (e.g. `ChangeSink.flush`). */
  readonly afterFile?: () => Promise<void>
}

/** What the rewrite decided and wrote. */
export interface ColumnarRewritten {
  /** Every file's outcome (a columnar rewrite's holds no rows), affected and copied rows of all. */
  readonly decided: DecidedFiles
  /** The files the columnar rewrites wrote (not those of `writeKeptRows`). */
  readonly adds: readonly AddFile[]
  /** The rows they hold. */
  readonly rows: number
}

/** Files whose predicate columns are read and matched ahead of the one being rewritten. */
const MATCH_AHEAD = DEFAULT_SCAN_CONCURRENCY
/** Uploads in flight while the next files are read and encoded. */
const UPLOADS_IN_FLIGHT = 2

type RewriteSnapshot = Pick<Snapshot, 'schema' | 'partitionColumns' | 'columnMappingMode' | 'config'>

/** The codec functions a columnar rewrite reads and encodes with. */
export type ColumnarCodec = Pick<KeptLayout, 'read' | 'encode'>

/** The layout of kept files of `snapshot`'s table, read and encoded by `codec`. */
export function keptLayout(snapshot: RewriteSnapshot, codec: ColumnarCodec): KeptLayout {
  const { plan } = compileFileReader(planScan({ ...snapshot, files: () => [] }))
  const dataSchema = { kind: 'struct' as const, fields: plan.dataFields }
  return { rowFields: plan.rowFields, dataSchema, partitionColumns: plan.partitionColumns, statsColumnLimit: snapshot.config.statsColumnLimit, ...codec }
}

/** The state of one rewrite: what it decided and wrote so far. */
interface Progress {
  readonly decided: DecidedFile[]
  readonly written: AddFile[]
  readonly uploads: Set<Promise<void>>
  affected: number
  copied: number
  rows: number
}

/**
 * Decides each of `files` for a copy-on-write change of the rows `matcher`'s predicate is TRUE on,
 * writing each rewritten file as a new file as soon as it is decided.
 * @throws StorageError, ParquetError, DeletionVectorError from the reads and writes, and what `change`
 *   throws (files written are deleted first).
 */
export async function rewriteColumnar(engine: Engine, snapshot: RewriteSnapshot, matcher: ColumnarMatcher, codec: ColumnarCodec, files: readonly AddFile[], options: CopyOnWriteOptions): Promise<ColumnarRewritten> {
  const layout = keptLayout(snapshot, codec)
  const progress: Progress = { decided: [], written: [], uploads: new Set(), affected: 0, copied: 0, rows: 0 }
  let rowReader: FileReader | undefined
  const sources = files.map((file) => async function* (): AsyncGenerator<Matched | undefined> {
    yield await matchFile(engine, matcher, file, options.signal)
  })
  try {
    let k = 0
    for await (const matched of readAhead(sources, MATCH_AHEAD, 1)) {
      const file = files[k++] as AddFile
      if (matched === undefined) {
        rowReader ??= compileFileReader(planScan({ ...snapshot, files: () => [] }))
        progress.decided.push(await decideByRows(engine, rowReader, file, progress, options))
      } else progress.decided.push(await decideByColumns(engine, layout, file, matched, progress, options))
      await options.afterFile?.()
    }
    await Promise.all(progress.uploads)
  } catch (err) {
    await Promise.allSettled([...progress.uploads])
    await discardAdds(engine, progress.written)
    throw err
  }
  return { decided: { files: progress.decided, affectedRows: progress.affected, copiedRows: progress.copied }, adds: progress.written, rows: progress.rows }
}

/** One file from its matched positions: untouched, removed whole, or its rewrite taken, encoded and uploaded. */
async function decideByColumns(engine: Engine, layout: KeptLayout, file: AddFile, matched: Matched, progress: Progress, options: CopyOnWriteOptions): Promise<DecidedFile> {
  const { physicalRows } = matched
  if (matched.affected.length === 0) return { file, outcome: { kind: 'untouched' }, physicalRows }
  if (!options.changesRows && matched.affected.length >= matched.liveRows) {
    progress.affected += matched.affected.length
    return { file, outcome: { kind: 'removeWhole' }, physicalRows }
  }
  const partitions = parsePartitionValues(file.partitionValues, layout.partitionColumns, file.path)
  const { chunks, rows } = await readFileColumns(engine, layout, file, options.signal)
  const changed: ChangedFile = options.changesRows
    ? changedFile(layout, chunks, rows, matched, partitions, options.change)
    : { batch: keptBatch(layout, chunks, keptPositions(rows, matched.deleted, matched.affected)), affected: matched.affected.length, unchanged: matched.liveRows - matched.affected.length }
  progress.affected += changed.affected
  if (changed.affected === 0) return { file, outcome: { kind: 'untouched' }, physicalRows }
  if (changed.batch === undefined) return { file, outcome: { kind: 'removeWhole' }, physicalRows }
  progress.copied += changed.unchanged
  progress.rows += changed.batch.numRows
  await upload(engine, progress, encodeKeptFile(layout, changed.batch, partitions), options.signal)
  return { file, outcome: { kind: 'rewrite', keptRows: [] }, physicalRows }
}

/** Starts an upload once fewer than UPLOADS_IN_FLIGHT run; a failed one is rethrown by the next wait. */
async function upload(engine: Engine, progress: Progress, encoded: Parameters<typeof uploadDataFile>[1], signal: AbortSignal | undefined): Promise<void> {
  while (progress.uploads.size >= UPLOADS_IN_FLIGHT) await Promise.race(progress.uploads)
  const task = uploadDataFile(engine, encoded, signal).then((add) => {
    progress.written.push(add)
    progress.uploads.delete(task)
  })
  // A failed upload stays in the set: the next wait rethrows it; this handler only keeps it from being unhandled meanwhile.
  task.catch(() => {})
  progress.uploads.add(task)
}

/** A file the columnar evaluator gave up on, decided row by row as decideFiles does. */
async function decideByRows(engine: Engine, reader: FileReader, file: AddFile, progress: Progress, options: CopyOnWriteOptions): Promise<DecidedFile> {
  const read = await readAffected(engine, reader, file, options.change, 'copyOnWrite', options.signal)
  const outcome = fileOutcome(read, 'copyOnWrite')
  progress.affected += read.affected.length
  if (outcome.kind !== 'rewrite') return { file, outcome, physicalRows: read.physicalRows }
  progress.copied += read.unchangedRows
  await options.writeKeptRows(outcome.keptRows)
  return { file, outcome: { kind: 'rewrite', keptRows: [] }, physicalRows: read.physicalRows }
}
