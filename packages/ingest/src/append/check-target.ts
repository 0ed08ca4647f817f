// Checks made before any data file is written to an existing table: lake can write to it (no
// unknown writer features) and the partitioning asked for is the table's.

import { assertCanWrite } from '@lake/core/internal'
import type { Snapshot } from '@lake/core'
import { IngestError } from '../errors.js'

/**
 * @throws ProtocolError `UnsupportedFeature` (a writer feature lake does not implement), IngestError
 *   `UnsupportedFeature` for a column-mapped table (its files need physical names, ingest writes logical ones),
 *   IngestError `InvalidArgument` when `partitionBy` differs from the table's partition columns.
 */
export function checkTarget(snapshot: Snapshot, partitionBy: readonly string[] | undefined, method: string): void {
  assertCanWrite({ protocol: snapshot.protocol, schema: snapshot.schema, configuration: snapshot.metadata.configuration }, { removesData: false })
  if (snapshot.columnMappingMode !== 'none') {
    throw new IngestError(
      'UnsupportedFeature',
      `${method}: expected a table without column mapping, found table ${snapshot.tableUrl} with delta.columnMapping.mode '${snapshot.columnMappingMode}', which ingest does not write yet; Help: append with writeDelta or lake merge`,
      { context: { feature: 'columnMapping' } },
    )
  }
  if (partitionBy === undefined) return
  const table = snapshot.partitionColumns
  if (partitionBy.length === table.length && partitionBy.every((c, i) => c === table[i])) return
  const list = (columns: readonly string[]): string => `[${columns.map((c) => JSON.stringify(c)).join(', ')}]`
  throw new IngestError(
    'InvalidArgument',
    `${method}: expected partitionBy ${list(table)} (the partition columns of table ${snapshot.tableUrl}), found ${list(partitionBy)}; Help: omit partitionBy to append to an existing table`,
    { context: { expected: table.join(','), found: partitionBy.join(',') } },
  )
}
