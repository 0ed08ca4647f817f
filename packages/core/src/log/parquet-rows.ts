// The one seam to `@lake/parquet`'s row reader used for checkpoints and sidecars.
// TODO(#3): import `readParquetRows` directly once @lake/parquet exports it (being written).

import * as parquet from '@lake/parquet'
import type { AsyncBuffer, Row, StructType } from '@lake/parquet'
import { ProtocolError } from '../errors.js'

type ReadRows = (file: AsyncBuffer, schema: StructType, options: Record<string, unknown>) => Promise<Iterable<Row>>

/** Reads every row of a Parquet file against `schema` (columns absent from the file read as null). */
export async function readRows(file: AsyncBuffer, schema: StructType): Promise<Iterable<Row>> {
  const read = (parquet as unknown as Record<string, unknown>)['readParquetRows']
  if (typeof read !== 'function') {
    throw new ProtocolError('UnsupportedFeature', 'reading Parquet checkpoints: expected @lake/parquet to export readParquetRows, found none')
  }
  return (read as ReadRows)(file, schema, {})
}
