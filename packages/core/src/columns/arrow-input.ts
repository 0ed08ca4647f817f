// Arrow data as write input: recognising an Arrow `Table` / `RecordBatch` (also from another copy of
// apache-arrow: recognised by shape, not class), listing its batches, and its Delta schema. Pure: no I/O.
// The shape checks need no Arrow code; the conversions load @lake/parquet's Arrow modules on first use
// (arrow-values.ts), so importing this module loads neither apache-arrow nor parquet-wasm.

import type { ArrowRecordBatch, ArrowSchema, ArrowTable, Row, StructType } from '@lake/parquet'
import { LakeError } from '@lake/storage'
import { SchemaError } from '../errors.js'

/** An Arrow table or record batch handed to a write. */
export type ArrowData = ArrowTable | ArrowRecordBatch

function hasArrowSchema(value: object): boolean {
  const schema = (value as { schema?: unknown }).schema
  return typeof schema === 'object' && schema !== null && Array.isArray((schema as { fields?: unknown }).fields)
}

/** True for an Arrow `RecordBatch` (by its shape: also one from another copy of apache-arrow). */
export function isArrowBatch(value: unknown): value is ArrowRecordBatch {
  if (typeof value !== 'object' || value === null || !hasArrowSchema(value)) return false
  const batch = value as { numRows?: unknown; data?: { children?: unknown } }
  return typeof batch.numRows === 'number' && Array.isArray(batch.data?.children)
}

/** True for an Arrow `Table` (by its shape). */
export function isArrowTable(value: unknown): value is ArrowTable {
  return typeof value === 'object' && value !== null && hasArrowSchema(value) && Array.isArray((value as { batches?: unknown }).batches)
}

/** True for an Arrow table or record batch. */
export function isArrowData(value: unknown): value is ArrowData {
  return isArrowTable(value) || isArrowBatch(value)
}

/** The record batches of a table or batch (empty batches left out). */
export function batchesOf(data: ArrowData): ArrowRecordBatch[] {
  const batches = isArrowTable(data) ? data.batches : [data]
  return batches.filter(b => b.numRows > 0)
}

/** A codec refusal of an Arrow type or value as the SchemaError `SchemaMismatch` writes throw (context kept). */
export function asSchemaError(err: unknown): unknown {
  if (!(err instanceof LakeError) || err.code !== 'ParquetError') return err
  return new SchemaError('SchemaMismatch', err.message, { context: err.context, cause: err })
}

/**
 * The Delta schema of Arrow data (see @lake/parquet's type mapping).
 * @throws SchemaError `SchemaMismatch` naming a column whose Arrow type Delta cannot hold (`context.column`, `context.arrowType`).
 */
export async function deltaSchemaOfArrow(data: { readonly schema: ArrowSchema }): Promise<StructType> {
  const { arrowToDeltaSchema } = await import('../arrow-values.js')
  try {
    return arrowToDeltaSchema(data.schema)
  } catch (err) {
    throw asSchemaError(err)
  }
}

/**
 * Checks that the string columns of the batches hold UTF-8 (see @lake/parquet's check-utf8.ts).
 * @throws SchemaError `SchemaMismatch` naming the column (`context.column`) and row (`context.row`, counted
 *   from `firstRow`) of the first string value whose bytes are not UTF-8.
 */
export async function checkArrowText(batches: readonly ArrowRecordBatch[], firstRow = 0): Promise<void> {
  const { checkArrowUtf8 } = await import('../arrow-values.js')
  try {
    checkArrowUtf8(batches, firstRow)
  } catch (err) {
    throw asSchemaError(err)
  }
}

/**
 * The rows of a batch with exact values (bigint, decimal and timestamp strings), transposed once.
 * @throws SchemaError `SchemaMismatch` naming the column of a value Delta cannot hold (e.g. nanoseconds).
 */
export async function rowsOfBatch(batch: ArrowRecordBatch): Promise<Row[]> {
  return (await batchRowsConverter())(batch)
}

/** `rowsOfBatch` as a synchronous function, once the Arrow modules are loaded (same values and errors). */
export async function batchRowsConverter(): Promise<(batch: ArrowRecordBatch) => Row[]> {
  const { arrowBatchToRows } = await import('../arrow-values.js')
  return (batch) => {
    try {
      return arrowBatchToRows(batch)
    } catch (err) {
      throw asSchemaError(err)
    }
  }
}
