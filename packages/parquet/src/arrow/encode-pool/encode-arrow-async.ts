// `encodeArrowBatch` on a worker thread: the batch is checked and laid out here, its IPC stream goes to
// the pool, and the Delta stats are computed here while a worker encodes. The default pool has one
// thread per core and is created on the first call.

import { availableParallelism } from 'node:os'
import type * as arrow from 'apache-arrow'
import type { EncodedParquet, EncodeOptions } from '../../encode.js'
import type { StructType } from '../../types.js'
import { canonicalBatch, wasmOptions } from '../encode-arrow-batch.js'
import { ipcPieces } from '../ipc-stream.js'
import { ArrowEncodePool } from './encode-pool.js'

/** Threads of the default pool: the cores Node may use. */
export const ENCODE_THREADS = availableParallelism()

let shared: ArrowEncodePool | undefined

/** The process-wide encoder pool: one thread per core, started lazily, idle threads exit. */
export function defaultEncodePool(): ArrowEncodePool {
  shared ??= new ArrowEncodePool({ threads: ENCODE_THREADS })
  return shared
}

/**
 * `encodeArrowBatch`'s contract, encoded by a worker of `pool`.
 * @throws ParquetError as `encodeArrowBatch`, or for a failure of the encoder thread.
 */
export async function encodeArrowBatchAsync(batch: arrow.RecordBatch, schema: StructType, options: EncodeOptions = {}, pool: ArrowEncodePool = defaultEncodePool()): Promise<EncodedParquet> {
  const canonical = canonicalBatch(batch, schema, options)
  const encoding = pool.encode(ipcPieces(canonical.table), wasmOptions(options))
  try {
    const stats = canonical.stats()
    return { bytes: await encoding, numRecords: batch.numRows, stats }
  } catch (err) {
    encoding.catch(() => {}) // the file is not needed any more
    throw err
  }
}
