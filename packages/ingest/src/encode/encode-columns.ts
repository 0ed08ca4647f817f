// The columnar route of a chunk: coerced rows of a flat, unpartitioned schema appended straight into
// Arrow column builders (typed arrays, UTF-8 bytes with offsets) and encoded by the codec's
// `encodeBatch` (parquet-wasm), instead of the codec's row encoder. Pure CPU, no I/O.

import { encodeBatchFile, sliceBatches } from '@lake/core/encode'
import type { EncodedDataFile } from '@lake/core/encode'
import { batchBuilderFor } from '@lake/parquet/arrow'
import type { ArrowRecordBatch, BatchBuilder, Compression, ParquetCodec, Row, StructType } from '@lake/parquet'

/** What the columnar route needs of a task. */
export interface ColumnsTask {
  readonly schema: StructType
  readonly partitionColumns: readonly string[]
  readonly compression?: Compression | undefined
  readonly maxRowsPerFile?: number | undefined
  readonly targetFileBytes?: number | undefined
  readonly statsColumnLimit?: number | undefined
  readonly columnMappingMode?: 'none' | 'name' | 'id' | undefined
}

const MAX_ROWS_PER_FILE = 1_000_000

/**
 * The data files of `rows` through column builders and `codec.encodeBatch`, or undefined when the
 * task is not for that route: a partitioned table, a file size target (files are cut by the row
 * encoder's size estimate), a codec without `encodeBatch`, a column-mapped table (files need physical
 * names), or a column the builders do not cover.
 */
export function encodeAsColumns(rows: readonly Row[], task: ColumnsTask, codec: ParquetCodec): EncodedDataFile[] | undefined {
  if (task.partitionColumns.length > 0 || task.targetFileBytes !== undefined || codec.encodeBatch === undefined || rows.length === 0) return undefined
  if ((task.columnMappingMode ?? 'none') !== 'none') return undefined
  const builder = batchBuilderFor(task.schema)
  if (builder === undefined) return undefined
  for (const row of rows) builder.append(row)
  return encodeBuilt(builder, task, codec)
}

/**
 * The data files of the rows in `builder` (cut at `maxRowsPerFile`), encoded by `codec.encodeBatch`;
 * none for no rows. The builder is emptied (its buffers kept for its next rows) either way.
 */
export function encodeBuilt(builder: BatchBuilder, task: ColumnsTask, codec: ParquetCodec): EncodedDataFile[] {
  if (builder.rows === 0) {
    builder.reset()
    return []
  }
  const options = {
    schema: task.schema,
    partitionColumns: task.partitionColumns,
    ...(task.compression === undefined ? {} : { compression: task.compression }),
    ...(task.statsColumnLimit === undefined ? {} : { statsColumnLimit: task.statsColumnLimit }),
  }
  // Encoded synchronously while the batch is lent: the files keep nothing of the builder's buffers.
  return builder.withBatch((batch) => {
    const slices = sliceBatches([batch], task.maxRowsPerFile ?? MAX_ROWS_PER_FILE, Number.MAX_SAFE_INTEGER)
    return slices.map((slice) => encodeBatchFile(slice, options, codec as ParquetCodec<ArrowRecordBatch>))
  })
}
