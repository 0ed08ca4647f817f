// The kept rows of one copy-on-write rewrite as Arrow columns (docs/row-level-plan.md §3, "copy-on-write
// without row objects"): the file's data columns decoded into Arrow buffers (`codec.readBatches`), the
// rows that stay taken by position (`takeColumn`), and the batch encoded by the codec's columnar
// `encodeBatch` with its Delta stats, named and placed (partition directory) as the row route names
// its files. Loaded with `import()` only (it loads the Arrow modules, see arrow-values.ts).

import { randomUUID } from 'node:crypto'
import type { ArrowColumn, ArrowRecordBatch, ParquetCodec, Row, StructField, StructType } from '@lake/parquet'
import type { AddFile } from '../actions/types.js'
import { batchOfColumns, takeColumn } from '../arrow-values.js'
import type { Engine } from '../engine.js'
import type { EncodedDataFile } from '../files/write-data-files.js'
import { partitionDirectory, serializePartitionValue } from '../partition/index.js'
import type { PartitionColumn } from '../partition/index.js'
import { storeAsyncBuffer } from '../read/store-buffer.js'
import { dataFileKey } from '../scan/read-scan-file.js'

/** What every kept file of one operation is written with. */
export interface KeptLayout {
  /** The table's columns in schema order (the rows of the row route). */
  readonly rowFields: readonly StructField[]
  /** The data columns (partition columns left out), as the files store them. */
  readonly dataSchema: StructType
  readonly partitionColumns: readonly PartitionColumn[]
  readonly statsColumnLimit: number
  /** The codec's `readBatches`. */
  readonly read: NonNullable<ParquetCodec<ArrowRecordBatch>['readBatches']>
  /**
   * The codec's `encodeBatch`, on the calling thread: its encoder pool (`encodeBatchAsync`) cost 0.6-0.9 s
   * more CPU on the 1M-row DELETE benchmark and was slower on a loaded 2-core machine.
   */
  readonly encode: NonNullable<ParquetCodec<ArrowRecordBatch>['encodeBatch']>
}

/**
 * The physical positions of a file of `physicalRows` rows that stay: neither hidden by its deletion
 * vector (`deleted`, sorted) nor `affected` (ascending). Pure.
 */
export function keptPositions(physicalRows: number, deleted: ArrayLike<number> | undefined, affected: readonly number[]): Int32Array {
  const out = new Int32Array(physicalRows - (deleted?.length ?? 0) - affected.length)
  let d = 0
  let a = 0
  let next = 0
  // Stryker disable next-line EqualityOperator: one more step writes past the end of the full array, which a typed array ignores
  for (let i = 0; i < physicalRows; i++) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: past its end `deleted[d]` is undefined, never `i`
    if (deleted !== undefined && d < deleted.length && deleted[d] === i) {
      d++
      continue
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: past its end `affected[a]` is undefined, never `i`
    if (a < affected.length && affected[a] === i) {
      a++
      continue
    }
    out[next++] = i
  }
  return out
}

/**
 * Reads `file`'s data columns as Arrow chunks, one array of chunks per field of `layout.dataSchema`.
 * @throws StorageError, ParquetError or CorruptDataError from the read.
 */
export async function readFileColumns(engine: Engine, layout: KeptLayout, file: AddFile, signal: AbortSignal | undefined): Promise<{ chunks: ArrowColumn[][]; rows: number }> {
  const key = dataFileKey(engine.store, file.path)
  const buffer = await storeAsyncBuffer(engine.store, key, file.size, signal)
  const columns = layout.dataSchema.fields.map((f) => f.name)
  const chunks: ArrowColumn[][] = columns.map(() => [])
  let rows = 0
  // The buffer's reads carry the signal.
  for await (const batch of layout.read(buffer, layout.dataSchema, { columns, path: key })) {
    batch.data.children.forEach((column, k) => chunks[k]?.push(column))
    rows += batch.numRows
  }
  return { chunks, rows }
}

/** The rows at `positions` of a file's column chunks, as one batch of the data schema. */
export function keptBatch(layout: KeptLayout, chunks: readonly ArrowColumn[][], positions: Int32Array): ArrowRecordBatch {
  const columns = chunks.map((column) => takeColumn(column, positions))
  return batchOfColumns(layout.dataSchema, columns, positions.length)
}

/**
 * Encodes `batch` as a data file of `file`'s partition: the row route's name and directory, the
 * partition values as the row route serializes them (parsed values, written again), Delta stats.
 * @throws ParquetError from the encoder; PartitionValueError for a value that does not serialize.
 */
export function encodeKeptFile(layout: KeptLayout, batch: ArrowRecordBatch, partitions: Row): EncodedDataFile {
  const encoded = layout.encode(batch, layout.dataSchema, { compression: 'zstd', statsColumnLimit: layout.statsColumnLimit })
  const partitionValues: Record<string, string | null> = Object.create(null) as Record<string, string | null>
  for (const c of layout.partitionColumns) partitionValues[c.physicalName] = serializePartitionValue(partitions[c.name] ?? null, c.type)
  const names = layout.partitionColumns.map((c) => c.physicalName)
  const dir = names.length === 0 ? '' : `${partitionDirectory(names, partitionValues)}/`
  const key = `${dir}part-00000-${randomUUID()}-c000.zstd.parquet`
  return { key, bytes: encoded.bytes, partitionValues: { ...partitionValues }, stats: JSON.stringify(encoded.stats), numRecords: encoded.numRecords }
}
