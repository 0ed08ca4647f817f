// Scans to Arrow: `scan`'s batches (projection, filter, partition values, deletion vectors already
// applied) laid out as canonical Arrow record batches of the output columns (see @lake/parquet's
// Delta <-> Arrow mapping), and `toArrow` collecting them into one Arrow `Table`. The Arrow helpers are
// loaded when a scan starts (arrow-values.ts): importing this module loads no Arrow code.

import type { ArrowRecordBatch, ArrowTable, ParquetCodec, StructField, StructType } from '@lake/parquet'
import { throwIfAborted } from '@lake/storage'
import { engineCodec } from '../engine.js'
import type { Engine } from '../engine.js'
import { storeAsyncBuffer } from '../read/store-buffer.js'
import { readAhead } from './read-ahead.js'
import { dataFileKey } from './read-scan-file.js'
import { planScan } from './plan-scan.js'
import type { ScanSource } from './plan-scan.js'
import { DEFAULT_SCAN_CONCURRENCY, scan } from './scan.js'
import type { ScanOptions } from './scan.js'

/** The schema of the scan's output: the selected columns in output order, as the table declares them. */
export function scanOutputSchema(snapshot: ScanSource, options: ScanOptions): StructType {
  const names = planScan(snapshot, { ...options, filter: undefined }).outputColumns
  const fields = names.map(name => snapshot.schema.fields.find(f => f.name === name) as StructField)
  // Arrow output carries no Delta field metadata (column mapping ids, constraints): names and types only.
  return { kind: 'struct', fields: fields.map(f => ({ ...f, metadata: {} })) }
}

/**
 * The scan's batches as Arrow record batches (empty batches left out): Int64 as BigInt64Array,
 * decimals as Decimal128, timestamps as Timestamp(us, 'UTC'), timestamp_ntz without zone, dates as
 * Date32. Column chunks are decoded straight into Arrow buffers (`codec.readBatches`) when the scan
 * needs no row (no filter, partition columns, deletion vectors or column mapping); otherwise the
 * scan's rows are transposed column by column, once.
 */
export async function* scanArrow(engine: Engine, snapshot: ScanSource, options: ScanOptions = {}): AsyncGenerator<ArrowRecordBatch, void, undefined> {
  const schema = scanOutputSchema(snapshot, options)
  const codec = engineCodec(engine) as ParquetCodec<ArrowRecordBatch>
  if (codec.readBatches !== undefined && isColumnarScan(snapshot, options)) {
    yield* readColumnar(engine, codec, snapshot, schema, options)
    return
  }
  const { rowsToArrow } = await import('../arrow-values.js')
  for await (const rows of scan(engine, snapshot, options)) {
    if (rows.length > 0) yield rowsToArrow(rows, schema)
  }
}

function isColumnarScan(snapshot: ScanSource, options: ScanOptions): boolean {
  return options.filter === undefined && snapshot.partitionColumns.length === 0 && snapshot.columnMappingMode === 'none' && snapshot.files().every(a => a.deletionVector == null)
}

async function* readColumnar(engine: Engine, codec: ParquetCodec<ArrowRecordBatch>, snapshot: ScanSource, schema: StructType, options: ScanOptions): AsyncGenerator<ArrowRecordBatch, void, undefined> {
  const read = codec.readBatches as NonNullable<typeof codec.readBatches>
  const columns = schema.fields.map(f => f.name)
  const sources = planScan(snapshot, {}).files.map(add => async function* (): AsyncGenerator<ArrowRecordBatch> {
    const key = dataFileKey(engine.store, add.path)
    const file = await storeAsyncBuffer(engine.store, key, add.size, options.signal)
    for await (const batch of read(file, schema, { columns, path: key })) if (batch.numRows > 0) yield batch
  })
  for await (const batch of readAhead(sources, options.concurrency ?? DEFAULT_SCAN_CONCURRENCY, 2)) {
    throwIfAborted(options.signal, 'scan')
    yield batch
  }
}

/** Every selected row of the scan as one Arrow `Table` (its schema also when no row matches). */
export async function scanToArrow(engine: Engine, snapshot: ScanSource, options: ScanOptions = {}): Promise<ArrowTable> {
  const batches: ArrowRecordBatch[] = []
  for await (const batch of scanArrow(engine, snapshot, options)) batches.push(batch)
  const { arrowTableOf } = await import('../arrow-values.js')
  return arrowTableOf(scanOutputSchema(snapshot, options), batches)
}
