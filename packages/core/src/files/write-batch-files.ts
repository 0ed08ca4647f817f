// Writes Arrow record batches of an unpartitioned table as data files through the codec's columnar
// `encodeBatch`: batches are cut at `maxRowsPerFile` rows and about `targetFileBytes` (Arrow buffer
// bytes), and a large input into at least one file per encoder thread; several files are encoded in
// parallel on the codec's threads (`encodeBatchAsync`), one in-process; uploads run with bounded
// concurrency. Never commits.

import { randomUUID } from 'node:crypto'
import type { ArrowRecordBatch as RecordBatch, EncodedParquet, EncodeOptions, ParquetCodec } from '@lake/parquet'
import { mapConcurrent } from '@lake/storage'
import type { AddFile } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { WriteError } from '../errors.js'
import { discardAdds } from './discard-files.js'
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

/** Rows of the smallest file a large input is cut into for parallel encoding: one default row group. */
export const MIN_PARALLEL_FILE_ROWS = 128 * 1024

/**
 * `slices` cut again so a large input keeps `threads` encoders busy: when there are fewer slices than
 * threads and at least `2 * MIN_PARALLEL_FILE_ROWS` rows, files hold about `rows / threads` rows (at
 * least `MIN_PARALLEL_FILE_ROWS`). A 1M-row batch on 2 cores becomes 2 files of 500,000 rows. Pure.
 */
export function spreadSlices(slices: readonly RecordBatch[], threads: number): readonly RecordBatch[] {
  const rows = slices.reduce((n, s) => n + s.numRows, 0)
  if (threads < 2 || slices.length >= threads || rows < 2 * MIN_PARALLEL_FILE_ROWS) return slices
  return sliceBatches(slices, Math.max(MIN_PARALLEL_FILE_ROWS, Math.ceil(rows / threads)), Number.POSITIVE_INFINITY)
}

type FileOptions = Omit<WriteDataFilesOptions, 'signal' | 'concurrency'>

function encodeOptions(options: FileOptions): EncodeOptions {
  return {
    compression: options.compression ?? 'zstd',
    ...(options.statsColumnLimit === undefined ? {} : { statsColumnLimit: options.statsColumnLimit }),
  }
}

function dataFile(encoded: EncodedParquet, options: FileOptions): EncodedDataFile {
  const key = `part-00000-${randomUUID()}-c000.${options.compression ?? 'zstd'}.parquet`
  return { key, bytes: encoded.bytes, partitionValues: {}, stats: JSON.stringify(encoded.stats), numRecords: encoded.numRecords }
}

function withBatchEncoder(codec: ParquetCodec<RecordBatch>): Required<Pick<ParquetCodec<RecordBatch>, 'encodeBatch'>> {
  if (codec.encodeBatch === undefined) throw new WriteError('InvalidArgument', `expected a codec with encodeBatch for Arrow data, found codec '${codec.name}' without one`)
  return codec as Required<Pick<ParquetCodec<RecordBatch>, 'encodeBatch'>>
}

/** Encodes one batch (columns of `schema`) as an unpartitioned data file named as row-path files are. */
export function encodeBatchFile(batch: RecordBatch, options: FileOptions, codec: ParquetCodec<RecordBatch>): EncodedDataFile {
  return dataFile(withBatchEncoder(codec).encodeBatch(batch, options.schema, encodeOptions(options)), options)
}

/** `encodeBatchFile` on the codec's encoder threads (`encodeBatchAsync`), or in-process for a codec without them. */
export async function encodeBatchFileAsync(batch: RecordBatch, options: FileOptions, codec: ParquetCodec<RecordBatch>): Promise<EncodedDataFile> {
  if (codec.encodeBatchAsync === undefined) return encodeBatchFile(batch, options, codec)
  return dataFile(await codec.encodeBatchAsync(batch, options.schema, encodeOptions(options)), options)
}

/**
 * Encodes and uploads Arrow batches of an unpartitioned table; returns one add action per file. Two
 * or more files are encoded on the codec's encoder threads (see `spreadSlices`), one in-process.
 * On failure the files uploaded so far are deleted (best effort).
 */
export async function writeBatchFiles(engine: Engine, codec: ParquetCodec<RecordBatch>, batches: readonly RecordBatch[], options: WriteDataFilesOptions): Promise<AddFile[]> {
  const maxRows = positiveInteger('maxRowsPerFile', options.maxRowsPerFile ?? DEFAULT_MAX_ROWS_PER_FILE)
  const maxBytes = positiveInteger('targetFileBytes', options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES)
  const slices = spreadSlices(sliceBatches(batches, maxRows, maxBytes), codec.encodeBatchAsync === undefined ? 1 : (codec.batchThreads ?? 1))
  const encode = slices.length > 1 ? encodeBatchFileAsync : (slice: RecordBatch) => Promise.resolve(encodeBatchFile(slice, options, codec))
  const uploaded: AddFile[] = []
  try {
    return await mapConcurrent(slices, options.concurrency ?? DEFAULT_WRITE_CONCURRENCY, async slice => {
      const add = await uploadDataFile(engine, await encode(slice, options, codec), options.signal)
      uploaded.push(add)
      return add
    })
  } catch (err) {
    await discardAdds(engine, uploaded)
    throw err
  }
}
