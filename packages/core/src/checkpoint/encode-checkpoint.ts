// Encodes a planned checkpoint as one Parquet file with the engine's codec (snappy, the codec every
// Delta reader supports). In-memory and synchronous; writing the bytes is the caller's job.

import type { ParquetCodec } from '@lake/parquet'
import { lastCheckpointJson } from './last-checkpoint-json.js'
import type { CheckpointPlan } from './plan-checkpoint.js'

/** Rows per row group: readers stream a checkpoint one row group at a time, so this bounds their memory. */
const CHECKPOINT_ROW_GROUP_ROWS = 5_000 // rows

/** The checkpoint file and the matching `_last_checkpoint` content. */
export interface EncodedCheckpoint {
  readonly bytes: Uint8Array
  /** JSON for `_delta_log/_last_checkpoint`. */
  readonly lastCheckpoint: string
}

/**
 * The Parquet bytes of `plan` for version `version` (no column stats: checkpoints are never
 * data-skipped), encoded with `codec` (the engine's), and its `_last_checkpoint` JSON.
 * @throws ParquetError when a row does not match the checkpoint schema (a bug, not bad input).
 */
export function encodeCheckpoint(plan: CheckpointPlan, version: number, codec: ParquetCodec): EncodedCheckpoint {
  const { bytes } = codec.encode(plan.rows, plan.schema, { compression: 'snappy', statsColumnLimit: 0, rowGroupSize: CHECKPOINT_ROW_GROUP_ROWS })
  const lastCheckpoint = lastCheckpointJson({ version, size: plan.size, sizeInBytes: bytes.byteLength, numOfAddFiles: plan.numOfAddFiles })
  return { bytes, lastCheckpoint }
}
