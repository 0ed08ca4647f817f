// Row-level operations without row objects (docs/row-level-plan.md §3, §4): each candidate file is
// read with the predicate's columns only (`codec.readColumns`), the predicate is evaluated a batch of
// columns at a time (expr/columnar-predicate.ts) and the matching live positions are found.
// DELETE with deletion vectors decides every file from them (`decideColumnar`): the outcome per file
// and the counts are the row route's (decide-files.ts), same DVs, same metrics. UPDATE skips the files
// with no matching row (`mayMatch`) and reads the others row by row. A file whose columns make an
// operand fail (an ExpressionError, which the row evaluator may not meet: it short-circuits) is
// decided by the row route, which then throws or not.

import type { ColumnBatch, ParquetCodec } from '@lake/parquet'
import type { AddFile } from '../actions/types.js'
import { engineCodec } from '../engine.js'
import type { Engine } from '../engine.js'
import type { BoundPredicate } from '../expr/ast.js'
import { compileColumnarPredicate } from '../expr/columnar-predicate.js'
import type { ColumnarPredicate, ColumnVector } from '../expr/columnar-predicate.js'
import { ExpressionError } from '../expr/expression-error.js'
import { parsePartitionValues } from '../partition/parse-partition-value.js'
import { readDeletionVector } from '../read/read-deletion-vector.js'
import { storeAsyncBuffer } from '../read/store-buffer.js'
import type { DecidedFile } from './apply-outcomes.js'
import type { DecidedFiles } from './decide-files.js'
import { fileOutcome } from './file-outcome.js'
import { deleteWhere, readAffected } from './read-affected.js'
import { planScan } from '../scan/plan-scan.js'
import { readAhead } from '../scan/read-ahead.js'
import { DEFAULT_SCAN_CONCURRENCY } from '../scan/scan.js'
import type { ScanSource } from '../scan/plan-scan.js'
import { compileFileReader, dataFileKey } from '../scan/read-scan-file.js'
import type { FileReader } from '../scan/read-scan-file.js'

type ReadColumns = NonNullable<ParquetCodec['readColumns']>

/** Where each predicate column comes from: a data column of the read (its index) or a partition value. */
type ColumnSource = { readonly data: number } | { readonly partition: string }

/** A predicate's columnar route, compiled once per attempt. */
export interface ColumnarMatcher {
  readonly predicate: ColumnarPredicate
  readonly readColumns: ReadColumns
  /** Reads the predicate's data columns (physical names, the table's column mapping). */
  readonly reader: FileReader
  readonly sources: readonly ColumnSource[]
  /** The row route, for files the columnar evaluator gives up on. */
  readonly predicateRows: BoundPredicate
}

/** Internal switch (tests, bench): `columnar: false` sends every DELETE and UPDATE down the row route, to compare the two. */
export const columnarRoute = { columnar: true }

/** Files read and matched at once (each holds only its predicate columns). */
const MATCH_AHEAD = DEFAULT_SCAN_CONCURRENCY

const FLAT_KINDS: ReadonlySet<string> = new Set(['primitive', 'decimal'])

/**
 * The columnar route of `predicate`, or undefined when it cannot run: the predicate uses
 * what the columnar evaluator does not cover, a column that is not flat, only partition columns, or the
 * engine's codec has no `readColumns`.
 */
export function columnarMatcher(engine: Engine, source: Omit<ScanSource, 'files'>, predicate: BoundPredicate): ColumnarMatcher | undefined {
  const readColumns = engineCodec(engine).readColumns
  if (!columnarRoute.columnar) return undefined
  const columnar = compileColumnarPredicate(predicate)
  if (readColumns === undefined || columnar === undefined) return undefined
  if (columnar.columns.some((c) => !FLAT_KINDS.has(c.type.kind))) return undefined
  const names = columnar.columns.map((c) => c.path[0] as string)
  const plan = planScan({ ...source, files: () => [] }, { columns: names })
  const dataNames = plan.dataFields.map((f) => f.name)
  const sources = names.map((name): ColumnSource => (dataNames.includes(name) ? { data: dataNames.indexOf(name) } : { partition: name }))
  if (dataNames.length === 0) return undefined
  return { predicate: columnar, readColumns: readColumns.bind(engineCodec(engine)), reader: compileFileReader(plan), sources, predicateRows: predicate }
}

/**
 * Decides each of `files` (deletion-vector mode) from the predicate's columns: `markRows` with the
 * physical indexes of the live rows it is TRUE on, `removeWhole` when that is every live row, else `untouched`.
 * @throws StorageError, ParquetError, DeletionVectorError from the reads; ExpressionError from the row route.
 */
