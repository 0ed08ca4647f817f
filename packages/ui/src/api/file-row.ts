// A data file as the page lists it: path, size, partition values, rows (from stats) and the rows
// its deletion vector deletes. Pure.

import { statsNumRecords } from '@lake/core/internal'
import type { AddFile, RemoveFile } from '@lake/core/internal'

export interface FileRow {
  readonly path: string
  readonly size: number | null
  /** Partition values as [column, value] pairs (value null for SQL NULL). */
  readonly partitionValues: readonly (readonly [string, string | null])[]
  readonly numRecords: number | null
  readonly deletedRows: number | null
  readonly dataChange: boolean
}

export function fileRow(add: AddFile): FileRow {
  return {
    path: add.path,
    size: add.size,
    partitionValues: Object.entries(add.partitionValues),
    numRecords: statsNumRecords(add.stats) ?? null,
    deletedRows: add.deletionVector?.cardinality ?? null,
    dataChange: add.dataChange,
  }
}

export function removedRow(remove: RemoveFile): FileRow {
  return {
    path: remove.path,
    size: remove.size ?? null,
    partitionValues: Object.entries(remove.partitionValues ?? {}),
    numRecords: statsNumRecords(remove.stats) ?? null,
    deletedRows: remove.deletionVector?.cardinality ?? null,
    dataChange: remove.dataChange,
  }
}
