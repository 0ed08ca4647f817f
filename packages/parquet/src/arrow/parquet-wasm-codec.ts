// The columnar codec: rows are checked and converted column by column (the same checks and Delta
// stats as `encodeParquet`), laid out as Arrow buffers, and encoded by parquet-wasm (arrow-rs).
// Reads stay on the hyparquet decoder (ranged reads of only the needed column chunks). This module
// is also its own `workerModule`.

import * as arrow from 'apache-arrow'
import type { ParquetCodec } from '../codec.js'
import { readParquetRows } from '../decode.js'
import { convertColumns, rowGroupRows } from '../encode.js'
import type { EncodedParquet, EncodeOptions } from '../encode.js'
import { ParquetError } from '../errors.js'
import { isStored } from '../schema-to-parquet.js'
import type { Row, StructType } from '../types.js'
import { deltaToArrowSchema } from './arrow-schema.js'
import { encodeArrowBatch } from './encode-arrow-batch.js'
import { physicalToArrow, storedOnly } from './physical-to-arrow.js'
import { writeArrowParquet } from './wasm-writer.js'

/**
 * Rows of a Delta schema as one canonical Arrow record batch (see `deltaToArrowSchema`), checked like
 * `encodeParquet` checks them; also returns the Delta stats computed on the way.
 * @throws ParquetError for the first bad value in row order.
 */
export function rowsToArrowBatch(rows: readonly Row[], schema: StructType, options: EncodeOptions = {}): { batch: arrow.RecordBatch; stats: EncodedParquet['stats'] } {
  const { writers, stats } = convertColumns(rows, schema, options)
  const stored = storedOnly(schema) as StructType
  const arrowSchema = deltaToArrowSchema(stored, { fieldIds: options.fieldIds ?? false })
  const children = writers.map((w, k) => physicalToArrow(w.data, (stored.fields[k] as StructType['fields'][number]).type))
  const data = arrow.makeData({ type: new arrow.Struct(arrowSchema.fields), length: rows.length, nullCount: 0, children })
  return { batch: new arrow.RecordBatch(arrowSchema, data), stats }
}

/**
 * Rows already in the `Value` model (a scan's) as one canonical Arrow batch of `schema`, without
 * stats; every column may hold nulls (a file written before a column was added reads it as null).
 */
export function rowsToArrow(rows: readonly Row[], schema: StructType): arrow.RecordBatch {
  const relaxed: StructType = { kind: 'struct', fields: schema.fields.map(f => ({ ...f, nullable: true })) }
  const { batch } = rowsToArrowBatch(rows, relaxed, { statsColumnLimit: 0 })
  return new arrow.RecordBatch(deltaToArrowSchema(schema), batch.data)
}

/** An Arrow table of `batches` (of `schema`'s canonical Arrow schema), with that schema also when there are none. */
export function arrowTableOf(schema: StructType, batches: readonly arrow.RecordBatch[]): arrow.Table {
  return batches.length === 0 ? new arrow.Table(deltaToArrowSchema(schema)) : new arrow.Table(batches as arrow.RecordBatch[])
}

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
  encodeBatch: encodeArrowBatch,
  workerModule: import.meta.url,
})

/** The `workerModule` entry point: the same (stateless) codec. */
export function createCodec(): ParquetCodec {
  return parquetWasmCodec as ParquetCodec
}
