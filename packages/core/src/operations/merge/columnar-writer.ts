// The columnar upsert route's writer (docs/row-level-plan.md §5): the rows a plain upsert MERGE writes
// (update post-images and inserts, already typed and checked by the change sink) go straight into
// Arrow column builders and out through the codec's columnar `encodeBatch` (parquet-wasm, page CRCs,
// Delta stats from the columns as writeDelta of Arrow computes them) instead of row-wise encoding.
// Unpartitioned tables without column mapping only; files roll exactly as RollingFileWriter rolls them.

import type { ArrowRecordBatch, BatchBuilder, ParquetCodec, Row } from '@lake/parquet'
import { batchBuilderFor, batchOfColumns, takeColumn } from '../../arrow-values.js'
import type { AddFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import { discardAdds } from '../../files/discard-files.js'
import { estimateBytes } from '../../files/estimate-bytes.js'
import { encodeBatchFile, sliceBatches } from '../../files/write-batch-files.js'
import { DEFAULT_MAX_ROWS_PER_FILE, DEFAULT_TARGET_FILE_BYTES, DEFAULT_WRITE_CONCURRENCY, positiveInteger, uploadDataFile } from '../../files/write-data-files.js'
import type { WriteDataFilesOptions } from '../../files/write-data-files.js'

/** What the MERGE change sink and executor need of a writer of new rows. */
export interface MergeRowWriter {
  write(rows: readonly Row[]): Promise<void>
  finish(): Promise<readonly AddFile[]>
  abort(): Promise<void>
}

/**
 * Writes coerced rows of an unpartitioned table as data files encoded column by column. Create it
 * with `columnarWriterFor` (undefined when the schema or codec does not allow it).
 */
export class ColumnarFileWriter implements MergeRowWriter {
  readonly #engine: Engine
  readonly #options: WriteDataFilesOptions
  readonly #codec: ParquetCodec<ArrowRecordBatch>
  readonly #maxRows: number
  readonly #maxBytes: number
  readonly #concurrency: number
  readonly #uploads = new Set<Promise<void>>()
  readonly #adds: AddFile[] = []
  #open: BatchBuilder
  #bytes = 0
  /** Batches `appendBatch` holds to join into the next file, and their rows and bytes. */
  #joined: ArrowRecordBatch[] = []
  #joinedRows = 0
  #joinedBytes = 0

  constructor(engine: Engine, options: WriteDataFilesOptions, codec: ParquetCodec<ArrowRecordBatch>, builder: BatchBuilder) {
    this.#engine = engine
    this.#options = options
    this.#codec = codec
    this.#open = builder
    this.#maxRows = positiveInteger('maxRowsPerFile', options.maxRowsPerFile ?? DEFAULT_MAX_ROWS_PER_FILE)
    this.#maxBytes = positiveInteger('targetFileBytes', options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES)
    this.#concurrency = options.concurrency ?? DEFAULT_WRITE_CONCURRENCY
  }

  /** Appends rows, uploading each file that reaches its target (rows or estimated bytes, as RollingFileWriter). */
  async write(rows: readonly Row[]): Promise<void> {
    for (const row of rows) {
      const size = estimateBytes(row)
      if (this.#open.rows > 0 && this.#bytes + size > this.#maxBytes) await this.#upload()
      this.#open.append(row)
      this.#bytes += size
      if (this.#open.rows >= this.#maxRows) await this.#upload()
    }
  }

  /** Uploads batches of the writer's schema as files of their own (cut at the targets, rows and Arrow bytes). */
  async writeBatches(batches: readonly ArrowRecordBatch[]): Promise<void> {
    if (this.#open.rows > 0) await this.#upload()
    for (const slice of sliceBatches(batches, this.#maxRows, this.#maxBytes)) await this.#uploadBatch(slice)
  }

  /**
   * Writes `batch` into files it shares with the batches appended before and after it: batches are
   * joined into one file until the next would pass the target (rows or Arrow bytes), so rows that come
   * from many places (a copy-on-write MERGE's kept rows of each file it rewrites, then its new rows) do
   * not each make a small file. A batch that reaches the target alone is cut as `writeBatches` cuts it.
   * `finish` writes the last file.
   */
  async appendBatch(batch: ArrowRecordBatch): Promise<void> {
    if (batch.numRows === 0) return
    const bytes = batch.data.byteLength
    // Stryker disable next-line EqualityOperator: a batch of exactly maxRows rows joined instead is flushed alone by the next append or finish, the same file
    if (batch.numRows >= this.#maxRows || bytes >= this.#maxBytes) {
      await this.#flushJoined()
      return this.writeBatches([batch])
    }
    if (this.#joinedRows + batch.numRows > this.#maxRows || this.#joinedBytes + bytes > this.#maxBytes) await this.#flushJoined()
    this.#joined.push(batch)
    this.#joinedRows += batch.numRows
    this.#joinedBytes += bytes
  }

  /** Uploads the open file, waits for every upload, and returns all add actions. */
  async finish(): Promise<readonly AddFile[]> {
    await this.#flushJoined()
    if (this.#open.rows > 0) await this.#upload()
    while (this.#uploads.size > 0) await Promise.race(this.#uploads)
    return this.#adds
  }

  /** Waits for the running uploads (ignoring their errors), then deletes every uploaded file. */
  async abort(): Promise<void> {
    await Promise.allSettled([...this.#uploads])
    await discardAdds(this.#engine, this.#adds)
  }

  /** Uploads the batches `appendBatch` holds as one file. */
  async #flushJoined(): Promise<void> {
    const batches = this.#joined
    this.#joined = []
    this.#joinedRows = 0
    this.#joinedBytes = 0
    if (batches.length > 0) await this.#uploadBatch(joinBatches(this.#options.schema, batches))
  }

  async #upload(): Promise<void> {
    const batch = this.#open.finish()
    this.#open = batchBuilderFor(this.#options.schema) ?? this.#open
    this.#bytes = 0
    await this.#uploadBatch(batch)
  }

  async #uploadBatch(batch: ArrowRecordBatch): Promise<void> {
    while (this.#uploads.size >= this.#concurrency) await Promise.race(this.#uploads)
    const encoded = encodeBatchFile(batch, this.#options, this.#codec)
    const task = uploadDataFile(this.#engine, encoded, this.#options.signal).then((add) => {
      this.#adds.push(add)
      this.#uploads.delete(task)
    })
    // A failed upload stays in the set: the next wait rethrows it; this handler only keeps it from being unhandled meanwhile.
    task.catch(() => {})
    this.#uploads.add(task)
  }
}

/** `batches` (of `schema`'s columns, in order) as one batch: the first itself, several copied into one. */
function joinBatches(schema: WriteDataFilesOptions['schema'], batches: readonly ArrowRecordBatch[]): ArrowRecordBatch {
  const [first] = batches
  if (batches.length === 1 && first !== undefined) return first
  const rows = batches.reduce((n, b) => n + b.numRows, 0)
  const all = Int32Array.from({ length: rows }, (_, i) => i)
  const columns = schema.fields.map((_, k) => takeColumn(batches.map((b) => b.data.children[k] as (typeof b.data.children)[number]), all))
  return batchOfColumns(schema, columns, rows)
}

/**
 * A columnar writer for `options` when the table is unpartitioned, every column is a flat primitive
 * the Arrow column builders cover, and the codec encodes Arrow batches; undefined otherwise.
 */
export function columnarWriterFor(engine: Engine, options: WriteDataFilesOptions, codec: ParquetCodec): ColumnarFileWriter | undefined {
  if (options.partitionColumns.length > 0 || codec.encodeBatch === undefined) return undefined
  if ((options.columnMappingMode ?? 'none') !== 'none') return undefined
  const builder = batchBuilderFor(options.schema)
  return builder === undefined ? undefined : new ColumnarFileWriter(engine, options, codec as ParquetCodec<ArrowRecordBatch>, builder)
}
