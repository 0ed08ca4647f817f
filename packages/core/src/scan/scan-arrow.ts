// Scans to Arrow: `scan`'s batches (projection, filter, partition values, deletion vectors already
// applied) laid out as canonical Arrow record batches of the output columns (see @lake/parquet's
// Delta <-> Arrow mapping), and `toArrow` collecting them into one Arrow `Table`.

import type { ArrowRecordBatch, ArrowTable, StructField, StructType } from '@lake/parquet'
import type { Engine } from '../engine.js'
import { arrowTableOf, rowsToArrow } from '../parquet-values.js'
import { planScan } from './plan-scan.js'
import type { ScanSource } from './plan-scan.js'
import { scan } from './scan.js'
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
 * Date32. Rows are transposed column by column, once.
 */
export async function* scanArrow(engine: Engine, snapshot: ScanSource, options: ScanOptions = {}): AsyncGenerator<ArrowRecordBatch, void, undefined> {
  const schema = scanOutputSchema(snapshot, options)
  for await (const rows of scan(engine, snapshot, options)) {
    if (rows.length > 0) yield rowsToArrow(rows, schema)
  }
}

/** Every selected row of the scan as one Arrow `Table` (its schema also when no row matches). */
export async function scanToArrow(engine: Engine, snapshot: ScanSource, options: ScanOptions = {}): Promise<ArrowTable> {
  const batches: ArrowRecordBatch[] = []
  for await (const batch of scanArrow(engine, snapshot, options)) batches.push(batch)
  return arrowTableOf(scanOutputSchema(snapshot, options), batches)
}
