// Copy-on-write without row objects (docs/row-level-plan.md §3): each candidate file's predicate columns
// are read and matched (columnar-match.ts, several files ahead); a file with matching rows is read
// whole as Arrow columns, the rows that stay are taken by position and encoded as one new file
// (kept-columns.ts). Outcomes, counts and files are the row route's (decide-files.ts): untouched,
// removed whole, or rewritten with the same rows in the same order, partition values and stats. A
// file whose operands fail on the columnar evaluator (an ExpressionError) is read row by row instead,
// as decideColumnar does. Loaded with `import()` (copy-on-write-route.ts): it loads Arrow code.

import type { ArrowRecordBatch, ParquetCodec } from '@lake/parquet'
import type { AddFile } from '../actions/types.js'
import { engineCodec } from '../engine.js'
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
import { matchFile } from './columnar-match.js'
import type { ColumnarMatcher, Matched } from './columnar-match.js'
import type { DecidedFiles, NewRowsSink } from './decide-files.js'
import { fileOutcome } from './file-outcome.js'
import { encodeKeptFile, keptBatch, keptPositions, readFileColumns } from './kept-columns.js'
import type { KeptLayout } from './kept-columns.js'
import { deleteWhere, readAffected } from './read-affected.js'

/** Options of a columnar copy-on-write rewrite. */
export interface CopyOnWriteOptions {
  readonly signal: AbortSignal | undefined
  /** Receives the kept rows of a file the row route decides (e.g. `KeptRowsWriter.write`). */
  readonly writeKeptRows: NewRowsSink
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
/** Rewrites (read, take, encode, upload) in flight: one file's reads and upload overlap another's work. */
const REWRITES_IN_FLIGHT = 2

type RewriteSnapshot = Pick<Snapshot, 'schema' | 'partitionColumns' | 'columnMappingMode' | 'config'>

/** The layout of kept files of `snapshot`'s table, encoded by the engine's codec. */
function keptLayout(engine: Engine, snapshot: RewriteSnapshot): KeptLayout {
  const codec = engineCodec(engine) as ParquetCodec<ArrowRecordBatch>
  const reader = compileFileReader(planScan({ ...snapshot, files: () => [] }))
  const dataSchema = { kind: 'struct' as const, fields: reader.plan.dataFields }
  return { dataSchema, partitionColumns: reader.plan.partitionColumns, statsColumnLimit: snapshot.config.statsColumnLimit, codec }
}

/**
 * Decides each of `files` for a copy-on-write DELETE of the rows `matcher`'s predicate is TRUE on,
 * writing each rewritten file's kept rows as a new file.
 * @throws StorageError, ParquetError, DeletionVectorError from the reads and writes (files written are
 *   deleted first); ExpressionError from the row route.
 */
export async function rewriteColumnar(engine: Engine, snapshot: RewriteSnapshot, matcher: ColumnarMatcher, files: readonly AddFile[], options: CopyOnWriteOptions): Promise<ColumnarRewritten> {
  const { signal } = options
  const layout = keptLayout(engine, snapshot)
  const written: (AddFile | undefined)[] = files.map(() => undefined)
  const inFlight = new Set<Promise<void>>()
  const decided: DecidedFile[] = []
  const counts = { affected: 0, copied: 0, columnarRows: 0 }
  let rowReader: FileReader | undefined
  const sources = files.map((file) => async function* (): AsyncGenerator<Matched | undefined> {
    yield await matchFile(engine, matcher, file, signal)
  })
  try {
    let k = 0
    for await (const matched of readAhead(sources, MATCH_AHEAD, 1)) {
      const at = k++
      const file = files[at] as AddFile
      if (matched === undefined) {
        rowReader ??= compileFileReader(planScan({ ...snapshot, files: () => [] }))
        decided.push(await decideByRows(engine, rowReader, matcher, file, counts, options))
        continue
      }
      counts.affected += matched.affected.length
      const outcome = fileOutcome({ liveRows: matched.liveRows, affected: matched.affected, keptRows: [] }, 'copyOnWrite')
      const kept = matched.liveRows - matched.affected.length
      if (outcome.kind === 'removeWhole' || outcome.kind === 'untouched') {
        decided.push({ file, outcome, physicalRows: matched.physicalRows })
        continue
      }
      counts.copied += kept
      counts.columnarRows += kept
      decided.push({ file, outcome: { kind: 'rewrite', keptRows: [] }, physicalRows: matched.physicalRows })
      while (inFlight.size >= REWRITES_IN_FLIGHT) await Promise.race(inFlight)
      const task = rewriteFile(engine, layout, file, matched, signal).then((add) => {
        written[at] = add
        inFlight.delete(task)
      })
      // A failed task stays in the set: the next wait rethrows it; this handler only keeps it from being unhandled meanwhile.
      task.catch(() => {})
      inFlight.add(task)
    }
    await Promise.all(inFlight)
  } catch (err) {
    await Promise.allSettled([...inFlight])
    await discardAdds(engine, written.filter((add): add is AddFile => add !== undefined))
    throw err
  }
  const adds = written.filter((add): add is AddFile => add !== undefined)
  return { decided: { files: decided, affectedRows: counts.affected, copiedRows: counts.copied }, adds, rows: counts.columnarRows }
}

/** One file's kept rows: its columns read as Arrow, the kept positions taken, encoded and uploaded. */
async function rewriteFile(engine: Engine, layout: KeptLayout, file: AddFile, matched: Matched, signal: AbortSignal | undefined): Promise<AddFile> {
  const partitions = parsePartitionValues(file.partitionValues, layout.partitionColumns, file.path)
  const { chunks, rows } = await readFileColumns(engine, layout, file, signal)
  const positions = keptPositions(rows, matched.deleted, matched.affected)
  const encoded = encodeKeptFile(layout, keptBatch(layout, chunks, positions), partitions)
  return uploadDataFile(engine, encoded, signal)
}

/** A file the columnar evaluator gave up on, decided row by row as decideFiles does. */
async function decideByRows(
  engine: Engine,
  reader: FileReader,
  matcher: ColumnarMatcher,
  file: AddFile,
  counts: { affected: number; copied: number },
  options: CopyOnWriteOptions,
): Promise<DecidedFile> {
  const read = await readAffected(engine, reader, file, deleteWhere(matcher.predicateRows), 'copyOnWrite', options.signal)
  const outcome = fileOutcome(read, 'copyOnWrite')
  counts.affected += read.affected.length
  if (outcome.kind !== 'rewrite') return { file, outcome, physicalRows: read.physicalRows }
  counts.copied += read.unchangedRows
  await options.writeKeptRows(outcome.keptRows)
  return { file, outcome: { kind: 'rewrite', keptRows: [] }, physicalRows: read.physicalRows }
}
