// The Arrow helpers @lake/core takes from @lake/parquet (`@lake/parquet/arrow`: apache-arrow at top
// level, parquet-wasm on the first write). A command that never meets Arrow data must not load them,
// so no module the entries load statically imports this one: Arrow code paths load it on demand,
//
//   const { rowsToArrow } = await import('../arrow-values.js')
//
// or live in a module that imports it and is itself loaded with `import()` (the MERGE columnar writer).
// Loading it also binds the default codec's `encodeBatch` (see @lake/parquet's batch-encoder.ts).

export { arrowBatchToRows, arrowToDeltaSchema, checkArrowUtf8 } from '@lake/parquet/arrow'
export { arrowTableOf, rowsToArrow } from '@lake/parquet/arrow'
export { batchBuilderFor } from '@lake/parquet/arrow'
export { batchOfColumns, columnBytes, hasCanonicalType, integerKeyNumbers, keyColumnValues, takeColumn } from '@lake/parquet/arrow'
