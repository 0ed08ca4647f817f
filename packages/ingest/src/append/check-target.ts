// Checks made before any data file is written to an existing table: lake can write to it (no
// unknown writer features) and the partitioning asked for is the table's.

import { assertCanWrite } from '@lake/core/internal'
import type { Snapshot } from '@lake/core'
import { IngestError } from '../errors.js'

/**
 * A column-mapped table is fine: the encoders write its files with physical names and field ids.
 * @throws ProtocolError `UnsupportedFeature` (a writer feature lake does not implement), IngestError
 *   `InvalidArgument` when `partitionBy` differs from the table's partition columns.
 */
export function checkTarget(snapshot: Snapshot, partitionBy: readonly string[] | undefined, method: string): void {
  assertCanWrite({ protocol: snapshot.protocol, schema: snapshot.schema, configuration: snapshot.metadata.configuration }, { removesData: false })
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
