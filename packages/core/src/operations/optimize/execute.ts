// OPTIMIZE (bin-packing compaction): rewrites each planned bin of small files as one file and
// commits the removes and adds with dataChange=false, so streaming readers do not see rows again.
//
//   const table = await DeltaTable.open('s3://lake/events')
//   const { version, metrics } = await table.optimize({ where: "day = '2024-05-01'", targetSizeBytes: 128 * 2 ** 20 })
//   await table.optimize({ purge: true }) // REORG TABLE … APPLY (PURGE): rewrite files with deletion vectors

import type { Row } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import type { CommitOptions } from '../../transaction/commit-request.js'
import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import { scan } from '../../scan/scan.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { compileFilePredicate } from '../../expr/file-predicate.js'
import { physicalColumnNames } from '../../schema/physical-rows.js'
import { writeDataFiles } from '../../files/write-data-files.js'
import { MaintenanceError } from '../../errors.js'
import { DEFAULT_OPTIMIZE_TARGET_BYTES, planOptimize } from './plan.js'
import type { OptimizeBin } from './plan.js'

/** Options of `optimize`. */
export interface OptimizeOptions {
  /** A predicate on partition columns only (`date >= '2024-01-01'`): compact only matching partitions. */
  readonly where?: string
  /** Target size of compacted files in bytes (default 128 MiB). A bin's rows are held in memory while it is rewritten. */
  readonly targetSizeBytes?: number
  /**
   * Spark's `REORG TABLE … APPLY (PURGE)`: rewrite every file that has a deletion vector, whatever its
   * size (and no other file), so deleted rows are physically gone; commitInfo operation `REORG`
   * (`applyPurge: true`). `vacuum` deletes the old files and their vector files once past the retention.
   */
  readonly purge?: boolean
  readonly commit?: CommitOptions
  readonly signal?: AbortSignal
  /** The latest snapshot when the caller already holds it (`DeltaTable` passes its own), so the log is not read again; loaded when absent. */
  readonly snapshot?: Snapshot
}

/** OPTIMIZE's metrics (as in its commitInfo, numbers here). */
export interface OptimizeMetrics {
  readonly numFilesAdded: number
  readonly numFilesRemoved: number
  readonly filesAddedSize: number
  readonly filesRemovedSize: number
  readonly partitionsOptimized: number
  readonly numBatches: number
  readonly totalConsideredFiles: number
  readonly totalFilesSkipped: number
}

/** The outcome: the committed version, or `undefined` when there was nothing to compact. */
export interface OptimizeResult {
  readonly version: number | undefined
  readonly metrics: OptimizeMetrics
}

/**
 * Compacts small files of the latest version (with `purge`: rewrites the files that have deletion
 * vectors). Each bin is read (deletion vectors applied) and written as one new file; one commit
 * removes the old files and adds the new ones, all with dataChange=false. Nothing is committed
 * when no bin has two or more files or a file with a deletion vector.
 * @throws MaintenanceError `InvalidArgument` for a `where` on non-partition columns or a bad target size.
 * @throws CommitConflictError when a concurrent commit removed one of the compacted files.
 */
export async function optimize(engine: Engine, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  const { signal } = options
  const target = options.targetSizeBytes ?? DEFAULT_OPTIMIZE_TARGET_BYTES
  if (!Number.isSafeInteger(target) || target <= 0) {
    throw new MaintenanceError('InvalidArgument', `optimize: expected a positive integer target size in bytes, found ${target}`)
  }
  const snapshot = options.snapshot ?? (await loadSnapshot(engine, signal === undefined ? {} : { signal }))
  const predicate = options.where === undefined ? {} : { predicate: [options.where] }
  const txn = Transaction.begin(engine, snapshot, {
    operation: options.purge === true ? { kind: 'reorg', applyPurge: true, ...predicate } : { kind: 'optimize', ...predicate },
    intent: { removesData: false },
    commit: options.commit,
    signal,
  })
  const include = partitionFilter(snapshot, options.where)
  const plan = planOptimize({
    files: snapshot.files(),
    partitionColumns: physicalColumnNames(snapshot.schema, snapshot.partitionColumns, snapshot.columnMappingMode),
    targetSizeBytes: target,
    purge: options.purge === true,
    ...(include === undefined ? {} : { include }),
  })
  const added: AddFile[] = []
  for (const bin of plan.bins) added.push(...(await rewriteBin(engine, snapshot, bin, signal)))
  const removed = plan.bins.flatMap((b) => b.files)
  const metrics: OptimizeMetrics = {
    numFilesAdded: added.length,
    numFilesRemoved: removed.length,
    filesAddedSize: added.reduce((n, f) => n + f.size, 0),
    filesRemovedSize: removed.reduce((n, f) => n + f.size, 0),
    partitionsOptimized: plan.partitionsOptimized,
    numBatches: plan.bins.length,
    totalConsideredFiles: plan.totalConsideredFiles,
    totalFilesSkipped: plan.totalFilesSkipped,
  }
  if (plan.bins.length === 0) return { version: undefined, metrics }
  txn.removeFiles(removed, { dataChange: false }).addFiles(added).readFiles(removed.map((f) => f.path)).setMetrics({ ...metrics })
  const result = await txn.commitOrThrow()
  return { version: result.version, metrics }
}

function partitionFilter(snapshot: Snapshot, where: string | undefined): ((add: AddFile) => boolean) | undefined {
  if (where === undefined) return undefined
  const compiled = compileFilePredicate(where, snapshot.schema, snapshot.partitionColumns, { columnMappingMode: snapshot.columnMappingMode })
  if (!compiled.partitionOnly) {
    throw new MaintenanceError(
      'InvalidArgument',
      `optimize: expected a predicate on partition columns only (${snapshot.partitionColumns.join(', ') || 'the table has none'}), found '${where}'`,
    )
  }
  return (add) => compiled.matchesFile(add.partitionValues, add.stats)
}

/** Reads a bin's rows and writes them as one file in the bin's partition (dataChange=false). */
async function rewriteBin(engine: Engine, snapshot: Snapshot, bin: OptimizeBin, signal: AbortSignal | undefined): Promise<AddFile[]> {
  const source = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode, files: () => bin.files }
  const rows: Row[] = []
  for await (const batch of scan(engine, source, signal === undefined ? {} : { signal })) rows.push(...batch)
  if (rows.length === 0) return []
  const adds = await writeDataFiles(engine, rows, {
    schema: snapshot.schema,
    partitionColumns: snapshot.partitionColumns,
    targetFileBytes: Number.MAX_SAFE_INTEGER,
    maxRowsPerFile: Number.MAX_SAFE_INTEGER,
    statsColumnLimit: snapshot.config.statsColumnLimit,
    columnMappingMode: snapshot.columnMappingMode,
    ...(signal === undefined ? {} : { signal }),
  })
  // Keep the partition values exactly as the log spelled them (the rows were re-serialized).
  return adds.map((add) => ({ ...add, partitionValues: bin.partitionValues, dataChange: false }))
}
