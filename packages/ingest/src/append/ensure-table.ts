// Opens the table's latest snapshot, creating the table first when it does not exist (the
// `ensureTable` step before parallel writers fan out; losing the creation race is fine).

import { DeltaTable, loadSnapshot } from '@lake/core'
import type { Engine, Snapshot } from '@lake/core'
import type { StructType } from '@lake/parquet'

/** What a new table is created with. */
export interface NewTableSpec {
  readonly schema: StructType
  readonly partitionBy?: readonly string[] | undefined
}

/**
 * Creates the table with `spec` unless it exists (a concurrent creator may win: its table is
 * used), then returns the latest snapshot.
 */
export async function ensureTable(engine: Engine, spec: NewTableSpec, signal?: AbortSignal): Promise<Snapshot> {
  await DeltaTable.create(engine, {
    schema: spec.schema,
    mode: 'ignore',
    ...(spec.partitionBy === undefined ? {} : { partitionBy: spec.partitionBy }),
    ...(signal === undefined ? {} : { signal }),
  })
  return loadSnapshot(engine, signal === undefined ? {} : { signal })
}
