// writeDelta of Arrow data (a Table or RecordBatch). The columns go to the codec's `encodeBatch` as
// they are when nothing needs the rows (no partition columns, replaceWhere, constraints, generated or
// identity columns; every Arrow column of the table's type; no null for a non-null column). Otherwise
// the batches are transposed once into exact rows and written by the row path.

import type { ArrowRecordBatch as RecordBatch, ParquetCodec, StructType } from '@lake/parquet'
import { isLakeError } from '@lake/storage'
import { asSchemaError, batchesOf, checkArrowText, deltaSchemaOfArrow, rowsOfBatch } from '../../columns/arrow-input.js'
import type { ArrowData } from '../../columns/arrow-input.js'
import { engineCodec } from '../../engine.js'
import type { Engine } from '../../engine.js'
import { writeBatchFiles } from '../../files/write-batch-files.js'
import { collectConstraints } from '../../schema/constraints.js'
import { serializeSchema } from '../../schema/serialize-schema.js'
import { tryLoadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { isLostCreateRace } from './concurrent-create.js'
import { commitWrite } from './execute.js'
import { fileOptions, prepareWrite, writeMappingMode } from './prepare.js'
import type { PreparedWrite } from './prepare.js'
import type { WriteOptions, WriteResult } from './options.js'

/** The row path of writeDelta (an array of rows), which Arrow data falls back to. */
export type WriteRows = (engine: Engine, rows: readonly unknown[], options: WriteOptions) => Promise<WriteResult>

const ROW_LEVEL_METADATA = ['delta.generationExpression', 'delta.identity.', 'delta.invariants', '__CHAR_VARCHAR_TYPE_STRING']

function typeText(schema: StructType, name: string): string | undefined {
  const field = schema.fields.find(f => f.name === name)
  return field === undefined ? undefined : serializeSchema({ kind: 'struct', fields: [{ ...field, name: '', nullable: true, metadata: {} }] })
}

/** True when the batches can be encoded as they are (see the module comment). */
function isColumnar(snapshot: Snapshot | undefined, prepared: PreparedWrite, batches: readonly RecordBatch[], arrowSchema: StructType): boolean {
  const { plan } = prepared
  if (plan.partitionColumns.length > 0 || prepared.replace !== undefined) return false
  if (writeMappingMode(snapshot, prepared) !== 'none') return false
  if (collectConstraints(plan.schema, plan.metadata?.configuration ?? snapshot?.metadata.configuration ?? {}).length > 0) return false
  if (plan.schema.fields.some(f => Object.keys(f.metadata).some(k => ROW_LEVEL_METADATA.some(m => k.startsWith(m))))) return false
  if (arrowSchema.fields.some(f => typeText(plan.schema, f.name) !== typeText(arrowSchema, f.name))) return false
  const present = new Set(arrowSchema.fields.map(f => f.name))
  return plan.schema.fields.every(f => {
    if (!present.has(f.name)) return f.nullable
    const index = arrowSchema.fields.findIndex(a => a.name === f.name)
    return f.nullable || batches.every(b => (b.data.children[index]?.nullCount ?? 0) === 0)
  })
}

/**
 * Writes Arrow data with `writeDelta`'s contract. The Arrow schema is the table's schema when it is
 * created (or replaced, or merged with schemaMode 'merge') unless `options.schema` is given.
 * @throws SchemaError `SchemaMismatch` naming the column for an Arrow type or value Delta cannot hold.
 */
export async function writeArrow(engine: Engine, data: ArrowData, options: WriteOptions, writeRows: WriteRows): Promise<WriteResult> {
  const arrowSchema = await deltaSchemaOfArrow(data)
  const withSchema: WriteOptions = { ...options, schema: options.schema ?? arrowSchema }
  const batches = batchesOf(data)
  await checkArrowText(batches)
  const codec = engineCodec(engine)
  const asRows = async (): Promise<WriteResult> => writeRows(engine, (await Promise.all(batches.map(rowsOfBatch))).flat(), withSchema)
  if (codec.encodeBatch === undefined) return asRows()
  const snapshot = await tryLoadSnapshot(engine, options.signal)
  const prepared = prepareWrite(engine, snapshot, [], withSchema)
  if (prepared.kind === 'done') return prepared.result
  if (!isColumnar(snapshot, prepared, batches, arrowSchema)) return asRows()
  const adds = await writeBatchFiles(engine, codec as ParquetCodec<RecordBatch>, batches, fileOptions(snapshot, prepared, withSchema)).catch((err: unknown) => {
    throw isLakeError(err) && err.context['encoderThread'] === true ? err : asSchemaError(err) // an encoder thread's failure is not the data's
  })
  const numRows = batches.reduce((n, b) => n + b.numRows, 0)
  try {
    return await commitWrite(engine, snapshot, prepared, adds, numRows, withSchema)
  } catch (err) {
    // Another writer created the table first: write again against it (these files stay as orphans).
    if (snapshot === undefined && isLostCreateRace(err)) return writeArrow(engine, data, options, writeRows)
    throw err
  }
}
