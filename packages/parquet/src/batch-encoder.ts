// The Arrow encoder behind `hyparquetCodec.encodeBatch`, bound on demand. The codec lives in the row
// entry (`@lake/parquet/rows`: no apache-arrow, no parquet-wasm), the encoder among the Arrow modules,
// so a process that never meets Arrow data never loads them. Loading the Arrow entry
// (`@lake/parquet/arrow`, which the main entry includes) binds the encoder (arrow/bound-encoder.ts);
// `loadBatchEncoder()` loads and binds it on its own (the codec's `createCodec()` in workers).

import type { RecordBatch } from 'apache-arrow'
import type { EncodedParquet, EncodeOptions } from './encode.js'
import { ParquetError } from './errors.js'
import type { StructType } from './types.js'

/** `encodeArrowBatch`'s signature. */
export type EncodeBatch = (batch: RecordBatch, schema: StructType, options?: EncodeOptions) => EncodedParquet

let bound: EncodeBatch | undefined

/** Binds the Arrow encoder (called once the Arrow modules are loaded). */
export function bindBatchEncoder(encode: EncodeBatch): void {
  bound = encode
}

/** Loads the Arrow encoder (apache-arrow; parquet-wasm on its first write) and binds it; once. */
export async function loadBatchEncoder(): Promise<void> {
  if (bound === undefined) bindBatchEncoder((await import('./arrow/encode-arrow-batch.js')).encodeArrowBatch)
}

/**
 * Encodes a batch with the bound Arrow encoder.
 * @throws ParquetError when the Arrow modules were never loaded (import `@lake/parquet/arrow` first).
 */
export function encodeBoundBatch(batch: RecordBatch, schema: StructType, options: EncodeOptions): EncodedParquet {
  if (bound === undefined) throw new ParquetError("encodeBatch: expected the Arrow modules loaded (import '@lake/parquet/arrow' first), found them not loaded")
  return bound(batch, schema, options)
}
