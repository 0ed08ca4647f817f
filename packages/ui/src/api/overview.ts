// GET /api/overview: the table at a version (Spark's DESCRIBE DETAIL plus the schema) and the
// range of versions the page can select.

import type { DeltaTable } from '@lake/core'
import type { TableSource } from '../source/table-source.js'
import { columnStates, protocolState } from './table-diff.js'
import type { ColumnState, ProtocolState } from './table-diff.js'

export interface Overview {
  readonly uri: string
  readonly name: string | null
  readonly description: string | null
  readonly location: string
  readonly id: string
  readonly version: number
  readonly latestVersion: number
  readonly createdAt: string | null
  readonly lastModified: string
  readonly partitionColumns: readonly string[]
  readonly protocol: ProtocolState
  /** Properties as [key, value] pairs, sorted by key. */
  readonly properties: readonly (readonly [string, string])[]
  readonly numFiles: number
  readonly sizeInBytes: number
  readonly numRecords: number | null
  readonly columns: readonly ColumnState[]
}

/** The overview of `table`. */
export async function overview(source: TableSource, table: DeltaTable): Promise<Overview> {
  const d = table.details()
  return {
    uri: source.uri,
    name: d.name ?? null,
    description: d.description ?? null,
    location: d.location,
    id: d.id,
    version: d.version,
    latestVersion: Math.max(d.version, await source.latestVersion()),
    createdAt: d.createdAt === undefined ? null : new Date(d.createdAt).toISOString(),
    lastModified: new Date(d.lastModified).toISOString(),
    partitionColumns: d.partitionColumns,
    protocol: protocolState(table.protocol),
    properties: Object.entries(d.properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    numFiles: d.numFiles,
    sizeInBytes: d.sizeInBytes,
    numRecords: d.numRecords ?? null,
    columns: columnStates(table.schema),
  }
}
