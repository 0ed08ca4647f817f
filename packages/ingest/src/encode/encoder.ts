// The Encoder seam: turns chunks of rows into encoded data files, in worker threads or inline.
// The pipeline only sees this interface, so tests and tiny jobs can skip the thread pool. The
// encoders themselves (Arrow builders, parquet-wasm) are loaded by the thread that encodes: the
// inline encoder imports them on its first chunk, so a pool's calling thread never loads them.

import { availableParallelism } from 'node:os'
import { DEFAULT_CODEC } from '@lake/core/internal'
import type { EncodedDataFile } from '@lake/core/internal'
import type { ParquetCodec } from '@lake/parquet'
import { filesOf } from './encode-result.js'
import type { EncodeTask } from './encode-chunk.js'
import { linesFilesOf } from '../lines/lines-result.js'
import type { LinesTask } from '../lines/encode-lines.js'
import type { CsvTask } from '../csv/encode-csv.js'
import type { Encoder } from './encoder-types.js'
import { WorkerPoolEncoder } from './worker-pool-encoder.js'
import { SharedEncoder, TASKS_PER_WORKER } from './shared-encoder.js'

/** Default encoder threads: every core but one (the main thread parses, coerces and uploads), at least 1. */
export function defaultEncoderThreads(): number {
  return Math.max(1, availableParallelism() - 1)
}

/**
 * An encoder with `threads` worker threads (piscina), or an inline encoder on the calling thread
 * when `threads` is 0; both encode with `codec` (the table engine's; workers build it from its
 * `workerModule`).
 * @throws IngestError `InvalidArgument` for threads > 0 and a codec without `workerModule`.
 */
export function createEncoder(threads: number = defaultEncoderThreads(), codec: ParquetCodec = DEFAULT_CODEC): Encoder {
  return threads === 0 ? new InlineEncoder(codec) : new WorkerPoolEncoder(threads, codec)
}

/**
 * An encoder with `threads` worker threads and the calling thread besides (`SharedEncoder`): for a
 * caller that has little else to do while its chunks encode (the `lake ingest` line route).
 */
export function createSharedEncoder(threads: number, codec: ParquetCodec = DEFAULT_CODEC): Encoder {
  return new SharedEncoder(new WorkerPoolEncoder(threads, codec, TASKS_PER_WORKER), new InlineEncoder(codec))
}

/** Encodes on the calling thread (no parallelism); for tests and small inputs. */
export class InlineEncoder implements Encoder {
  readonly concurrency = 1
  readonly #codec: ParquetCodec

  constructor(codec: ParquetCodec = DEFAULT_CODEC) {
    this.#codec = codec
  }

  async encode(task: EncodeTask, signal?: AbortSignal): Promise<EncodedDataFile[]> {
    const { encodeChunk } = await import('./encode-chunk.js')
    signal?.throwIfAborted()
    return filesOf(encodeChunk(task, this.#codec))
  }

  async encodeLines(task: LinesTask | CsvTask, signal?: AbortSignal): Promise<EncodedDataFile[]> {
    const encoded = task.kind === 'csv' ? (await import('../csv/encode-csv.js')).encodeCsv(task, this.#codec) : (await import('../lines/encode-lines.js')).encodeLines(task, this.#codec)
    signal?.throwIfAborted()
    return linesFilesOf(encoded)
  }

  async close(): Promise<void> {}
}
