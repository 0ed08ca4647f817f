// Encodes one chunk of coerced rows into Parquet data files (per partition, rolled at the file
// limits). Pure CPU, no I/O: runs in the encoder workers and in the inline encoder.

import { encodeDataFile, planDataFiles } from '@lake/core'
import type { EncodedDataFile } from '@lake/core'
import type { Compression, Row, StructType } from '@lake/parquet'

/** One unit of encoding work. Crosses the worker boundary by structured clone. */
export interface EncodeTask {
  /** Rows already coerced to `schema` (bigint, Map, Uint8Array survive the clone). */
  readonly rows: readonly Row[]
  readonly schema: StructType
  readonly partitionColumns: readonly string[]
  readonly compression?: Compression | undefined
  readonly maxRowsPerFile?: number | undefined
  readonly targetFileBytes?: number | undefined
  readonly statsColumnLimit?: number | undefined
}

/** Plans the chunk's files and encodes each one. */
export function encodeChunk(task: EncodeTask): EncodedDataFile[] {
  const options = {
    schema: task.schema,
    partitionColumns: task.partitionColumns,
    ...(task.compression === undefined ? {} : { compression: task.compression }),
    ...(task.maxRowsPerFile === undefined ? {} : { maxRowsPerFile: task.maxRowsPerFile }),
    ...(task.targetFileBytes === undefined ? {} : { targetFileBytes: task.targetFileBytes }),
    ...(task.statsColumnLimit === undefined ? {} : { statsColumnLimit: task.statsColumnLimit }),
  }
  return planDataFiles(task.rows, options).map((plan) => encodeDataFile(plan, options))
}
