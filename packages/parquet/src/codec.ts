// The Parquet codec seam: what @lake/core needs from a Parquet implementation, so a faster codec
// (parquet-wasm, a native addon) can be swapped in through the Engine without touching operations.

import type { ColumnBatch, ReadOptions } from './decode.js'
import type { EncodedParquet, EncodeOptions } from './encode.js'
import type { AsyncBuffer, Row, StructType } from './types.js'

/**
 * A Parquet encoder/decoder of Delta rows. `Batch` is the columnar batch type of `encodeBatch` and
 * `readBatches`: Arrow `RecordBatch` for the codecs of this package.
 */
export interface ParquetCodec<Batch = unknown> {
  /** A short name (`'hyparquet'`, `'parquet-wasm'`), printed by the benchmarks. */
  readonly name: string
  /**
   * Encodes rows (already matching `schema`, keyed by its field names) as one Parquet file with Delta
   * statistics. CPU only, no I/O: safe in worker threads.
   * @throws ParquetError for a value that does not match the schema.
   */
  encode(rows: readonly Row[], schema: StructType, options: EncodeOptions): EncodedParquet
  /**
   * Streams a Parquet file's rows in batches, projected to `options.columns` (matched by name or
   * field id), through ranged reads of `file`.
   * @throws ParquetError or CorruptDataError naming `options.path`.
   */
  readRows(file: AsyncBuffer, schema: StructType, options?: ReadOptions): AsyncIterable<Row[]>
  /** `readRows` as one array of values per column and batch (no row objects); optional. */
  readColumns?(file: AsyncBuffer, schema: StructType, options?: ReadOptions): AsyncIterable<ColumnBatch>
  /** Encodes a columnar batch (columns matched to `schema` by name); optional. */
  encodeBatch?(batch: Batch, schema: StructType, options: EncodeOptions): EncodedParquet
  /**
   * `encodeBatch` off the calling thread (the codec's encoder pool; the Delta stats are computed on the
   * calling thread meanwhile), for writers with several files to encode at once; optional.
   */
  encodeBatchAsync?(batch: Batch, schema: StructType, options: EncodeOptions): Promise<EncodedParquet>
  /** Files `encodeBatchAsync` encodes at once (its threads): writers cut a large input into at least this many. */
  readonly batchThreads?: number
  /** Streams a file as canonical columnar batches of `schema` (projected, by name only); optional. */
  readBatches?(file: AsyncBuffer, schema: StructType, options?: ReadOptions): AsyncIterable<Batch>
  /**
   * The URL or specifier of a module whose `createCodec()` builds this same codec, so worker threads
   * (ingest's encoder pool) can encode with it. A codec without one cannot be used from workers.
   */
  readonly workerModule?: string
}

/** The export a `workerModule` provides: builds the codec (once per worker thread). */
export type CreateCodec = () => ParquetCodec | Promise<ParquetCodec>
