// Encodes one chunk of coerced rows into Parquet data files (per partition, rolled at the file
// limits). Pure CPU, no I/O: runs in the encoder workers and in the inline encoder.

import { createRowCoercer, DEFAULT_CODEC, encodeDataFile, planDataFiles } from '@lake/core/encode'
import type { Compression, ParquetCodec, Row, StructType } from '@lake/parquet'
import { isLakeError } from '@lake/storage'
import { encodeAsColumns } from './encode-columns.js'
import type { EncodeResult } from './encode-result.js'

export { filesOf } from './encode-result.js'
export type { EncodeResult } from './encode-result.js'

/** One unit of encoding work. Crosses the worker boundary by structured clone. */
export interface EncodeTask {
  /** Rows coerced to `schema` (bigint, Map, Uint8Array survive the clone), or raw rows when `coerceFrom` is set. */
  readonly rows: readonly unknown[]
  /** Coerce the rows here (in the worker) first; the value is the index of the first row, for messages. */
  readonly coerceFrom?: number | undefined
  readonly schema: StructType
  readonly partitionColumns: readonly string[]
  readonly compression?: Compression | undefined
  readonly maxRowsPerFile?: number | undefined
  readonly targetFileBytes?: number | undefined
  readonly statsColumnLimit?: number | undefined
  /** The table's `delta.columnMapping.mode` (default none): files carry physical names and field ids, through the row encoder. */
  readonly columnMappingMode?: 'none' | 'name' | 'id' | undefined
}

/** Coerces (when asked), plans the chunk's files and encodes each one with `codec` (as columns where `encodeAsColumns` can). Lake errors come back as data. */
export function encodeChunk(task: EncodeTask, codec: ParquetCodec = DEFAULT_CODEC): EncodeResult {
  const options = {
    schema: task.schema,
    partitionColumns: task.partitionColumns,
    ...(task.compression === undefined ? {} : { compression: task.compression }),
    ...(task.maxRowsPerFile === undefined ? {} : { maxRowsPerFile: task.maxRowsPerFile }),
    ...(task.targetFileBytes === undefined ? {} : { targetFileBytes: task.targetFileBytes }),
    ...(task.statsColumnLimit === undefined ? {} : { statsColumnLimit: task.statsColumnLimit }),
    ...(task.columnMappingMode === undefined ? {} : { columnMappingMode: task.columnMappingMode }),
  }
  try {
    const from = task.coerceFrom
    let rows = task.rows as readonly Row[]
    if (from !== undefined) {
      const coerce = createRowCoercer(task.schema, { partitionColumns: task.partitionColumns })
      rows = task.rows.map((row, i) => coerce(row, from + i))
    }
    const files = encodeAsColumns(rows, task, codec) ?? planDataFiles(rows, options).map((plan) => encodeDataFile(plan, options, codec))
    return { status: 'encoded', files }
  } catch (err) {
    if (!isLakeError(err)) throw err
    return { status: 'failed', code: err.code, message: err.message, context: err.context }
  }
}
