// The Parquet schema lake writes classic (V1) checkpoints with (PROTOCOL.md#Checkpoint Schema):
// the reader's action columns minus the V2-only ones, so our reader always reads what we write.

import type { StructType } from '@lake/parquet'
import { CHECKPOINT_READ_SCHEMA } from '../log/checkpoint-schema.js'

/** Action columns of a V1 checkpoint, in Spark's order (domainMetadata included, as Spark 3 does). */
const WRITTEN_COLUMNS = ['txn', 'add', 'remove', 'metaData', 'protocol', 'domainMetadata'] as const

/** A name of a checkpoint action column. */
export type CheckpointColumn = (typeof WRITTEN_COLUMNS)[number]

/**
 * The checkpoint write schema: top-level nullable structs `txn`, `add`, `remove`, `metaData`,
 * `protocol`, `domainMetadata`; `partitionValues`, `tags`, `configuration`, `format.options` are
 * map<string,string>; `partitionColumns` and the feature lists array<string>; `add.stats` is the
 * JSON string (no `stats_parsed`). Longs are `long` (bigint values), versions of the protocol `integer`.
 */
export const CHECKPOINT_WRITE_SCHEMA: StructType = {
  kind: 'struct',
  fields: CHECKPOINT_READ_SCHEMA.fields.filter((f) => (WRITTEN_COLUMNS as readonly string[]).includes(f.name)),
}

/** The names of the written action columns, in schema order. */
export const CHECKPOINT_COLUMNS: readonly CheckpointColumn[] = WRITTEN_COLUMNS
