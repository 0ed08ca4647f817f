// `@lake/parquet/rows`: every name of @lake/parquet except the Arrow modules, so importing it loads
// neither apache-arrow nor parquet-wasm (what @lake/core and the CLI's row commands load). Re-exports
// only. `hyparquetCodec`'s Arrow methods load the Arrow modules when used (see batch-encoder.ts);
// the Arrow names are in `@lake/parquet/arrow`; the main entry has both.
export type * from './types.js'
export { encodeParquet, DEFAULT_ROW_GROUP_ROWS, DEFAULT_ROW_GROUP_BYTES } from './encode.js'
export type { EncodeOptions, EncodedParquet } from './encode.js'
export { deltaToParquetSchema, COLUMN_MAPPING_ID_KEY } from './schema-to-parquet.js'
export { DEFAULT_STATS_COLUMN_LIMIT, STATS_STRING_PREFIX_LENGTH } from './stats.js'
export { CorruptDataError, ParquetError } from './errors.js'
export { readParquetColumns, readParquetRows } from './decode.js'
export type { CreateCodec, ParquetCodec } from './codec.js'
export { hyparquetCodec } from './hyparquet-codec.js'
export type { ColumnBatch, ReadOptions } from './decode.js'
export { readParquetMetadata } from './metadata.js'
export type { ParquetFileInfo, ParquetColumnInfo } from './metadata.js'
export { asyncBufferFromBytes } from './async-buffer.js'
export type { MatchBy } from './parquet-tree.js'
export { civilFromDays, daysFromCivil } from './temporal.js'
export { setField } from './object-template.js'
export { containsPrimitive } from './type-walk.js'
