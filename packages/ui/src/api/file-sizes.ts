// The shape of a version's data files: a size histogram against the target file size, the files
// optimize would compact, bytes and files per partition (skew), and deletion-vector coverage. Pure.

import { statsNumRecords } from '@lake/core/internal'
import type { AddFile } from '@lake/core/internal'

/** OPTIMIZE's default target (`lake optimize --target-size`). */
export const DEFAULT_TARGET_BYTES = 128 * 1024 * 1024
/** Bucket edges of the histogram: powers of 4 from 1 KiB to 1 GiB. */
const EDGES = [0, ...Array.from({ length: 11 }, (_, i) => 1024 * 4 ** i)]
/** Partitions listed (largest first); the counts cover all. */
const MAX_PARTITIONS = 100

export interface SizeBucket {
  /** Files of at least `min` bytes and less than `max` (null: no upper bound). */
  readonly min: number
  readonly max: number | null
  readonly files: number
  readonly bytes: number
}

export interface PartitionSize {
  /** Partition values as [column, value] pairs; empty for an unpartitioned table. */
  readonly values: readonly (readonly [string, string | null])[]
  readonly files: number
  readonly bytes: number
}

export interface FileShape {
  readonly targetBytes: number
  readonly histogram: readonly SizeBucket[]
  /** Files below the target in partitions holding at least two of them: what optimize compacts. */
  readonly compactable: { readonly files: number; readonly bytes: number }
  readonly partitions: { readonly count: number; readonly largest: readonly PartitionSize[]; readonly medianBytes: number }
  readonly deletionVectors: { readonly files: number; readonly deletedRows: number; readonly rows: number | null }
}

/** The shape of `files` against a target size. */
export function fileShape(files: readonly AddFile[], targetBytes: number): FileShape {
  const histogram = EDGES.map((min, i) => ({ min, max: EDGES[i + 1] ?? null, files: 0, bytes: 0 }))
  for (const f of files) {
    const bucket = histogram.findLast((b) => f.size >= b.min)
    if (bucket !== undefined) {
      bucket.files++
      bucket.bytes += f.size
    }
  }
  const groups = partitionGroups(files)
  const sizes = [...groups.values()].map((g) => g.bytes).sort((a, b) => a - b)
  return {
    targetBytes,
    histogram: histogramRange(histogram, targetBytes),
    compactable: compactable(groups, targetBytes),
    partitions: {
      count: groups.size,
      largest: [...groups.values()].sort((a, b) => b.bytes - a.bytes).slice(0, MAX_PARTITIONS).map(({ values, files, bytes }) => ({ values, files: files.length, bytes })),
      medianBytes: sizes[Math.floor(sizes.length / 2)] ?? 0,
    },
    deletionVectors: deletionVectors(files),
  }
}

/** The buckets from the smallest file's to the larger of the largest file's and the target's. */
function histogramRange(buckets: readonly SizeBucket[], targetBytes: number): SizeBucket[] {
  const used = buckets.flatMap((b, i) => (b.files > 0 ? [i] : []))
  const target = buckets.findLastIndex((b) => targetBytes >= b.min)
  const first = Math.min(used[0] ?? target, target)
  const last = Math.max(used[used.length - 1] ?? target, target)
  return buckets.slice(first, last + 1)
}

interface Group {
  readonly values: readonly (readonly [string, string | null])[]
  readonly files: AddFile[]
  bytes: number
}

function partitionGroups(files: readonly AddFile[]): Map<string, Group> {
  const groups = new Map<string, Group>()
  for (const f of files) {
    const values = Object.entries(f.partitionValues).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const key = JSON.stringify(values)
    let group = groups.get(key)
    if (group === undefined) groups.set(key, (group = { values, files: [], bytes: 0 }))
    group.files.push(f)
    group.bytes += f.size
  }
  return groups
}

function compactable(groups: ReadonlyMap<string, Group>, targetBytes: number): FileShape['compactable'] {
  let files = 0
  let bytes = 0
  for (const group of groups.values()) {
    const small = group.files.filter((f) => f.size < targetBytes)
    if (small.length < 2) continue
    files += small.length
    bytes += small.reduce((a, f) => a + f.size, 0)
  }
  return { files, bytes }
}

function deletionVectors(files: readonly AddFile[]): FileShape['deletionVectors'] {
  let withDv = 0
  let deletedRows = 0
  let rows: number | null = 0
  for (const f of files) {
    if (f.deletionVector != null) {
      withDv++
      deletedRows += f.deletionVector.cardinality
    }
    const n = statsNumRecords(f.stats)
    rows = n === undefined || rows === null ? null : rows + n
  }
  return { files: withDv, deletedRows, rows }
}
