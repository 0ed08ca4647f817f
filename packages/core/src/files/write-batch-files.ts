// Writes Arrow record batches of an unpartitioned table as data files through the codec's columnar
// `encodeBatch`: batches are cut at `maxRowsPerFile` rows and about `targetFileBytes` (Arrow buffer
// bytes), encoded one at a time and uploaded with bounded concurrency. Never commits.

import { randomUUID } from 'node:crypto'
import type { ArrowRecordBatch as RecordBatch, ParquetCodec } from '@lake/parquet'
import { mapConcurrent } from '@lake/storage'
import type { AddFile } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { WriteError } from '../errors.js'
import { DEFAULT_MAX_ROWS_PER_FILE, DEFAULT_TARGET_FILE_BYTES, DEFAULT_WRITE_CONCURRENCY, positiveInteger, uploadDataFile } from './write-data-files.js'
import type { EncodedDataFile, WriteDataFilesOptions } from './write-data-files.js'

/** Slices of `batches` of at most `maxRows` rows and about `maxBytes` Arrow bytes each. Pure. */
export function sliceBatches(batches: readonly RecordBatch[], maxRows: number, maxBytes: number): RecordBatch[] {
  const out: RecordBatch[] = []
  for (const batch of batches) {
    const bytesPerRow = batch.numRows === 0 ? 1 : Math.max(1, batch.data.byteLength / batch.numRows)
    const rows = Math.max(1, Math.min(maxRows, Math.floor(maxBytes / bytesPerRow)))
    for (let start = 0; start < batch.numRows; start += rows) out.push(start === 0 && rows >= batch.numRows ? batch : batch.slice(start, start + rows))
  }
  return out
}

/** Encodes one batch (columns of `schema`) as an unpartitioned data file named as row-path files are. */
export function encodeBatchFile(batch: RecordBatch, options: Omit<WriteDataFilesOptions, 'signal' | 'concurrency'>, codec: ParquetCodec<RecordBatch>): EncodedDataFile {
  if (codec.encodeBatch === undefined) throw new WriteError('InvalidArgument', `expected a codec with encodeBatch for Arrow data, found codec '${codec.name}' without one`)
  const compression = options.compression ?? 'zstd'
  const encoded = codec.encodeBatch(batch, options.schema, {
    compression,
    ...(options.statsColumnLimit === undefined ? {} : { statsColumnLimit: options.statsColumnLimit }),
  })
  const key = `part-00000-${randomUUID()}-c000.${compression}.parquet`
  return { key, bytes: encoded.bytes, partitionValues: {}, stats: JSON.stringify(encoded.stats), numRecords: encoded.numRecords }
}

/**
 * Encodes and uploads Arrow batches of an unpartitioned table; returns one add action per file.
 * On failure some files may exist in storage: orphans no commit references (vacuum removes them).
 */
export async function writeBatchFiles(engine: Engine, codec: ParquetCodec<RecordBatch>, batches: readonly RecordBatch[], options: WriteDataFilesOptions): Promise<AddFile[]> {
  const maxRows = positiveInteger('maxRowsPerFile', options.maxRowsPerFile ?? DEFAULT_MAX_ROWS_PER_FILE)
  const maxBytes = positiveInteger('targetFileBytes', options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES)
  const slices = sliceBatches(batches, maxRows, maxBytes)
  return mapConcurrent(slices, options.concurrency ?? DEFAULT_WRITE_CONCURRENCY, async slice =>
    uploadDataFile(engine, encodeBatchFile(slice, options, codec), options.signal),
  )
}

