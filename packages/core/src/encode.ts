// @lake/core/encode: what encoding a chunk of rows into data files needs, for @lake/ingest's encoder
// workers, which must not load the whole core (`@lake/core`, `@lake/core/internal`: the log, snapshots,
// operations). Coercion, the exact JSON number, file planning and encoding (rows and Arrow batches),
// the default codec and the errors these throw. Re-exports only; unstable like `@lake/core/internal`.
export { SchemaError, WriteError } from './errors.js'
export { DEFAULT_CODEC } from './engine.js'
export { JsonNumber } from './expr/lossless-json.js'
export { createRowCoercer, type RowCoercer } from './rows/coerce-rows.js'
export { planDataFiles, encodeDataFile, type DataFilePlan, type EncodedDataFile } from './files/write-data-files.js'
export { encodeBatchFile, sliceBatches } from './files/write-batch-files.js'