export async function decideColumnar(engine: Engine, source: ScanSource, route: ColumnarMatcher, files: readonly AddFile[], signal: AbortSignal | undefined): Promise<DecidedFiles> {
  const decided: DecidedFile[] = []
  let affectedRows = 0
  let rowReader: FileReader | undefined
  // The next files' columns are read and matched while a file is decided (their reads overlap).
  const sources = files.map((file) => async function* (): AsyncGenerator<Matched | undefined> {
    yield await matchFile(engine, route, file, signal)
  })
  let k = 0
  for await (const matched of readAhead(sources, MATCH_AHEAD, 1)) {
    const file = files[k++] as AddFile
    let found: Pick<Matched, 'liveRows' | 'affected'> | undefined = matched
    if (found === undefined) {
      rowReader ??= compileFileReader(planScan({ ...source, files: () => [] }))
      found = await readAffected(engine, rowReader, file, deleteWhere(route.predicateRows), 'deletionVectors', signal)
    }
    affectedRows += found.affected.length
    const outcome = fileOutcome({ liveRows: found.liveRows, affected: found.affected, keptRows: [] }, 'deletionVectors')
    decided.push({ file, outcome, physicalRows: found.liveRows + (file.deletionVector?.cardinality ?? 0) })
  }
  return { files: decided, affectedRows, copiedRows: 0 }
}

/**
 * Whether `file` may hold a live row `route`'s predicate is TRUE on (false: certainly none, the file
 * need not be read); true also when an operand failed (the row route decides).
 * @throws StorageError, ParquetError, DeletionVectorError from the reads.
 */
export async function mayMatch(engine: Engine, route: ColumnarMatcher, file: AddFile, signal: AbortSignal | undefined): Promise<boolean> {
  const found = await matchFile(engine, route, file, signal)
  return found === undefined || found.affected.length > 0
}

/** What the predicate's columns say of one file. */
export interface Matched {
  readonly liveRows: number
  /** Physical indexes (ascending) of the live rows the predicate is TRUE on. */
  readonly affected: readonly number[]
  /** Rows in the Parquet file, those its deletion vector hides included. */
  readonly physicalRows: number
  /** The rows its deletion vector hides (sorted), if it has one. */
  readonly deleted: ArrayLike<number> | undefined
}

/** The live rows of one file and the physical indexes the predicate is TRUE on; undefined when an operand failed (ExpressionError). */
export async function matchFile(engine: Engine, route: ColumnarMatcher, file: AddFile, signal: AbortSignal | undefined): Promise<Matched | undefined> {
  const { reader } = route
  const { store } = engine
  const partitions = parsePartitionValues(file.partitionValues, reader.plan.partitionColumns, file.path)
  const deleted = file.deletionVector ? await readDeletionVector(store, file.deletionVector, { signal }) : undefined
  const key = dataFileKey(store, file.path)
  const buffer = await storeAsyncBuffer(store, key, file.size, signal)
  const matchBy = reader.plan.columnMappingMode === 'id' ? 'id' : 'name'
  const options = { columns: reader.readColumns, matchBy, path: key, ...(signal === undefined ? {} : { signal }) } as const
  const affected: number[] = []
  let offset = 0
  let cursor = 0
  for await (const batch of route.readColumns(buffer, reader.readSchema, options)) {
    const columns = route.sources.map((s): ColumnVector => ('data' in s ? { scalar: false, values: batch.columns[s.data] ?? [] } : { scalar: true, value: partitions[s.partition] ?? null }))
    const selected = selectOrGiveUp(route.predicate, batch, columns)
    if (selected === undefined) return undefined
    for (const i of selected) {
      const index = offset + i
      // `deleted` is sorted: walk it alongside the ascending positions; rows it holds are gone already.
      while (deleted !== undefined && cursor < deleted.length && (deleted[cursor] as number) < index) cursor++
      if (deleted === undefined || deleted[cursor] !== index) affected.push(index)
    }
    offset += batch.length
  }
  return { liveRows: offset - (deleted?.length ?? 0), affected, physicalRows: offset, deleted }
}

function selectOrGiveUp(predicate: ColumnarPredicate, batch: ColumnBatch, columns: readonly ColumnVector[]): number[] | undefined {
  try {
    return predicate.select({ length: batch.length, columns })
  } catch (err) {
    if (err instanceof ExpressionError) return undefined
    throw err
  }
}
