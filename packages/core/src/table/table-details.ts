// The details of a table version (Spark's DESCRIBE DETAIL): identity, size, live rows, protocol and
// properties, computed from a snapshot without I/O. Pure.

import { liveRowCount } from '../actions/row-count.js'
import type { Snapshot } from '../snapshot/snapshot.js'

/** What `DeltaTable.details()` reports about one version (Spark's DESCRIBE DETAIL). */
export interface TableDetails {
  /** `delta` for Parquet data files, else the metadata's format provider. */
  readonly format: string
  /** The table id (`metaData.id`). */
  readonly id: string
  readonly name: string | undefined
  readonly description: string | undefined
  /** The table's URL as the store names it. */
  readonly location: string
  readonly version: number
  /** `metaData.createdTime` in epoch ms, when the log records it. */
  readonly createdAt: number | undefined
  /** The commit timestamp of this version in epoch ms. */
  readonly lastModified: number
  readonly partitionColumns: readonly string[]
  /** Live data files. */
  readonly numFiles: number
  /** Bytes of the live data files. */
  readonly sizeInBytes: number
  /** Live rows: each file's `stats.numRecords` minus its deletion vector's cardinality; undefined when a file has no stats. */
  readonly numRecords: number | undefined
  readonly minReaderVersion: number
  readonly minWriterVersion: number
  readonly readerFeatures: readonly string[]
  readonly writerFeatures: readonly string[]
  /** The table properties (`metaData.configuration`). */
  readonly properties: Readonly<Record<string, string>>
}

/** The details of `snapshot`'s version. */
export function tableDetails(snapshot: Snapshot): TableDetails {
  const { metadata, protocol } = snapshot
  const files = snapshot.files()
  let numRecords: number | undefined = 0
  let sizeInBytes = 0
  for (const f of files) {
    sizeInBytes += f.size
    const n = liveRowCount(f)
    numRecords = n === undefined || numRecords === undefined ? undefined : numRecords + n
  }
  return {
    format: metadata.format.provider === 'parquet' ? 'delta' : metadata.format.provider,
    id: metadata.id,
    name: metadata.name ?? undefined,
    description: metadata.description ?? undefined,
    location: snapshot.tableUrl,
    version: snapshot.version,
    createdAt: metadata.createdTime ?? undefined,
    lastModified: snapshot.timestamp,
    partitionColumns: snapshot.partitionColumns,
    numFiles: files.length,
    sizeInBytes,
    numRecords,
    minReaderVersion: protocol.minReaderVersion,
    minWriterVersion: protocol.minWriterVersion,
    readerFeatures: protocol.readerFeatures ?? [],
    writerFeatures: protocol.writerFeatures ?? [],
    properties: metadata.configuration,
  }
}
