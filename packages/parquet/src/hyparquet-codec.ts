// The default codec: hyparquet (read) and hyparquet-writer (write) behind `ParquetCodec`. This module
// is also its own `workerModule`: a worker thread imports it and calls `createCodec()`.

import type { ParquetCodec } from './codec.js'
import { readParquetRows } from './decode.js'
import { encodeParquet } from './encode.js'

/** `encodeParquet` and `readParquetRows` as a `ParquetCodec`. */
export const hyparquetCodec: ParquetCodec = Object.freeze({
  name: 'hyparquet',
  encode: encodeParquet,
  readRows: readParquetRows,
  workerModule: import.meta.url,
})

/** The `workerModule` entry point: the same (stateless) `hyparquetCodec`. */
export function createCodec(): ParquetCodec {
  return hyparquetCodec
}
