// Rows in the `Value` model -> canonical Arrow record batches: checked and converted column by
// column (the same checks as encodeParquet, stats optional), laid out as Arrow buffers.

import * as arrow from 'apache-arrow'
import { convertColumns } from '../encode.js'
import type { EncodedParquet, EncodeOptions } from '../encode.js'
import type { Row, StructType } from '../types.js'
import { deltaToArrowSchema } from './arrow-schema.js'
import { physicalToArrow, storedOnly } from './physical-to-arrow.js'

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

