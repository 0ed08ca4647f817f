// `@lake/parquet/arrow`: the Arrow modules of @lake/parquet (apache-arrow at top level; parquet-wasm
// on the first write): the Delta <-> Arrow type mapping, rows <-> Arrow batches, the Arrow column
// builders and the columnar codec. Re-exports only; loading it binds `hyparquetCodec.encodeBatch`
// (bound-encoder.ts). @lake/core loads it with `import()` when it meets Arrow data.
export { ARROW_FIELD_ID_KEY, arrowToDeltaSchema, arrowToDeltaType, deltaToArrowSchema, deltaToArrowType } from './arrow-schema.js'
export type { ArrowSchemaOptions } from './arrow-schema.js'
export { arrowBatchToRows } from './arrow-to-values.js'
export { checkArrowUtf8 } from './check-utf8.js'
export { encodeParquetWasm, parquetWasmCodec } from './parquet-wasm-codec.js'
export { arrowTableOf, rowsToArrow, rowsToArrowBatch } from './rows-to-arrow.js'
export type { RecordBatch as ArrowRecordBatch, Schema as ArrowSchema, Table as ArrowTable } from 'apache-arrow'
export { encodeArrowBatch } from './bound-encoder.js'
export { ArrowEncodePool } from './encode-pool/encode-pool.js'
export type { EncodePoolOptions } from './encode-pool/encode-pool.js'
export { defaultEncodePool, encodeArrowBatchAsync } from './encode-pool/encode-arrow-async.js'
export { BatchBuilder, batchBuilderFor } from './batch-builder.js'
export { batchOfColumns, columnBytes, hasCanonicalType, integerKeyNumbers, isFlatColumn, keyColumnValues, takeColumn } from './take-columns.js'
export type { ArrowColumn } from './take-columns.js'
export { readArrowBatches } from './read-arrow.js'
