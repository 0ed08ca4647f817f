// removeOf: the remove action that retires a live file, shared by every operation that removes files
// (overwrite, replaceWhere, optimize, restore).

import type { AddFile, RemoveFile } from './types.js'

/** A remove action for a live file, as Spark and delta-rs write it. */
export function removeOf(add: AddFile, now: number): RemoveFile {
  return {
    path: add.path,
    deletionTimestamp: now,
    dataChange: true,
    extendedFileMetadata: true,
    partitionValues: add.partitionValues,
    size: add.size,
    ...(add.stats == null ? {} : { stats: add.stats }),
    ...(add.deletionVector == null ? {} : { deletionVector: add.deletionVector }),
  }
}
