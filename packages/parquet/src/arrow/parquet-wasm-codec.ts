// The columnar codec: rows are checked and converted column by column (the same checks and Delta
// stats as `encodeParquet`), laid out as Arrow buffers, and encoded by parquet-wasm (arrow-rs).
// Reads stay on the hyparquet decoder (ranged reads of only the needed column chunks). This module
// is also its own `workerModule`.

import * as arrow from 'apache-arrow'
import type { ParquetCodec } from '../codec.js'
import { readParquetColumns, readParquetRows } from '../decode.js'
import { rowGroupRows } from '../encode.js'
import type { EncodedParquet, EncodeOptions } from '../encode.js'
import { ParquetError } from '../errors.js'
import { isStored } from '../schema-to-parquet.js'
import type { Row, StructType } from '../types.js'
import { encodeArrowBatchAsync, ENCODE_THREADS } from './encode-pool/encode-arrow-async.js'
import { encodeArrowBatch } from './encode-arrow-batch.js'
import { readArrowBatches } from './read-arrow.js'
import { rowsToArrowBatch } from './rows-to-arrow.js'
import { writeArrowParquet } from './arrow-parquet.js'

/** `encodeParquet`'s contract, encoded by parquet-wasm from Arrow columns. */
export function encodeParquetWasm(rows: readonly Row[], schema: StructType, options: EncodeOptions = {}): EncodedParquet {
  if (!schema.fields.some(f => isStored(f.type))) throw new ParquetError('expected a schema with at least one non-void column, found none')
  const { batch, stats } = rowsToArrowBatch(rows, schema, options)
  const bytes = writeArrowParquet(new arrow.Table([batch]), {
    compression: options.compression ?? 'zstd',
    rowGroupSize: rowGroupRows(rows, options),
  })
  return { bytes, numRecords: rows.length, stats }
}

/** parquet-wasm for writes, hyparquet for reads, as a `ParquetCodec` of Arrow batches. */
export const parquetWasmCodec: ParquetCodec<arrow.RecordBatch> = Object.freeze({
  name: 'parquet-wasm',
  encode: encodeParquetWasm,
  readRows: readParquetRows,
  readColumns: readParquetColumns,
  encodeBatch: encodeArrowBatch,
  encodeBatchAsync: encodeArrowBatchAsync,
  batchThreads: ENCODE_THREADS,
  readBatches: readArrowBatches,
  workerModule: import.meta.url,
})

/** The `workerModule` entry point: the same (stateless) codec. */
export function createCodec(): ParquetCodec {
  return parquetWasmCodec as ParquetCodec
}
