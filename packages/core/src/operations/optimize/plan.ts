// OPTIMIZE planning (bin-packing compaction, delta-rs `create_merge_plan`): groups the small files
// of each partition into bins of about the target size. Pure.

import type { AddFile } from '../../actions/types.js'

/** Default target size of a compacted file. */
export const DEFAULT_OPTIMIZE_TARGET_BYTES = 128 << 20 // 128 MiB

/** What `planOptimize` decides from. */
export interface OptimizeInput {
  readonly files: readonly AddFile[]
  /** The keys of the files' `partitionValues` (physical names under column mapping). */
  readonly partitionColumns: readonly string[]
  readonly targetSizeBytes: number
  /** Only files for which this returns true are considered (a partition filter). */
  readonly include?: (add: AddFile) => boolean
  /**
   * REORG TABLE … APPLY (PURGE): only files with a deletion vector are rewritten, whatever their
   * size, so the rows their vectors hide are physically gone. Default false (compaction).
   */
  readonly purge?: boolean
}

/** Files of one partition rewritten into one new file. */
export interface OptimizeBin {
  readonly partitionValues: Readonly<Record<string, string | null>>
  readonly files: readonly AddFile[]
  readonly sizeInBytes: number
}

/** The bins, and the counts OPTIMIZE reports. */
export interface OptimizePlan {
  readonly bins: readonly OptimizeBin[]
  readonly totalConsideredFiles: number
  readonly totalFilesSkipped: number
  readonly partitionsOptimized: number
}

/**
 * Plans a compaction: in each partition, files smaller than the target (and every file with a
 * deletion vector, so its deleted rows are purged) are sorted by size and packed greedily into
 * bins of at most `targetSizeBytes`. A bin of a single file without a deletion vector would
 * rewrite a file unchanged, so it is dropped. With `purge`, the candidates are exactly the files
 * with a deletion vector (Spark's REORG … APPLY (PURGE)), packed the same way.
 */
export function planOptimize(input: OptimizeInput): OptimizePlan {
  const groups = new Map<string, { values: Readonly<Record<string, string | null>>; files: AddFile[] }>()
  let considered = 0
  for (const add of input.files) {
    if (input.include !== undefined && !input.include(add)) continue
    considered++
    if (!isCandidate(add, input)) continue
    const key = JSON.stringify(input.partitionColumns.map((c) => add.partitionValues[c] ?? null))
    const group = groups.get(key) ?? { values: add.partitionValues, files: [] }
    group.files.push(add)
    groups.set(key, group)
  }
  const bins: OptimizeBin[] = []
  const partitions = new Set<string>()
  for (const [key, group] of groups) {
    for (const bin of packBins(group.files, input.targetSizeBytes)) {
      if (bin.length === 1 && bin[0]?.deletionVector == null) continue
      bins.push({ partitionValues: group.values, files: bin, sizeInBytes: bin.reduce((n, f) => n + f.size, 0) })
      partitions.add(key)
    }
  }
  const rewritten = bins.reduce((n, b) => n + b.files.length, 0)
  return { bins, totalConsideredFiles: considered, totalFilesSkipped: considered - rewritten, partitionsOptimized: partitions.size }
}

function isCandidate(add: AddFile, input: OptimizeInput): boolean {
  if (add.deletionVector != null) return true
  return input.purge !== true && add.size < input.targetSizeBytes
}

function packBins(files: readonly AddFile[], target: number): AddFile[][] {
  const sorted = [...files].sort((a, b) => a.size - b.size || (a.path < b.path ? -1 : 1))
  const bins: AddFile[][] = []
  let current: AddFile[] = []
  let size = 0
  for (const file of sorted) {
    if (current.length > 0 && size + file.size > target) {
      bins.push(current)
      current = []
      size = 0
    }
    current.push(file)
    size += file.size
  }
  if (current.length > 0) bins.push(current)
  return bins
}
